"""Reads the background figures start from: each practitioner's newest completed snapshot,
and the people the area figures count (with their consent to anonymised statistics).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.db.models import Min, OuterRef, Subquery

from accounts.models import Consent
from register.models import RegisterEntry
from selfassess.models import Assessment, Profile
from workforce.area import DOMAINS, NO_ORGANISATION, REGION_NATION, UK, quarter_of, recent_quarters
from workforce.models import Membership, PractitionerSummary

COMPLETED = Assessment.Status.COMPLETED


def latest_completed_ids(user_ids=None) -> dict[int, int]:
    """user id -> id of their newest completed snapshot: one query."""
    newest = (
        Assessment.objects.filter(user=OuterRef("user"), status=COMPLETED)
        .order_by("-completed_at", "-pk")
        .values("pk")[:1]
    )
    qs = Assessment.objects.filter(status=COMPLETED, pk=Subquery(newest))
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    return dict(qs.values_list("user_id", "pk"))


# How many practitioners are read at once: memory stays flat however many consent.
COUNTED_CHUNK = 2000


def counted_people(today: date, chunk: int = COUNTED_CHUNK) -> Iterator[dict]:
    """One dict per counted practitioner: where, which groups, and what to count.

    Read a chunk of people at a time (6 queries a chunk), in user id order, so the
    area refresh holds one chunk and the counts, never the whole population.
    """
    consenting = Consent.objects.filter(
        purpose=Consent.Purpose.ANONYMISED_STATISTICS, withdrawn_at__isnull=True
    ).values("user_id")
    after = 0
    while True:
        summaries = {
            s.user_id: s
            for s in PractitionerSummary.objects.filter(user_id__in=consenting, user_id__gt=after)
            .order_by("user_id")
            .only("user_id", "target_level", "highest_levels", "not_achieved")[:chunk]
        }
        if not summaries:
            return
        after = max(summaries)
        yield from _people_of(summaries, today)


def _people_of(summaries: dict, today: date) -> Iterator[dict]:
    profiles = Profile.objects.filter(user_id__in=list(summaries)).values(
        "user_id", "nation", "region", "sector", "service_setting", "role", "target_level"
    )
    # The organisation someone joined first stands for them, so each person has one kind.
    first_joined = dict(
        Membership.objects.filter(user_id__in=list(summaries), status=Membership.Status.ACTIVE)
        .values("user_id")
        .annotate(first=Min("pk"))
        .values_list("user_id", "first")
    )
    kinds = dict(
        Membership.objects.filter(pk__in=list(first_joined.values())).values_list(
            "user_id", "organisation__kind"
        )
    )
    registered: dict[int, int] = {}
    for user_id, level in RegisterEntry.objects.filter(
        practitioner_id__in=list(summaries), status__in=RegisterEntry.PUBLIC_STATUSES
    ).values_list("practitioner_id", "level"):
        registered[user_id] = max(level, registered.get(user_id, 0))
    quarters = recent_quarters(today)
    snapshots: dict[int, list[tuple[str, dict]]] = defaultdict(list)
    for user_id, completed_at, levels in (
        Assessment.objects.filter(user_id__in=list(summaries), status=Assessment.Status.COMPLETED)
        .order_by("user_id", "completed_at")
        .values_list("user_id", "completed_at", "highest_levels")
    ):
        snapshots[user_id].append((quarter_of(completed_at), levels or {}))

    for p in profiles:
        summary = summaries[p["user_id"]]
        region = p["region"]
        if region not in REGION_NATION:
            continue
        target = summary.target_level or p["target_level"] or 1
        by_quarter = {}
        latest: dict | None = None
        history = snapshots.get(p["user_id"], [])
        for quarter in quarters:
            for q, levels in history:
                if q <= quarter:
                    latest = levels
            if latest is not None:
                by_quarter[quarter] = latest
        yield (
            {
                "geos": (UK, REGION_NATION[region], region),
                "groups": (
                    ("", ""),
                    ("sector", p["sector"]),
                    ("setting", p["service_setting"]),
                    ("role", p["role"]),
                    ("org_kind", kinds.get(p["user_id"]) or NO_ORGANISATION),
                ),
                # The newest snapshot as the trend reads it, so this quarter's trend and
                # the levels table are the same counts (their sums are linked for suppression).
                "levels": {
                    d: int((history[-1][1] if history else summary.highest_levels or {}).get(d, 0))
                    for d in DOMAINS
                },
                "register": registered.get(p["user_id"], 0),
                "gaps": [k for k in summary.not_achieved if int(k.rsplit("/L", 1)[1]) <= target],
                "trend": by_quarter,
            }
        )
