"""Messages to people about their applications and entries.

``notify`` writes the message in the caller's transaction; the email goes
after commit from a worker and is retried. The practitioner also reads every
message addressed to them on their application page.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from imhcf.background import enqueue
from register.models import Notification

logger = logging.getLogger(__name__)


def notify(
    *,
    recipient,
    template: str,
    context: dict,
    dedupe_key: str,
    application=None,
    entry=None,
) -> Notification:
    """Record a message from ``register/email/<template>.txt`` (first line is the subject)."""
    rendered = render_to_string(
        f"register/email/{template}.txt",
        {"recipient": recipient, "base_url": settings.IMHCF_PUBLIC_BASE_URL, **context},
    ).strip()
    subject, _, body = rendered.partition("\n")
    notification, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key[:120],
        defaults={
            "recipient": recipient,
            "application": application,
            "entry": entry,
            "subject": subject.strip()[:200],
            "body": body.strip(),
        },
    )
    if created:
        transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def _enqueue(notification_id: int) -> None:
    # The broker may be down; the row stays pending and the periodic sender picks it up.
    enqueue("register.tasks.send_notification_task", notification_id)


def notification_send(*, notification_id: int) -> bool:
    """Send one pending email. Claims it first, so a duplicate task sends nothing."""
    claimed = Notification.objects.filter(
        pk=notification_id,
        email_status=Notification.EmailStatus.PENDING,
        email_attempts__lt=settings.IMHCF_EMAIL_MAX_ATTEMPTS,
    ).update(
        email_status=Notification.EmailStatus.SENDING,
        email_claimed_at=timezone.now(),
        email_attempts=F("email_attempts") + 1,
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(
            subject=f"[IMHCF] {notification.subject}",
            message=notification.body,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except Exception:
        gave_up = notification.email_attempts >= settings.IMHCF_EMAIL_MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            email_status=(
                Notification.EmailStatus.FAILED if gave_up else Notification.EmailStatus.PENDING
            )
        )
        raise
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT, email_sent_at=timezone.now()
    )
    return True


def notifications_release_stale() -> int:
    """Put back emails whose sender died mid-send, so the periodic sender tries them again."""
    stale = timezone.now() - timedelta(minutes=10)
    return Notification.objects.filter(
        email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=stale
    ).update(email_status=Notification.EmailStatus.PENDING)
