import pytest

from tests.conftest import client_for
from tests.factories import build_framework
from tests.training.helpers import make_provider, make_staff


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

    client = client_for(provider_staff)
    return client
