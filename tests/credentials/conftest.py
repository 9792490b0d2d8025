"""An approved register entry, and a signing key of the test's own."""

import pytest

from credentials import keys
from tests.factories import build_framework
from tests.register.helpers import approve, submit


@pytest.fixture(autouse=True)
def signing_key_file(settings, tmp_path):
    """Each test signs with a key made in its own folder, never the one under var/."""
    settings.IMHCF_CREDENTIAL_SIGNING_KEY = ""
    settings.IMHCF_CREDENTIAL_SIGNING_KEY_FILE = str(tmp_path / "signing-key.pem")
    settings.IMHCF_CREDENTIAL_KEY_GENERATE = True
    settings.IMHCF_PUBLIC_BASE_URL = "https://register.example.org"
    keys._load.cache_clear()
    yield tmp_path / "signing-key.pem"
    keys._load.cache_clear()


@pytest.fixture
def entry(db, practitioner, reviewer, second_reviewer):
    version = build_framework(domains=2, competencies_per_domain=2)
    application = approve(submit(practitioner, version, level=2), reviewer, second_reviewer)
    return application.register_entry
