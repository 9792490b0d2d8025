"""The referee's emailed link, and the reminders that carry a fresh one.

A token is ``TimestampSigner``-signed ``<reference id>.<32 random bytes>``:
guessing needs the random part and the site's key, and the signature's age
enforces expiry before the database is asked. Only its SHA-256 is stored, as a
``ReferenceLink`` made when the email is actually sent (``LINK_PLACEHOLDER``
in a stored email is swapped for a new link at sending), so no stored email
holds a live token. A link works while its reference waits for an answer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from register.models import Application, Notification, Reference, ReferenceLink
from register.services.notifications import notify, notify_owner

R = Reference.Status
A = Application.Status

LINK_PLACEHOLDER = "[[reference-link]]"
_SALT = "register.reference-link"


# --- Tokens --------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_mint(reference_id: int) -> str:
    """A new link for one email; returns its absolute URL. Stores only the token's hash."""
    token = signing.TimestampSigner(salt=_SALT).sign(f"{reference_id}.{secrets.token_urlsafe(32)}")
    now = timezone.now()
    ReferenceLink.objects.create(
        reference_id=reference_id,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.IMHCF_REFERENCE_LINK_DAYS),
    )
    return settings.IMHCF_PUBLIC_BASE_URL + reverse("register:referee_link", args=[token])


def link_check(token: str) -> ReferenceLink | None:
    """The live link this token names, or None: forged, expired, unknown or already answered."""
    if len(token) > 300:
        return None
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=timedelta(days=settings.IMHCF_REFERENCE_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    reference_id, _sep, _nonce = value.partition(".")
    link = (
        ReferenceLink.objects.select_related("reference")
        .filter(token_hash=_hash(token), reference_id=reference_id)
        .first()
    )
    if link is None or not hmac.compare_digest(link.token_hash, _hash(token)):
        return None
    return link if link_is_live(link) else None


def link_is_live(link: ReferenceLink) -> bool:
    return (
        link.used_at is None
        and link.expires_at > timezone.now()
        and link.reference.status == R.REQUESTED
    )


def link_get_live(link_id) -> ReferenceLink | None:
    """The link a referee's session holds, if it still works."""
    link = ReferenceLink.objects.select_related("reference").filter(pk=link_id).first()
    return link if link is not None and link_is_live(link) else None


# --- Reminders ----------------------------------------------------------------------------


def reference_reminders_send(now=None) -> int:
    """Remind referees who have not answered, on or after each reminder day, once each.

    As with renewal reminders, only the latest reminder due goes when several
    are (the daily run stopped for a while), and none twice.
    """
    now = now or timezone.now()
    days_list = sorted(settings.IMHCF_REFERENCE_REMINDER_DAYS)
    if not days_list:
        return 0
    sent = 0
    waiting = Reference.objects.filter(
        status=R.REQUESTED,
        application__status=A.AWAITING_REFERENCES,
        requested_at__lte=now - timedelta(days=days_list[0]),
    ).select_related("application")
    for reference in waiting:
        age = (now - reference.requested_at).days
        due = [d for d in days_list if d <= age]
        day = due[-1]
        keys = [f"reference-reminder:{reference.pk}:{d}" for d in days_list]
        if Notification.objects.filter(dedupe_key__in=keys[days_list.index(day) :]).exists():
            continue
        with transaction.atomic():
            notify(
                to_email=reference.email,
                template="reference_reminder",
                context={"link": LINK_PLACEHOLDER, "days": age},
                dedupe_key=keys[days_list.index(day)],
                application=reference.application,
                reference=reference,
            )
            if day == days_list[-1]:
                reference_status_notify(reference, "silent")
        sent += 1
    return sent


def reference_status_notify(reference: Reference, news: str) -> None:
    """Tell the applicant how a reference stands: ``received``, ``declined`` or ``silent``."""
    notify_owner(
        reference.application,
        template="reference_status",
        dedupe_key=f"reference-status:{reference.pk}:{news}",
        reference=reference,
    )
