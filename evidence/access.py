"""One access helper per resource: fetch and authorise in one step, 404 otherwise.

Evidence files are private: their owner may read them, and so may whoever a
registered reader allows (the register app registers "assigned reviewers of an
application that includes this file"), so this app never imports the register.
"""

from collections.abc import Callable

from django.http import Http404

from evidence.models import DocumentJob, EvidenceFile, EvidenceItem
from imhcf.access import pk_or_404
from imhcf.models import FrameworkVersion, Statement

FileReader = Callable[[object, EvidenceFile], bool]
_extra_file_readers: list[FileReader] = []


def register_file_reader(check: FileReader) -> FileReader:
    _extra_file_readers.append(check)
    return check


def get_evidence_for_user(user, pk) -> EvidenceItem:
    """The user's own evidence item; anyone else's answers 404."""
    try:
        return EvidenceItem.objects.get(pk=pk_or_404(pk), owner_id=user.pk)
    except EvidenceItem.DoesNotExist:
        raise Http404 from None


def get_evidence_file_for_owner(user, pk) -> EvidenceFile:
    try:
        return EvidenceFile.objects.select_related("item").get(
            pk=pk_or_404(pk), item__owner_id=user.pk
        )
    except EvidenceFile.DoesNotExist:
        raise Http404 from None


def get_evidence_file_for_reader(user, pk) -> EvidenceFile:
    """A file its owner, or anyone a registered reader allows, may download."""
    try:
        evidence_file = EvidenceFile.objects.select_related("item").get(pk=pk_or_404(pk))
    except EvidenceFile.DoesNotExist:
        raise Http404 from None
    if not user.is_authenticated:
        raise Http404
    if evidence_file.item.owner_id == user.pk:
        return evidence_file
    if any(check(user, evidence_file) for check in _extra_file_readers):
        return evidence_file
    raise Http404


def get_document_for_user(user, pk, kind: str | None = None) -> DocumentJob:
    filters = {"pk": pk_or_404(pk), "owner_id": user.pk}
    if kind:
        filters["kind"] = kind
    try:
        return DocumentJob.objects.get(**filters)
    except DocumentJob.DoesNotExist:
        raise Http404 from None


def get_published_statement(statement_id) -> Statement:
    """A statement of the published version; any other id (older versions too) is a 404."""
    try:
        return Statement.objects.select_related("competency__domain__version").get(
            pk=pk_or_404(statement_id),
            competency__domain__version__status=FrameworkVersion.Status.PUBLISHED,
        )
    except Statement.DoesNotExist:
        raise Http404 from None
