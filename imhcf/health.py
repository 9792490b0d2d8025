"""Liveness of the parts the app cannot work without: the database and the broker."""

from django.conf import settings
from django.db import connection
from kombu import Connection

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


def health_report() -> tuple[bool, dict[str, str]]:
    db_ok, db_detail = database_ok()
    mq_ok, mq_detail = broker_ok()
    return db_ok and mq_ok, {"database": db_detail, "broker": mq_detail}
