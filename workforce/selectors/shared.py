"""One member's shared data, as a team lead may see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from workforce.models import (
    Membership,
    PractitionerSummary,
)

# --- One member's shared data -----------------------------------------------------


@dataclass
class SharedMember:
    membership: Membership
    terms: dict
    summary: PractitionerSummary | None
    ratings: list = field(default_factory=list)
    cpd: object = None


def shared_member(membership: Membership, terms: dict) -> SharedMember:
    """What the member agreed to show: ratings from their newest snapshot, CPD hours.

    Never notes, reflections or evidence files: the ratings are read without
    their notes, and CPD is summed by domain and kind only.
    """
    from evidence.selectors import cpd_summary
    from selfassess.models import Rating

    result = SharedMember(membership, terms, None)
    if terms.get("assessment"):
        result.summary = PractitionerSummary.objects.filter(user=membership.user).first()
        if result.summary is not None:
            result.ratings = list(
                Rating.objects.filter(assessment_id=result.summary.assessment_id)
                .select_related("statement__competency__domain")
                .only(
                    "value",
                    "statement__level",
                    "statement__text",
                    "statement__competency__code",
                    "statement__competency__title",
                    "statement__competency__domain__number",
                    "statement__competency__domain__name",
                )
                .order_by(
                    "statement__competency__domain__number",
                    "statement__competency__code",
                    "statement__level",
                )
            )
    if terms.get("cpd"):
        end = timezone.localdate()
        full = cpd_summary(membership.user, end - timedelta(days=365), end)
        # Only the sums leave: the items carry titles and reflections the member did not share.
        result.cpd = SharedCpd(
            full.start, full.end, full.total_hours, full.hours_by_kind, full.hours_by_domain
        )
    return result


@dataclass(frozen=True)
class SharedCpd:
    start: object
    end: object
    total_hours: Decimal
    hours_by_kind: list
    hours_by_domain: list
