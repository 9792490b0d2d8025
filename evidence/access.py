"""One access helper per resource: fetch and authorise in one step, 404 otherwise.

Evidence files are private: their owner may read them, and so may whoever a
registered reader allows (the register app registers "assigned reviewers of an
application that includes this file"), so this app never imports the register.
"""

from collections.abc import Callable

from django.http import Http404

from evidence.models import DocumentJob, EvidenceFile, EvidenceItem
from imhcf.access import get_or_404
from imhcf.models import FrameworkVersion, Statement

FileReader = Callable[[object, EvidenceFile], bool]
_extra_file_readers: list[FileReader] = []


def register_file_reader(check: FileReader) -> FileReader:
    _extra_file_readers.append(check)
    return check


def get_evidence_for_user(user, pk) -> EvidenceItem:
    """The user's own evidence item; anyone else's answers 404."""
    return get_or_404(EvidenceItem.objects, pk, owner_id=user.pk)


def get_evidence_file_for_owner(user, pk) -> EvidenceFile:
    return get_or_404(EvidenceFile.objects.select_related("item"), pk, item__owner_id=user.pk)


def get_evidence_file_for_reader(user, pk) -> EvidenceFile:
    """A file its owner, or anyone a registered reader allows, may download."""
    evidence_file = get_or_404(EvidenceFile.objects.select_related("item"), pk)
    if not user.is_authenticated:
        raise Http404
    if evidence_file.item.owner_id == user.pk:
        return evidence_file
    if any(check(user, evidence_file) for check in _extra_file_readers):
        return evidence_file
    raise Http404


def get_document_for_user(user, pk, kind: str | None = None) -> DocumentJob:
    filters = {"kind": kind} if kind else {}
    return get_or_404(DocumentJob.objects, pk, owner_id=user.pk, **filters)


def get_published_statement(statement_id) -> Statement:
    """A statement of the published version; any other id (older versions too) is a 404."""
    return get_or_404(
        Statement.objects.select_related("competency__domain__version"),
        statement_id,
        competency__domain__version__status=FrameworkVersion.Status.PUBLISHED,
    )
