from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import build_framework
from tests.training.helpers import make_course, make_provider, make_staff, statements_of


@pytest.fixture
def version(db):
    """Two domains of three competencies: six statements at each level."""
    return build_framework(domains=2, competencies_per_domain=3)


@pytest.fixture
def provider(db):
    return make_provider()


@pytest.fixture
def provider_staff(provider):
    return make_staff(provider, "tutor@northern-imh.example.org")


@pytest.fixture
def provider_client(provider_staff):
    return client_for(provider_staff)


@pytest.fixture
def started_days_ago():
    return 20


@pytest.fixture
def course(provider, provider_staff, version, started_days_ago):
    """A reviewed course mapped to six statements, whose session began ``started_days_ago``."""
    return make_course(
        provider,
        provider_staff,
        statements_of(version, 6),
        reviewed=True,
        starts_on=timezone.localdate() - timedelta(days=started_days_ago),
    )
