"""Which emails the periodic sender should (re)send."""

from __future__ import annotations

from django.conf import settings

from register.models import Notification


def pending_notification_ids(limit: int = 200) -> list[int]:
    """Emails still to send, oldest first, leaving out those that ran out of attempts."""
    return list(
        Notification.objects.filter(
            email_status=Notification.EmailStatus.PENDING,
            email_attempts__lt=settings.IMHCF_EMAIL_MAX_ATTEMPTS,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
