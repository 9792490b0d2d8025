"""The team page.

It is built in a fixed number of queries however many members the team has: it reads
memberships, consents, ``PractitionerSummary`` rows and the headline figures frozen on
each completed ``Assessment``, never ratings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from accounts.models import Consent
from evidence.models import EvidenceItem
from selfassess.models import Assessment
from workforce.area import quarter_of, recent_quarters
from workforce.insight import quarter_label, statement_texts
from workforce.models import (
    Membership,
    PractitionerSummary,
    RoleRequirement,
    Team,
)
from workforce.selectors.requirements import (
    DOMAIN_NUMBERS,
    required_levels,
    requirements_of,
    team_domain_names,
)

S = Membership.Status
LEVELS = [1, 2, 3]
CPD_MONTHS = 12


# --- The team page ----------------------------------------------------------------


@dataclass
class MemberRow:
    membership: Membership
    shares_assessment: bool
    shares_cpd: bool
    completed_at: object = None
    highest: dict[int, int] = field(default_factory=dict)
    required: dict[int, int] = field(default_factory=dict)
    cpd_hours: Decimal | None = None

    @property
    def name(self) -> str:
        return str(self.membership.user)

    @property
    def role_label(self) -> str:
        profile = getattr(self.membership.user, "practitioner_profile", None)
        return profile.role_label if profile else ""

    @property
    def assessed(self) -> bool:
        return self.completed_at is not None

    def meets(self, number: int) -> bool | None:
        if not self.assessed or number not in self.required:
            return None
        return self.highest.get(number, 0) >= self.required[number]

    @property
    def domain_cells(self) -> list[tuple[int, int, int | None, bool | None]]:
        return [
            (n, self.highest.get(n, 0), self.required.get(n), self.meets(n)) for n in DOMAIN_NUMBERS
        ]

    @property
    def meets_all(self) -> bool | None:
        results = [self.meets(n) for n in DOMAIN_NUMBERS]
        if not self.assessed or all(r is None for r in results):
            return None
        return all(r is not False for r in results)


@dataclass
class Need:
    key: str
    domain: int
    text: str
    count: int


@dataclass
class TrendPoint:
    quarter: str
    label: str
    assessed: int
    met: int
    required: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.met / self.required) if self.required else None


@dataclass
class TeamOverview:
    team: Team
    domains: list[tuple[int, str]]
    members: list[MemberRow]
    not_sharing: int
    not_assessed: int
    # (domain, [count at level 1, 2, 3])
    map: list[tuple[int, str, list[int]]]
    needs: list[Need]
    trend: list[TrendPoint]
    requirements: list[RoleRequirement]
    cpd_by_kind: list[tuple[str, Decimal]]

    @property
    def sharing(self) -> list[MemberRow]:
        return [m for m in self.members if m.shares_assessment or m.shares_cpd]

    @property
    def assessed_count(self) -> int:
        return sum(1 for m in self.members if m.assessed)

    @property
    def member_count(self) -> int:
        return len(self.members) + self.not_sharing

    @property
    def map_max(self) -> int:
        return max(self.assessed_count, 1)


def team_overview(team: Team, *, needs: int = 10) -> TeamOverview:
    """The team page, in nine queries whatever the team's size.

    Members with users and profiles; their sharing consents; summaries of
    those who share their self-assessment; the team's requirements; domain
    names; statement wording for the top needs; snapshots' headline figures for
    the trend; CPD hours by member; CPD hours by kind.
    """
    memberships = list(
        team.memberships.filter(status=S.ACTIVE)
        .select_related("user__practitioner_profile")
        .order_by("user__full_name", "pk")
    )
    terms = dict(
        Consent.objects.filter(
            purpose=Consent.Purpose.ORGANISATION_SHARING,
            scope=team.organisation.consent_scope,
            withdrawn_at__isnull=True,
            user_id__in=[m.user_id for m in memberships],
        ).values_list("user_id", "terms")
    )
    rows = []
    not_sharing = 0
    for m in memberships:
        t = terms.get(m.user_id) or {}
        if not (t.get("assessment") or t.get("cpd")):
            not_sharing += 1
            continue
        rows.append(MemberRow(m, bool(t.get("assessment")), bool(t.get("cpd"))))
    assessment_ids = [r.membership.user_id for r in rows if r.shares_assessment]
    summaries = {
        s.user_id: s for s in PractitionerSummary.objects.filter(user_id__in=assessment_ids)
    }
    requirements = requirements_of(team)
    for row in rows:
        summary = summaries.get(row.membership.user_id)
        if summary is None:
            continue
        row.completed_at = summary.completed_at
        row.highest = {int(k): int(v) for k, v in summary.highest_levels.items()}
        profile = getattr(row.membership.user, "practitioner_profile", None)
        row.required = required_levels(
            requirements,
            job_role=profile.role if profile else "",
            team_role=row.membership.role,
            fallback=summary.target_level,
        )

    names = team_domain_names()
    assessed = [r for r in rows if r.assessed]
    team_map = [
        (n, name, [sum(1 for r in assessed if r.highest.get(n, 0) >= lv) for lv in LEVELS])
        for n, name in names
    ]

    need_counts: Counter = Counter()
    for row in assessed:
        for key in summaries[row.membership.user_id].not_achieved:
            code, level = key.rsplit("/L", 1)
            domain = int(code.split(".", 1)[0]) if code.split(".", 1)[0].isdigit() else 0
            if int(level) <= row.required.get(domain, 0):
                need_counts[key] += 1
    top = sorted(need_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:needs]
    texts = statement_texts([key for key, _n in top])
    need_rows = [
        Need(key, texts.get(key, (0, ""))[0], texts.get(key, (0, ""))[1], n) for key, n in top
    ]

    trend = _trend(assessed, requirements)
    cpd_rows = [r for r in rows if r.shares_cpd]
    hours, by_kind = _cpd(cpd_rows)
    for row in cpd_rows:
        row.cpd_hours = hours.get(row.membership.user_id, Decimal("0"))
    return TeamOverview(
        team=team,
        domains=names,
        members=rows,
        not_sharing=not_sharing,
        not_assessed=sum(1 for r in rows if r.shares_assessment and not r.assessed),
        map=team_map,
        needs=need_rows,
        trend=trend,
        requirements=requirements,
        cpd_by_kind=by_kind,
    )


def _trend(assessed: list[MemberRow], requirements) -> list[TrendPoint]:
    """Per quarter: domains where members met what is required of them, from snapshots."""
    if not assessed:
        return []
    by_user = {r.membership.user_id: r for r in assessed}
    snapshots = defaultdict(list)
    for user_id, completed_at, levels, target in (
        Assessment.objects.filter(user_id__in=list(by_user), status=Assessment.Status.COMPLETED)
        .order_by("completed_at")
        .values_list("user_id", "completed_at", "highest_levels", "target_level")
    ):
        snapshots[user_id].append((quarter_of(completed_at), levels or {}, target))
    first = min(q for history in snapshots.values() for q, _l, _t in history)
    quarters = [q for q in recent_quarters(timezone.localdate()) if q >= first]
    points = []
    for quarter in quarters:
        point = TrendPoint(quarter, quarter_label(quarter), 0, 0, 0)
        for user_id, history in snapshots.items():
            latest = None
            for q, levels, target in history:
                if q <= quarter:
                    latest = (levels, target)
            if latest is None:
                continue
            levels, target = latest
            row = by_user[user_id]
            profile = getattr(row.membership.user, "practitioner_profile", None)
            required = required_levels(
                requirements,
                job_role=profile.role if profile else "",
                team_role=row.membership.role,
                fallback=target,
            )
            point.assessed += 1
            for number, level in required.items():
                point.required += 1
                point.met += int(int(levels.get(str(number), 0)) >= level)
        points.append(point)
    return points


def _cpd(rows: list[MemberRow]) -> tuple[dict[int, Decimal], list[tuple[str, Decimal]]]:
    if not rows:
        return {}, []
    since = timezone.localdate() - timedelta(days=CPD_MONTHS * 365 // 12)
    items = EvidenceItem.objects.filter(
        owner_id__in=[r.membership.user_id for r in rows], start_date__gte=since
    )
    per_member = dict(
        items.values("owner_id").annotate(h=Sum("hours")).values_list("owner_id", "h")
    )
    labels = dict(EvidenceItem.Kind.choices)
    by_kind = [
        (str(labels.get(kind, kind)), hours or Decimal("0"))
        for kind, hours in items.values("kind").annotate(h=Sum("hours")).values_list("kind", "h")
    ]
    return {k: v or Decimal("0") for k, v in per_member.items()}, by_kind
