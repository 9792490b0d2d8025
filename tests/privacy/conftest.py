import pytest

from tests.factories import build_framework
from tests.register.helpers import approve, attach_file, submit


@pytest.fixture
def registered(db, practitioner, reviewer, second_reviewer, private_storage):
    """A practitioner with a profile, ratings, evidence with a file, and an active entry."""
    version = build_framework(domains=1, competencies_per_domain=2)
    application = submit(practitioner, version, level=1)
    item = application.dossier_evidence.first().evidence_item
    approve(application, reviewer, second_reviewer)
    attach_file(item, name="supervision-notes.pdf", content=b"%PDF-1.4 private notes")
    application.refresh_from_db()
    return application.register_entry
