"""Evidence items, their links to statements and their files."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError, Sum
from django.utils.translation import gettext as _

from evidence.errors import EvidenceError
from evidence.models import EvidenceFile, EvidenceItem, EvidenceLink
from evidence.uploads import inspect_upload
from imhcf.forms_text import refuse_nul
from imhcf.models import Statement

logger = logging.getLogger(__name__)


# What a person may set on an evidence item (the item form shows exactly these).
ITEM_FIELDS = (
    "kind",
    "title",
    "start_date",
    "end_date",
    "hours",
    "provider",
    "description",
    "equality_inclusion",
    "deidentified",
)


def _check_item_fields(data: dict) -> None:
    if data.get("kind") in EvidenceItem.SENSITIVE_KINDS and not data.get("deidentified"):
        raise EvidenceError(
            _(
                "Confirm that you have removed anything that could identify a client "
                "before saving a supervision report or clinical evidence."
            )
        )
    end, start = data.get("end_date"), data.get("start_date")
    if end and start and end < start:
        raise EvidenceError(_("The end date cannot be before the start date."))


@transaction.atomic
def evidence_item_create(
    *, owner, data: dict, statement_ids: Iterable[int] = (), justification: str = ""
) -> EvidenceItem:
    _check_item_fields(data)
    item = EvidenceItem.objects.create(
        owner=owner, **{k: v for k, v in data.items() if k in ITEM_FIELDS}
    )
    if statement_ids:
        evidence_links_add(item=item, statement_ids=statement_ids, justification=justification)
    return item


# What a provider's attendance confirmation vouches for: change one and it no longer holds.
CONFIRMED_FIELDS = ("start_date", "end_date", "hours", "provider")


@transaction.atomic
def evidence_item_update(*, item: EvidenceItem, data: dict) -> EvidenceItem:
    merged = {field: getattr(item, field) for field in ITEM_FIELDS} | {
        k: v for k, v in data.items() if k in ITEM_FIELDS
    }
    _check_item_fields(merged)
    if item.attendance_confirmed and any(
        merged[field] != getattr(item, field) for field in CONFIRMED_FIELDS
    ):
        item.attendance_confirmed_by, item.attendance_confirmed_at = "", None
    for field, value in merged.items():
        setattr(item, field, value)
    item.save()
    return item


def evidence_attendance_confirm(*, item: EvidenceItem, confirmed_by: str, confirmed_at) -> None:
    """Mark ``item`` as attendance the provider named ``confirmed_by`` has confirmed.

    Called by the training app when a confirmed attendance becomes evidence;
    the practitioner's own forms cannot set it.
    """
    EvidenceItem.objects.filter(pk=item.pk).update(
        attendance_confirmed_by=confirmed_by[:200], attendance_confirmed_at=confirmed_at
    )
    item.attendance_confirmed_by, item.attendance_confirmed_at = confirmed_by[:200], confirmed_at


def delete_stored_after_commit(names: list[str]) -> None:
    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                # The row is gone; the sweeper's orphan pass removes what is left.
                logger.exception("Could not delete stored file %s", name)

    transaction.on_commit(delete)


@transaction.atomic
def evidence_item_delete(*, item: EvidenceItem) -> None:
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    names = list(item.files.values_list("file", flat=True))
    try:
        item.files.all().delete()
        item.links.all().delete()
        item.delete()
    except ProtectedError as exc:
        raise EvidenceError(
            _(
                "This evidence is part of an application you have submitted, so it cannot be "
                "deleted. You can still edit it; the submitted application keeps its own copy."
            )
        ) from exc
    delete_stored_after_commit(names)


JUSTIFICATION_MAX_LENGTH = EvidenceLink._meta.get_field("justification").max_length


def _checked_justification(text: str | None) -> str:
    # Callers may pass text read straight from a request. PostgreSQL refuses NUL in
    # text, and cutting an over-long one short would silently lose what was typed.
    text = text or ""
    try:
        refuse_nul(text)
    except ValidationError as exc:
        raise EvidenceError(
            _("The justification could not be saved: %(reason)s") % {"reason": exc.messages[0]}
        ) from exc
    if len(text) > JUSTIFICATION_MAX_LENGTH:
        raise EvidenceError(
            _("Keep each justification to %(n)s characters or fewer.")
            % {"n": JUSTIFICATION_MAX_LENGTH}
        )
    return text


def _statements_for(ids: Iterable[int]) -> list[Statement]:
    wanted = {int(i) for i in ids}
    statements = list(Statement.objects.filter(pk__in=wanted))
    if len(statements) != len(wanted):
        raise EvidenceError(_("One or more of the chosen statements no longer exist."))
    return statements


@transaction.atomic
def evidence_links_add(
    *, item: EvidenceItem, statement_ids: Iterable[int], justification: str = ""
) -> int:
    """Link ``item`` to statements; already-linked ones are left as they are."""
    justification = _checked_justification(justification)
    statements = _statements_for(statement_ids)
    existing = set(item.links.values_list("statement_id", flat=True))
    created = EvidenceLink.objects.bulk_create(
        EvidenceLink(item=item, statement=s, justification=justification)
        for s in statements
        if s.pk not in existing
    )
    return len(created)


@transaction.atomic
def evidence_statement_attach(
    *, owner, items: Iterable[EvidenceItem], statement_id: int, justification: str = ""
) -> int:
    """Link several of ``owner``'s items to one statement: attaching from the statement's row."""
    items = list(items)
    if any(item.owner_id != owner.pk for item in items):
        raise EvidenceError(_("Only your own evidence can be attached."))
    return sum(
        evidence_links_add(item=item, statement_ids=[statement_id], justification=justification)
        for item in items
    )


@transaction.atomic
def evidence_links_set(
    *, item: EvidenceItem, statement_ids: Iterable[int], justifications: dict[int, str]
) -> None:
    """Make the item's links exactly ``statement_ids``, each with its justification."""
    justifications = {pk: _checked_justification(text) for pk, text in justifications.items()}
    statements = _statements_for(statement_ids)
    wanted = {s.pk for s in statements}
    item.links.exclude(statement_id__in=wanted).delete()
    current = {link.statement_id: link for link in item.links.all()}
    for statement in statements:
        text = justifications.get(statement.pk) or ""
        link = current.get(statement.pk)
        if link is None:
            EvidenceLink.objects.create(item=item, statement=statement, justification=text)
        elif link.justification != text:
            link.justification = text
            link.save(update_fields=["justification"])


