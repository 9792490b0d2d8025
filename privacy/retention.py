"""The retention schedule (settings ``IMHCF_RETAIN_*``), carried out once a day."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from register.models import Notification


def messages_delete_old(now: datetime | None = None) -> int:
    """Messages older than the schedule allows; ones still waiting to be sent are kept."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMHCF_RETAIN_MESSAGES_DAYS)
    deleted, _ = (
        Notification.objects.filter(created_at__lt=cutoff)
        .exclude(email_status=Notification.EmailStatus.PENDING)
        .delete()
    )
    return deleted


def retention_run(now: datetime | None = None) -> dict[str, int]:
    return {"messages_deleted": messages_delete_old(now)}
