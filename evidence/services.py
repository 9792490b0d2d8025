"""Every change to evidence, files and background documents goes through here.

Over 400 lines on purpose: items, links, files and the document pipeline share the stored-file
clean-up; the pipeline is the next piece to move to its own module.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, ProtectedError, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.documents import output_for, renderer_for
from evidence.errors import EvidenceError, RenderError
from evidence.models import DocumentJob, EvidenceFile, EvidenceItem, EvidenceLink
from evidence.uploads import inspect_upload
from imhcf.background import enqueue
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


def _delete_stored_after_commit(names: list[str]) -> None:
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
    _delete_stored_after_commit(names)


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
    _delete_stored_after_commit([name])


# Background documents -------------------------------------------------------------------


def _enqueue(job_id: int) -> None:
    # The broker may be down; the job row stays pending and the sweeper re-queues it.
    enqueue("evidence.tasks.render_document_task", job_id)


@transaction.atomic
def document_request(*, owner, kind: str, params: dict) -> DocumentJob:
    """Ask for a document. Returns at once; a worker makes it after commit.

    Asking again for the same document while one is being made returns that
    job, so a double click makes one PDF.
    """
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
    active = DocumentJob.objects.filter(
        owner=owner,
        kind=kind,
        params=params,
        status__in=[DocumentJob.Status.PENDING, DocumentJob.Status.RUNNING],
    ).first()
    if active:
        return active
    now = timezone.now()
    job = DocumentJob.objects.create(
        owner=owner, kind=kind, params=params, requested_at=now, enqueued_at=now
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


@transaction.atomic
def document_retry(*, job: DocumentJob) -> DocumentJob:
    now = timezone.now()
    updated = DocumentJob.objects.filter(pk=job.pk, status=DocumentJob.Status.FAILED).update(
        status=DocumentJob.Status.PENDING,
        attempts=0,
        error_message="",
        requested_at=now,
        enqueued_at=now,
    )
    if not updated:
        raise EvidenceError(_("Only a document that failed can be tried again."))
    transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job


def _claim(job_id: int) -> uuid.UUID | None:
    """Claim a job for this worker with one conditional UPDATE; None if another has it."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.IMHCF_JOB_RUNNING_STALE_SECONDS)
    token = uuid.uuid4()
    claimed = (
        DocumentJob.objects.filter(pk=job_id)
        .filter(
            Q(status=DocumentJob.Status.PENDING)
            | Q(status=DocumentJob.Status.RUNNING, started_at__lt=stale)
        )
        .update(
            status=DocumentJob.Status.RUNNING,
            claim_token=token,
            started_at=now,
            attempts=F("attempts") + 1,
        )
    )
    return token if claimed else None


def document_render(*, job_id: int) -> bool:
    """Make one document. Idempotent: a job already claimed or finished is left alone.

    Returns True when this call finished the job. Transient errors (database,
    storage) propagate so the task retries; a RenderError fails the job with
    a message the practitioner can read.
    """
    token = _claim(job_id)
    if token is None:
        return False
    try:
        job = DocumentJob.objects.select_related("owner").get(pk=job_id)
        content = renderer_for(job.kind)(job)
        extension, _content_type = output_for(job.kind)
        name = default_storage.save(
            f"documents/{uuid.uuid4().hex}.{extension}", ContentFile(content)
        )
    except RenderError as exc:
        _finish_failed(job_id, token, str(exc))
        return False
    except BaseException:
        # Hand the job back so the retry (or the sweeper) can claim it again.
        DocumentJob.objects.filter(pk=job_id, claim_token=token).update(
            status=DocumentJob.Status.PENDING, claim_token=None
        )
        raise
    now = timezone.now()
    with transaction.atomic():
        previous = (
            DocumentJob.objects.select_for_update().filter(pk=job_id, claim_token=token).first()
        )
        if previous is None:
            # Another claim took over (this worker was presumed dead); keep its result.
            default_storage.delete(name)
            return False
        old_name = previous.file.name if previous.file else ""
        DocumentJob.objects.filter(pk=job_id).update(
            status=DocumentJob.Status.DONE,
            file=name,
            size=len(content),
            finished_at=now,
            error_message="",
            expires_at=now + timedelta(days=settings.IMHCF_DOCUMENT_TTL_DAYS),
        )
        if old_name:
            _delete_stored_after_commit([old_name])
    return True


def _finish_failed(job_id: int, token: uuid.UUID | None, message: str) -> None:
    filters = {"pk": job_id}
    if token is not None:
        filters["claim_token"] = token
    DocumentJob.objects.filter(**filters).update(
        status=DocumentJob.Status.FAILED,
        error_message=message[:500],
        finished_at=timezone.now(),
    )


def document_fail(*, job_id: int, message: str) -> None:
    """Record a final failure after the task's retries ran out."""
    DocumentJob.objects.filter(
        pk=job_id, status__in=[DocumentJob.Status.PENDING, DocumentJob.Status.RUNNING]
    ).update(
        status=DocumentJob.Status.FAILED,
        error_message=message[:500],
        finished_at=timezone.now(),
    )


def documents_sweep() -> dict[str, int]:
    """Re-queue jobs a lost message or a dead worker left behind; expire old documents."""
    now = timezone.now()
    pending_cutoff = now - timedelta(seconds=settings.IMHCF_JOB_STALE_SECONDS)
    running_cutoff = now - timedelta(seconds=settings.IMHCF_JOB_RUNNING_STALE_SECONDS)
    max_attempts = settings.IMHCF_JOB_MAX_ATTEMPTS

    # A job whose worker died repeatedly is failed rather than retried forever.
    exhausted = DocumentJob.objects.filter(
        status=DocumentJob.Status.RUNNING, started_at__lt=running_cutoff, attempts__gte=max_attempts
    ).update(
        status=DocumentJob.Status.FAILED,
        error_message=_("The document could not be made. Please try again."),
        finished_at=now,
    )
    stuck_running = list(
        DocumentJob.objects.filter(
            status=DocumentJob.Status.RUNNING, started_at__lt=running_cutoff
        ).values_list("pk", flat=True)
    )
    DocumentJob.objects.filter(pk__in=stuck_running).update(
        status=DocumentJob.Status.PENDING, claim_token=None, enqueued_at=now
    )
    stuck_pending = list(
        DocumentJob.objects.filter(
            status=DocumentJob.Status.PENDING, enqueued_at__lt=pending_cutoff
        ).values_list("pk", flat=True)
    )
    requeue = sorted(set(stuck_running) | set(stuck_pending))
    DocumentJob.objects.filter(pk__in=stuck_pending).update(enqueued_at=now)
    for job_id in requeue:
        _enqueue(job_id)

    expired = 0
    for job in DocumentJob.objects.filter(status=DocumentJob.Status.DONE, expires_at__lt=now):
        with transaction.atomic():
            name = job.file.name
            if DocumentJob.objects.filter(pk=job.pk, status=DocumentJob.Status.DONE).update(
                status=DocumentJob.Status.EXPIRED, file=""
            ):
                expired += 1
                _delete_stored_after_commit([name])
    return {"requeued": len(requeue), "failed": exhausted, "expired": expired}
