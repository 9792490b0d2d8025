"""The retention schedule (settings ``IMHCF_RETAIN_*``), carried out once a day."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from privacy import erasure
from register.models import Notification, RegisterEntry


def messages_delete_old(now: datetime | None = None) -> int:
    """Messages older than the schedule allows; ones still waiting to be sent are kept."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMHCF_RETAIN_MESSAGES_DAYS)
    deleted, _ = (
        Notification.objects.filter(created_at__lt=cutoff)
        .exclude(email_status=Notification.EmailStatus.PENDING)
        .delete()
    )
    return deleted


def inactive_accounts_schedule(now: datetime | None = None) -> int:
    """Accounts unused for the schedule's years, with no current entry, are closed.

    They go through the same erasure as a person's own request, cooling-off and
    confirmation email included, so someone who still wants the account can keep it.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=365 * settings.IMHCF_RETAIN_INACTIVE_ACCOUNT_YEARS)
    current = RegisterEntry.objects.filter(status__in=RegisterEntry.PUBLIC_STATUSES)
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=False, date_joined__lt=cutoff)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True))
        .exclude(pk__in=current.values("practitioner_id"))
        .exclude(data_requests__kind="erasure", data_requests__status="pending")
    )
    scheduled = 0
    for user in candidates.iterator():
        erasure.erasure_request(subject=user, requested_by=user)
        scheduled += 1
    return scheduled


def retention_run(now: datetime | None = None) -> dict[str, int]:
    due = erasure.erasures_due(now)
    erased = sum(erasure.account_erase(data_request_id=pk, now=now) for pk in due)
    return {
        "messages_deleted": messages_delete_old(now),
        "inactive_accounts_scheduled": inactive_accounts_schedule(now),
        "accounts_erased": erased,
    }
