"""The background document pipeline (CPD records, certificates, exports).

PostgreSQL holds each job's state and the broker only wakes the worker: a job
is claimed with one conditional UPDATE, its output overwritten, and a sweeper
re-queues what a lost message or a killed worker left behind.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from evidence.documents import output_for, renderer_for
from evidence.errors import EvidenceError, RenderError
from evidence.models import DocumentJob
from evidence.services.items import delete_stored_after_commit
from imhcf.background import enqueue


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
        # In the owner's language: the worker has no request to take one from.
        with translation.override(job.owner.preferred_language):
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
            delete_stored_after_commit([old_name])
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
                delete_stored_after_commit([name])
    return {"requeued": len(requeue), "failed": exhausted, "expired": expired}
