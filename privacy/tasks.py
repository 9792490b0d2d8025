"""Thin tasks for data rights: the daily retention and erasure run."""

import logging

from celery import shared_task

from privacy import retention

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def privacy_daily() -> None:
    counts = retention.retention_run()
    if any(counts.values()):
        logger.info("Retention and erasure: %s", counts)
