"""Demo workforce data for ``seed_demo``: organisations, teams, requirements, consents.

Runs inside ``register.seeding.seed_demo`` through its extender registry, on the
users it has just made. Three in four practitioners complete the assessment the
seed gave them (with one or two earlier snapshots carrying only headline figures,
so trends have a history); four in five join an organisation; of those, three
in five share with it; seven in ten opt in to anonymised statistics. When there
are at least 400 practitioners, one team has 200 members, for the benchmark.
Summaries and area figures are then computed, as the nightly job would.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from accounts.models import Consent
from selfassess.models import REGIONS_BY_NATION, Assessment, Rating
from selfassess.selectors.progress import figures_from_rows
from workforce import services
from workforce.models import AreaRefresh, Membership, Organisation, RoleRequirement, Team

BIG_TEAM = "Benchmark health visiting (200)"
ORGANISATION_WORDS = ["Riverside", "Northgate", "Valley", "Harbour", "Moorland", "Castle", "Oak"]
KIND_NAMES = {
    "nhs": "NHS Trust",
    "local_authority": "Council",
    "early_years": "Nurseries",
    "voluntary": "Family Charity",
    "private_practice": "Therapy Practice",
    "education": "College",
}
TEAM_NAMES = ["Health visiting", "Perinatal", "Family hub", "Early years", "Parent-infant"]


def seed_workforce(*, users, rng: random.Random, log, batch: int = 5000) -> str:
    now = timezone.now()
    completed = _complete_snapshots(users, rng, now, batch)
    log(f"{completed} completed self-assessments")

    regions = [(n, code) for n, rs in REGIONS_BY_NATION.items() for code, _l in rs]
    org_count = max(2, len(users) // 40)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"{rng.choice(ORGANISATION_WORDS)} {KIND_NAMES[kind]} {i + 1}",
            kind=kind,
            nation=nation,
            region=region,
            verified=rng.random() < 0.7,
        )
        for i in range(org_count)
        for kind in [rng.choice(list(KIND_NAMES))]
        for nation, region in [rng.choice(regions)]
    )
    teams = Team.objects.bulk_create(
        Team(organisation=org, name=name)
        for org in organisations
        for name in rng.sample(TEAM_NAMES, rng.randint(1, 3))
    )
    big = None
    if len(users) >= 400:
        big = Team.objects.create(organisation=organisations[0], name=BIG_TEAM)
    members = [u for u in users if rng.random() < 0.8]
    memberships = []
    big_members = set(u.pk for u in members[:200]) if big else set()
    for user in members:
        team = big if user.pk in big_members else rng.choice(teams)
        memberships.append(
            Membership(
                user=user,
                organisation=team.organisation,
                team=team,
                status=Membership.Status.ACTIVE,
                joined_at=now,
            )
        )
    # The first member of each team leads it; the first of each organisation runs it.
    led, run = set(), set()
    for m in memberships:
        if m.team.pk not in led:
            m.role = Membership.Role.TEAM_LEAD
            led.add(m.team.pk)
        elif m.organisation.pk not in run:
            m.role = Membership.Role.ORGANISATION_ADMIN
            run.add(m.organisation.pk)
    Membership.objects.bulk_create(memberships, batch_size=batch)

    requirements = []
    for team in [*teams, *([big] if big else [])]:
        base = rng.choice([1, 2, 2])
        requirements += [
            RoleRequirement(team=team, job_role="", team_role="", domain_number=d, level=base)
            for d in range(1, 8)
        ]
        requirements.append(
            RoleRequirement(
                team=team,
                job_role="",
                team_role=Membership.Role.TEAM_LEAD,
                domain_number=6,
                level=3,
            )
        )
    RoleRequirement.objects.bulk_create(requirements, batch_size=batch)

    consents = []
    for m in memberships:
        if rng.random() < 0.6:
            assessment, cpd = True, rng.random() < 0.5
            consents.append(
                Consent(
                    user=m.user,
                    purpose=Consent.Purpose.ORGANISATION_SHARING,
                    scope=m.organisation.consent_scope,
                    terms={"assessment": assessment, "cpd": cpd},
                    wording=services.sharing_wording(
                        m.organisation, assessment=assessment, cpd=cpd
                    ),
                    given_at=now,
                )
            )
    statistics = services.statistics_wording() % {"n": 5}
    consents += [
        Consent(
            user=u,
            purpose=Consent.Purpose.ANONYMISED_STATISTICS,
            wording=statistics,
            given_at=now,
        )
        for u in users
        if rng.random() < 0.7
    ]
    Consent.objects.bulk_create(consents, batch_size=batch)

    written = services.summaries_refresh_all()
    refresh = AreaRefresh.objects.create()
    services.area_refresh_run(refresh_id=refresh.pk)
    return (
        f"Workforce: {len(organisations)} organisations, {len(teams) + bool(big)} teams, "
        f"{len(memberships)} memberships, {len(requirements)} requirements, "
        f"{len(consents)} consents, {written} summaries"
        + (f"; team {big.pk} has 200 members" if big else "")
    )


FROZEN_FIELDS = [
    "status",
    "completed_at",
    "target_level",
    "statement_count",
    "achieved_count",
    "working_count",
    "target_statement_count",
    "target_achieved_count",
    "highest_levels",
]


def _complete_snapshots(users, rng: random.Random, now, batch: int) -> int:
    """Freeze three in four seeded assessments, dated over the past two years."""
    chosen = [u.pk for u in users if rng.random() < 0.75]
    completed = 0
    earlier = []
    # A thousand snapshots' ratings per query: one query each would be 75,000 at 100,000 people.
    for start in range(0, len(chosen), 1000):
        block = list(
            Assessment.objects.filter(
                user_id__in=chosen[start : start + 1000], status=Assessment.Status.IN_PROGRESS
            ).order_by("pk")
        )
        rows = defaultdict(list)
        counted = (
            Rating.objects.filter(assessment__in=block)
            .values_list(
                "assessment_id",
                "statement__competency__domain__number",
                "statement__level",
                "value",
                "needs_review",
            )
            .annotate(n=Count("pk"))
            .order_by()
        )
        for assessment_id, *row, n in counted:
            rows[assessment_id] += [tuple(row)] * n
        for assessment in block:
            target = rng.choice([1, 2, 2, 3])
            figures = figures_from_rows(rows[assessment.pk], target)
            figures.pop("needs_review")
            for name, value in figures.items():
                setattr(assessment, name, value)
            assessment.status = Assessment.Status.COMPLETED
            assessment.completed_at = now - timedelta(days=rng.randint(0, 120))
            # Earlier snapshots, a little lower, for the trend (headline figures only).
            for back in range(rng.randint(0, 2)):
                levels = {
                    d: max(0, int(v) - rng.choice([0, 0, 1]))
                    for d, v in figures["highest_levels"].items()
                }
                earlier.append(
                    Assessment(
                        user_id=assessment.user_id,
                        version_id=assessment.version_id,
                        status=Assessment.Status.COMPLETED,
                        completed_at=assessment.completed_at - timedelta(days=120 * (back + 1)),
                        target_level=target,
                        highest_levels=levels,
                    )
                )
        completed += len(block)
        Assessment.objects.bulk_update(block, FROZEN_FIELDS)
    Assessment.objects.bulk_create(earlier, batch_size=batch)
    return completed


def reset_workforce(seeded_users) -> None:
    """Remove what seeding added for these users (and organisations left empty)."""
    Consent.objects.filter(user__in=seeded_users).delete()
    seeded_orgs = Membership.objects.filter(user__in=seeded_users).values("organisation_id")
    Organisation.objects.filter(pk__in=seeded_orgs).delete()
