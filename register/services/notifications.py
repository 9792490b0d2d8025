"""Messages to people about their applications and entries.

``notify`` writes the message in the caller's transaction; the email goes
after commit from a worker and is retried. The practitioner also reads every
message addressed to them on their application page.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, override

from accounts.roles import REVIEWERS_GROUP
from imhcf.background import enqueue
from register.models import Notification, NotificationPreference, RegisterEntry

logger = logging.getLogger(__name__)


def notify(
    *,
    recipient=None,
    to_email: str = "",
    template: str,
    context: dict | None = None,
    dedupe_key: str,
    application=None,
    entry=None,
    reference=None,
    work: bool = False,
) -> Notification:
    """Record a message from ``register/email/<template>.txt`` (first line is the subject).

    ``work`` marks a notice of work for a reviewer or administrator: if they
    chose the daily digest it waits for that instead of going at once.
    ``to_email`` addresses someone without an account (a referee, say).
    The template sees the application, entry and reference the message is about.
    """
    about = {"application": application, "entry": entry, "reference": reference}
    context = {name: value for name, value in about.items() if value is not None} | (context or {})
    # In the recipient's own language, whoever's request (or task) sends it. Someone
    # without an account (a referee) gets the language of the request that wrote to them.
    language = recipient.preferred_language if recipient is not None else get_language()
    with override(language):
        rendered = render_to_string(
            f"register/email/{template}.txt",
            {"recipient": recipient, "base_url": settings.IMHCF_PUBLIC_BASE_URL, **context},
        ).strip()
    subject, _, body = rendered.partition("\n")
    held = work and recipient is not None and wants_digest(recipient)
    notification, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key[:120],
        defaults={
            "recipient": recipient,
            "to_email": "" if recipient is not None else to_email,
            "reference": reference,
            "application": application,
            "entry": entry,
            "subject": subject.strip()[:200],
            "body": body.strip(),
            "email_status": (
                Notification.EmailStatus.HELD if held else Notification.EmailStatus.PENDING
            ),
        },
    )
    if created and not held:
        transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def notify_owner(about, *, template: str, dedupe_key: str, **context) -> Notification:
    """A message to the person whose application or register entry ``about`` is, about it."""
    if isinstance(about, RegisterEntry):
        owner, subject = about.practitioner, {"entry": about}
    else:
        owner, subject = about.applicant, {"application": about}
    return notify(
        recipient=owner, template=template, context=context, dedupe_key=dedupe_key, **subject
    )


def wants_digest(user) -> bool:
    return NotificationPreference.objects.filter(user=user, daily_digest=True).exists()


def preference_set(*, user, daily_digest: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest}
    )
    return preference


def _staff():
    return get_user_model().objects.filter(is_active=True, is_staff=True)


def _reviewers():
    return get_user_model().objects.filter(is_active=True, groups__name=REVIEWERS_GROUP)


def notify_staff(*, template: str, dedupe_key: str, context=None, exclude=(), **about) -> int:
    """Tell every administrator of work waiting for them (once each: the key gets their id)."""
    return _notify_each(_staff(), template, context, dedupe_key, exclude, about)


def notify_reviewers(*, template: str, dedupe_key: str, context=None, exclude=(), **about) -> int:
    """Tell every reviewer of new work; ``exclude`` leaves out the applicant, say."""
    return _notify_each(_reviewers(), template, context, dedupe_key, exclude, about)


def notify_application_waiting(application) -> int:
    """Tell every reviewer that a new application waits in the queue (not its applicant)."""
    return notify_reviewers(
        template="new_application_reviewer",
        dedupe_key=f"new-application:{application.pk}",
        exclude=[application.applicant_id],
        application=application,
    )


def _notify_each(people, template, context, dedupe_key, exclude, about) -> int:
    excluded = {getattr(person, "pk", person) for person in exclude}
    count = 0
    for person in people.exclude(pk__in=excluded).distinct():
        notify(
            recipient=person,
            template=template,
            context=context,
            dedupe_key=f"{dedupe_key}:{person.pk}",
            work=True,
            **about,
        )
        count += 1
    return count


def digests_send() -> int:
    """One email per person holding notices for the digest; returns how many went.

    The notices are claimed (held to sending) before the email goes, so two
    runs at once send each notice once; a failed send puts them back.
    """
    sent = 0
    recipients = (
        Notification.objects.filter(email_status=Notification.EmailStatus.HELD)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for recipient_id in list(recipients):
        with transaction.atomic():
            notices = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=recipient_id, email_status=Notification.EmailStatus.HELD)
                .select_related("recipient")
                .order_by("created_at", "id")
            )
            if not notices:
                continue
            ids = [n.pk for n in notices]
            Notification.objects.filter(pk__in=ids).update(
                email_status=Notification.EmailStatus.SENDING, email_claimed_at=timezone.now()
            )
        recipient = notices[0].recipient
        with override(recipient.preferred_language):
            body = render_to_string(
                "register/email/digest.txt",
                {
                    "recipient": recipient,
                    "notices": notices,
                    "base_url": settings.IMHCF_PUBLIC_BASE_URL,
                },
            ).strip()
        subject, _, text = body.partition("\n")
        try:
            send_mail(
                subject=f"[IMHCF] {subject.strip()}",
                message=text.strip(),
                from_email=None,
                recipient_list=[recipient.email],
            )
        except Exception:
            Notification.objects.filter(pk__in=ids).update(
                email_status=Notification.EmailStatus.HELD
            )
            logger.warning("Digest for user %s not sent; kept for the next run", recipient_id)
            continue
        Notification.objects.filter(pk__in=ids).update(
            email_status=Notification.EmailStatus.SENT, email_sent_at=timezone.now()
        )
        sent += 1
    return sent


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
    body = notification.body
    if notification.reference_id:
        # A referee's link is made now, for this email alone: the stored body never holds one.
        from register.services.reference_links import LINK_PLACEHOLDER, link_mint

        body = body.replace(LINK_PLACEHOLDER, link_mint(notification.reference_id))
    try:
        send_mail(
            subject=f"[IMHCF] {notification.subject}",
            message=body,
            from_email=None,
            recipient_list=[notification.address],
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
