"""Fixtures most register tests share. A test file that needs another framework size or
another kind of application defines its own ``version`` or ``application``, which wins."""

import pytest

from register.models import RegisterEntry
from tests.factories import build_framework
from tests.register import helpers


@pytest.fixture
def version(db):
    """Two domains of three competencies: enough for every rule, quick to build."""
    return build_framework(domains=2, competencies_per_domain=3)


@pytest.fixture
def application(practitioner, version):
    """Submitted, and waiting for reviewers."""
    return helpers.submit(practitioner, version)


@pytest.fixture
def entry(application, reviewer, second_reviewer):
    """The application approved by two reviewers: an active register entry."""
    helpers.approve(application, reviewer, second_reviewer)
    return RegisterEntry.objects.get(application=application)
