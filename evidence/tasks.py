"""Thin Celery tasks: they take ids, load nothing themselves, and call services."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError
from django.utils.translation import gettext as _

from evidence import services

logger = logging.getLogger(__name__)

# Errors worth retrying: the database or storage blinked; the same job may work in a moment.
TRANSIENT_ERRORS = (DatabaseError, InterfaceError, OSError, ConnectionError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    ignore_result=True,
)
def render_document_task(self, job_id: int) -> None:
    try:
        services.document_render(job_id=job_id)
    except SoftTimeLimitExceeded:
        services.document_fail(
            job_id=job_id, message=_("Making this document took too long. Please try again.")
        )
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            logger.exception("Document job %s failed after retries", job_id)
            services.document_fail(
                job_id=job_id,
                message=_("The document could not be made just now. Please try again."),
            )
            return
        raise self.retry(exc=exc, countdown=min(2 ** (self.request.retries + 1), 60)) from exc
    except Exception:
        logger.exception("Document job %s failed", job_id)
        services.document_fail(
            job_id=job_id,
            message=_("Something went wrong while making this document. Please try again."),
        )


@shared_task(ignore_result=True)
def sweep_document_jobs() -> None:
    counts = services.documents_sweep()
    if any(counts.values()):
        logger.info("Document sweep: %s", counts)
