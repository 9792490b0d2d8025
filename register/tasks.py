"""Thin tasks for the register: emails and the daily housekeeping."""

import logging

from celery import shared_task

from register.selectors.notifications import pending_notification_ids
from register.services import entries, notifications, reference_links, renewals, reviewing

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=5, ignore_result=True)
def send_notification_task(self, notification_id: int) -> None:
    try:
        notifications.notification_send(notification_id=notification_id)
    except Exception as exc:
        # SMTP down or slow: back off and try again; the row stays pending meanwhile,
        # and the periodic sender picks it up if the retries run out.
        logger.warning("Email %s not sent (%s); retrying", notification_id, exc)
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 1800)) from exc


@shared_task(ignore_result=True)
def send_pending_notifications() -> None:
    notifications.notifications_release_stale()
    for notification_id in pending_notification_ids():
        send_notification_task.delay(notification_id)


@shared_task(ignore_result=True)
def register_daily() -> None:
    counts = {
        "stale_claims_released": reviewing.stale_claims_release(),
        "reminders": renewals.renewal_reminders_send(),
        "lapsed": entries.entries_lapse(),
        "reference_reminders": reference_links.reference_reminders_send(),
    }
    logger.info("Register housekeeping: %s", counts)


@shared_task(ignore_result=True)
def send_daily_digests() -> None:
    logger.info("Daily digests sent: %s", notifications.digests_send())