def storage_used_by(owner) -> int:
    return EvidenceFile.objects.filter(item__owner=owner).aggregate(total=Sum("size"))["total"] or 0


def evidence_file_add(*, item: EvidenceItem, uploaded) -> EvidenceFile:
    """Check the upload's content, store it under a random key, and record it.

    The file is written before the row so a row never points at nothing; if
    the row cannot be written, the stored file is removed again.
    """
    clean = inspect_upload(uploaded, max_bytes=settings.IMHCF_UPLOAD_MAX_BYTES)
    stored_name = None
    try:
        with transaction.atomic():
            # Lock the owner so two uploads at once cannot both slip under the quota.
            get_user_model().objects.select_for_update().filter(pk=item.owner_id).first()
            used = storage_used_by(item.owner)
            if used + clean.size > settings.IMHCF_USER_QUOTA_BYTES:
                raise EvidenceError(
                    _(
                        "This file would take you over your storage allowance of %(quota)s MB "
                        "(you are using %(used).1f MB). Remove files you no longer need first."
                    )
                    % {
                        "quota": settings.IMHCF_USER_QUOTA_BYTES // (1024 * 1024),
                        "used": used / (1024 * 1024),
                    }
                )
            record = EvidenceFile(
                item=item,
                original_name=clean.original_name,
                content_type=clean.content_type,
                size=clean.size,
                sha256=clean.sha256,
            )
            record.file.save("upload", ContentFile(clean.content), save=False)
            stored_name = record.file.name
            record.save()
    except Exception:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return record


@transaction.atomic
def evidence_file_delete(*, evidence_file: EvidenceFile) -> None:
    name = evidence_file.file.name
    try:
        evidence_file.delete()
    except ProtectedError as exc:
        raise EvidenceError(
            _("This file is part of a submitted application, so it cannot be deleted.")
        ) from exc
    delete_stored_after_commit([name])
