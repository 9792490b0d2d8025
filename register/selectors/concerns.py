"""Reads of concerns: the staff list and case trail, and what the public entry shows."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register import states
from register.models import AuditEvent, Concern

C = Concern.Status
OPEN = states.CONCERN_OPEN


def staff_list() -> list[tuple[str, list[Concern]]]:
    """Open concerns by status, oldest first, then the latest closed or decided; two queries."""
    open_concerns = list(
        Concern.objects.filter(status__in=OPEN)
        .select_related("entry", "handler")
        .order_by("received_at", "id")
    )
    finished = list(
        Concern.objects.exclude(status__in=OPEN)
        .select_related("entry", "handler")
        .order_by("-received_at", "-id")[:50]
    )
    labels = dict(C.choices)
    groups = [
        (str(labels[status]), [c for c in open_concerns if c.status == status]) for status in OPEN
    ]
    return [*groups, (str(_("Finished (latest 50)")), finished)]


def trail(concern: Concern) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(subject=f"{Concern.AUDIT_SUBJECT}:{concern.pk}")
        .select_related("actor")
        .order_by("created_at", "id")
    )


def published_outcomes(entry_id: int) -> list[Concern]:
    """Conditions, suspensions and removals decided within the published period, newest first.

    An outcome overturned on appeal is not published.
    """
    since = timezone.now() - timedelta(days=365 * settings.IMHCF_CONCERN_PUBLISH_YEARS)
    return list(
        Concern.objects.filter(
            entry_id=entry_id,
            outcome__in=Concern.PUBLISHED_OUTCOMES,
            decided_at__gte=since,
        )
        .exclude(appeal_upheld=True)
        .only("outcome", "public_text", "decided_at", "status", "appeal_upheld")
        .order_by("-decided_at", "-id")
    )
