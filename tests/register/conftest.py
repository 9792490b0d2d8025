"""Fixtures most register tests share. A test file that needs another framework size or
another kind of application defines its own ``version`` or ``application``, which wins."""

from datetime import timedelta

import pytest
from django.utils import timezone

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


@pytest.fixture
def due_entry(practitioner, reviewer, second_reviewer, db):
    """Recognised on a framework of seven domains of one competency, and due for renewal:
    the recognition ends in 20 days."""
    application = helpers.submit(
        practitioner, build_framework(domains=7, competencies_per_domain=1)
    )
    helpers.approve(application, reviewer, second_reviewer)
    entry = RegisterEntry.objects.get(application=application)
    entry.valid_until = timezone.localdate() + timedelta(days=20)
    entry.save()
    return entry
