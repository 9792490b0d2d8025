"""Liveness of the parts the app cannot work without: the database, the broker and a worker."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from kombu import Connection

from imhcf.models import WorkerHeartbeat

BROKER_TIMEOUT_SECONDS = 2


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not usable"
        return False, type(exc).__name__
    return True, "ok"


def broker_ok() -> tuple[bool, str]:
    try:
        # Read at call time, so a changed setting (or a test's override) is what is checked.
        with Connection(
            settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:  # any transport error means "not usable"
        return False, type(exc).__name__
    return True, "ok"


@dataclass(frozen=True)
class WorkerStatus:
    last_seen: datetime | None
    up: bool


def worker_status() -> WorkerStatus:
    """Up when some worker ran its heartbeat within IMHCF_WORKER_STALE_SECONDS."""
    last_seen = WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]
    cutoff = timezone.now() - timedelta(seconds=settings.IMHCF_WORKER_STALE_SECONDS)
    return WorkerStatus(last_seen=last_seen, up=last_seen is not None and last_seen >= cutoff)


def health_report() -> tuple[bool, dict[str, str], datetime | None]:
    """Whether all is usable, a word for each part, and when a worker was last seen."""
    db_ok, db_detail = database_ok()
    mq_ok, mq_detail = broker_ok()
    worker = worker_status() if db_ok else WorkerStatus(last_seen=None, up=False)
    if worker.up:
        worker_detail = "ok"
    elif not db_ok:
        worker_detail = "unknown"
    else:
        worker_detail = "stale" if worker.last_seen else "never seen"
    checks = {"database": db_detail, "broker": mq_detail, "worker": worker_detail}
    return db_ok and mq_ok and worker.up, checks, worker.last_seen
