"""Demo workforce data for ``seed_demo``: organisations, teams, requirements, consents.

Runs inside ``register.seeding.seed_demo`` through its extender registry, one
block of people at a time, as they are written. The seed has already completed
three in four of their assessments (with one or two earlier snapshots carrying
only headline figures, so trends have a history). Four in five join an
organisation; of those, three in five share with it; seven in ten opt in to
anonymised statistics. When there are at least 400 practitioners, one team has
200 members, for the benchmark. Each completed snapshot's summary is written
from the ratings the seed made, as ``summaries`` would write it, without
reading them back; the area figures are then computed, as the nightly job would.
"""

from __future__ import annotations

import random

from django.utils import timezone

from accounts.models import Consent
from imhcf.bulk_load import rows_insert
from selfassess.models import REGIONS_BY_NATION, Rating
from workforce import services
from workforce.models import (
    AreaRefresh,
    Membership,
    Organisation,
    PractitionerSummary,
    RoleRequirement,
    Team,
)

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
SUMMARY_FIELDS = [
    "user_id",
    "assessment_id",
    "completed_at",
    "target_level",
    "highest_levels",
    "not_achieved",
]


class WorkforceSeed:
    """One seed run's workforce data, written a block of people at a time."""

    bulk_models = (Membership, Consent, PractitionerSummary)

    def __init__(self, *, rng: random.Random, log, total: int, batch: int = 5000) -> None:
        self.rng, self.log, self.total, self.batch = rng, log, total, batch
        self.now = timezone.now()
        self.regions = [(n, code) for n, rs in REGIONS_BY_NATION.items() for code, _l in rs]
        self.counts = dict.fromkeys(
            ["organisations", "teams", "memberships", "requirements", "consents", "summaries"], 0
        )
        self.big = None
        self.statistics = services.statistics_wording() % {"n": 5}
        self.order = None

    def block(self, block) -> None:
        rng = self.rng
        organisations, teams = self._organisations(len(block.people))
        if block.first and block.total >= 400:
            self.big = Team.objects.create(organisation=organisations[0], name=BIG_TEAM)
            self.counts["teams"] += 1
            teams_with_big = [*teams, self.big]
        else:
            teams_with_big = teams
        self._requirements(teams_with_big)
        members = [p for p in block.people if rng.random() < 0.8]
        big_members = {p.user_id for p in members[:200]} if block.first and self.big else set()
        # The first member of each team leads it; the first other of each organisation runs it.
        led, run, memberships, consents = set(), set(), [], []
        wordings = {}
        for person in members:
            team = self.big if person.user_id in big_members else rng.choice(teams)
            org = team.organisation
            role = Membership.Role.MEMBER
            if team.pk not in led:
                role = Membership.Role.TEAM_LEAD
                led.add(team.pk)
            elif org.pk not in run:
                role = Membership.Role.ORGANISATION_ADMIN
                run.add(org.pk)
            memberships.append(
                (person.user_id, org.pk, team.pk, Membership.Status.ACTIVE, self.now, role)
            )
            if rng.random() < 0.6:
                cpd = rng.random() < 0.5
                if (org.pk, cpd) not in wordings:
                    wordings[org.pk, cpd] = services.sharing_wording(org, assessment=True, cpd=cpd)
                consents.append(
                    (
                        person.user_id,
                        Consent.Purpose.ORGANISATION_SHARING,
                        org.consent_scope,
                        {"assessment": True, "cpd": cpd},
                        wordings[org.pk, cpd],
                        self.now,
                    )
                )
        self.counts["memberships"] += rows_insert(
            Membership,
            ("user_id", "organisation_id", "team_id", "status", "joined_at", "role"),
            memberships,
        )
        consents += [
            (
                p.user_id,
                Consent.Purpose.ANONYMISED_STATISTICS,
                "",
                {},
                self.statistics,
                self.now,
            )
            for p in block.people
            if rng.random() < 0.7
        ]
        self.counts["consents"] += rows_insert(
            Consent, ("user_id", "purpose", "scope", "terms", "wording", "given_at"), consents
        )
        self.counts["summaries"] += self._summaries(block)

    def _organisations(self, people: int) -> tuple[list[Organisation], list[Team]]:
        rng = self.rng
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"{rng.choice(ORGANISATION_WORDS)} {KIND_NAMES[kind]} "
                f"{self.counts['organisations'] + i + 1}",
                kind=kind,
                nation=nation,
                region=region,
                verified=rng.random() < 0.7,
            )
            for i in range(max(2, people // 40))
            for kind in [rng.choice(list(KIND_NAMES))]
            for nation, region in [rng.choice(self.regions)]
        )
        teams = Team.objects.bulk_create(
            Team(organisation=org, name=name)
            for org in organisations
            for name in rng.sample(TEAM_NAMES, rng.randint(1, 3))
        )
        self.counts["organisations"] += len(organisations)
        self.counts["teams"] += len(teams)
        return organisations, teams

    def _requirements(self, teams: list[Team]) -> None:
        requirements = []
        for team in teams:
            base = self.rng.choice([1, 2, 2])
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
        RoleRequirement.objects.bulk_create(requirements, batch_size=self.batch)
        self.counts["requirements"] += len(requirements)

    def _summaries(self, block) -> int:
        """Each completed snapshot's summary, from the ratings the seed gave it."""
        if self.order is None:
            keyed = [(s.competency.code, s.level, i) for i, s in enumerate(block.statements)]
            self.order = [
                (i, services.statement_key(code, level)) for code, level, i in sorted(keyed)
            ]
        achieved = Rating.Value.ACHIEVED
        built = (
            services.summary_build(
                user_id=p.user_id,
                assessment_id=p.assessment_id,
                completed_at=p.completed_at,
                target_level=p.target_level,
                highest_levels=p.highest_levels,
                not_achieved=[key for i, key in self.order if p.values[i] != achieved],
            )
            for p in block.people
            if p.completed_at is not None
        )
        return rows_insert(
            PractitionerSummary,
            SUMMARY_FIELDS,
            (tuple(getattr(s, name) for name in SUMMARY_FIELDS) for s in built),
        )

    def finish(self) -> str:
        refresh = AreaRefresh.objects.create()
        services.area_refresh_run(refresh_id=refresh.pk)
        c = self.counts
        return (
            f"Workforce: {c['organisations']} organisations, {c['teams']} teams, "
            f"{c['memberships']} memberships, {c['requirements']} requirements, "
            f"{c['consents']} consents, {c['summaries']} summaries"
            + (f"; team {self.big.pk} has 200 members" if self.big else "")
        )


def reset_workforce(seeded_users) -> None:
    """Remove what seeding added for these users (and organisations left empty)."""
    Consent.objects.filter(user__in=seeded_users).delete()
    seeded_orgs = Membership.objects.filter(user__in=seeded_users).values("organisation_id")
    Organisation.objects.filter(pk__in=seeded_orgs).delete()
