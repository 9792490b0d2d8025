"""Realistic demo data at scale, repeatable from a seed, written with bulk inserts.

Practitioners across professions, nations and regions; assessments whose
ratings fall off with level the way real self-ratings do; evidence with
hours; applications in every state; and register entries that are active,
suspended or lapsed. Used by benchmarks and load tests, never in production.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import reset_queries, transaction
from django.utils import timezone

from evidence.models import EvidenceItem, EvidenceLink
from imhcf.bulk_load import rows_insert
from imhcf.models import Statement
from imhcf.selectors import published_version
from register.models import Application, DossierStatement, RegisterEntry
from register.seeding.words import EVIDENCE_TITLES, FIRST_NAMES, ORGANISATIONS, SURNAMES
from register.services.dossier import dossier_statement_build
from register.services.entries import entry_build
from selfassess.models import REGIONS_BY_NATION, Assessment, Profile, Rating, Role

SEED_DOMAIN = "seed.imhcf.invalid"

A = Application.Status


# Apps above this one add their own demo data to the same run: each extender gets
# the seeded users, the random generator (so the same seed gives the same data)
# and the log, inside the same transaction, and returns a line for the summary.
SeedExtender = Callable[..., str]
_extenders: list[SeedExtender] = []
# And each removes what it added, given the seeded users, before they are deleted.
_resetters: list[Callable] = []


def provide_seed_extender(extender: SeedExtender, reset: Callable | None = None) -> SeedExtender:
    if extender not in _extenders:
        _extenders.append(extender)
    if reset is not None and reset not in _resetters:
        _resetters.append(reset)
    return extender


@dataclass
class SeedSummary:
    practitioners: int
    ratings: int
    evidence_items: int
    applications: int
    entries: int
    extra: list[str] = field(default_factory=list)


def _rating_value(rng: random.Random, level: int, strength: float) -> str:
    # Practitioners rate level 1 highest and level 3 lowest; strength shifts the whole person.
    chance_achieved = max(0.0, min(1.0, strength - 0.25 * (level - 1)))
    roll = rng.random()
    if roll < chance_achieved:
        return Rating.Value.ACHIEVED
    if roll < chance_achieved + 0.3:
        return Rating.Value.WORKING_TOWARDS
    return Rating.Value.NOT_STARTED


@dataclass
class _Context:
    """What every block of practitioners is made from, worked out once."""

    rng: random.Random
    version: object
    statements: list
    marker: str
    password: str
    batch: int
    today: object = field(default_factory=timezone.localdate)
    now: object = field(default_factory=timezone.now)
    regions: list = field(
        default_factory=lambda: [(n, c) for n, rs in REGIONS_BY_NATION.items() for c, _l in rs]
    )
    roles: list = field(default_factory=lambda: [r for r in Role.values if r != Role.OTHER])


def seed_demo(*, practitioners: int, seed: int = 1, batch: int = 5000, log=print) -> SeedSummary:
    """Seed ``practitioners`` people, ``batch`` at a time, in one transaction.

    Each block is written and then dropped, apart from its users (the extenders
    need them), so memory grows with the users alone, not with their ratings.
    """
    User = get_user_model()
    version = published_version()
    if version is None:
        raise RuntimeError("Load the framework first: manage.py load_framework.")
    statements = list(
        Statement.objects.filter(competency__domain__version=version).select_related(
            "competency__domain"
        )
    )
    marker = f"s{seed}"
    if User.objects.filter(email__endswith=f"@{marker}.{SEED_DOMAIN}").exists():
        raise ValueError(f"Seed {seed} has already been loaded; use another --seed or --reset.")
    ctx = _Context(
        rng=random.Random(seed),
        version=version,
        statements=statements,
        marker=marker,
        password=make_password("demo-password-123"),
        batch=batch,
    )
    users: list = []
    totals = SeedSummary(0, 0, 0, 0, 0)
    with transaction.atomic():
        for start in range(0, practitioners, batch):
            block = _seed_block(ctx, range(start, min(practitioners, start + batch)), totals)
            users += block
            # With DEBUG on, Django keeps each query's SQL, and a block's INSERTs run to
            # megabytes: without this, memory would grow with the ratings after all.
            reset_queries()
            log(
                f"{len(users)} practitioners, {totals.ratings} ratings, "
                f"{totals.evidence_items} evidence items, {totals.applications} applications, "
                f"{totals.entries} register entries"
            )
        totals.extra = [
            extend(users=users, rng=ctx.rng, log=log, batch=batch) for extend in _extenders
        ]
    return totals


def _seed_block(ctx: _Context, numbers: range, totals: SeedSummary) -> list:
    rng = ctx.rng
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            email=f"p{n}@{ctx.marker}.{SEED_DOMAIN}",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
            password=ctx.password,
        )
        for n in numbers
    )
    rows_insert(
        EmailAddress,
        ("user_id", "email", "verified", "primary"),
        ((u.pk, u.email, True, True) for u in users),
    )
    profiles = {}
    for user in users:
        nation, region = rng.choice(ctx.regions)
        profiles[user.pk] = (
            user.pk,
            rng.choice(ctx.roles),
            rng.choice(["universal", "targeted", "specialist"]),
            rng.choice(["public", "public", "private", "voluntary"]),
            rng.choice(ORGANISATIONS),
            nation,
            region,
            rng.choice([1, 2, 2, 3]),
        )
    rows_insert(
        Profile,
        (
            "user_id",
            "role",
            "service_setting",
            "sector",
            "organisation",
            "nation",
            "region",
            "target_level",
        ),
        profiles.values(),
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(user=u, version=ctx.version) for u in users
    )
    strengths = {u.pk: rng.uniform(0.3, 1.2) for u in users}
    totals.ratings += rows_insert(
        Rating,
        ("assessment_id", "statement_id", "value"),
        (
            (a.pk, s.pk, _rating_value(rng, s.level, strengths[a.user_id]))
            for a in assessments
            for s in ctx.statements
        ),
    )
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            owner=u,
            kind=rng.choice(EvidenceItem.Kind.values),
            title=rng.choice(EVIDENCE_TITLES),
            start_date=ctx.today - timedelta(days=rng.randint(1, 700)),
            hours=Decimal(rng.choice(["1", "1.5", "2", "3", "6", "7.5", "12"])),
            provider=rng.choice(ORGANISATIONS),
            description="What I did, what I learnt, and what I will do differently.",
            equality_inclusion=rng.random() < 0.15,
            deidentified=True,
        )
        for u in users
        for _ in range(rng.randint(2, 8))
    )
    rows_insert(
        EvidenceLink,
        ("item_id", "statement_id"),
        ((item.pk, s.pk) for item in items for s in rng.sample(ctx.statements, 3)),
    )
    totals.evidence_items += len(items)
    applications = _seed_applications(ctx, rng.sample(users, max(1, len(users) // 5)), profiles)
    totals.applications += len(applications)
    totals.entries += _seed_entries(ctx, applications)
    totals.practitioners += len(users)
    return users


STATES = [
    A.SUBMITTED,
    A.IN_REVIEW,
    A.CHANGES_REQUESTED,
    A.MODERATION,
    A.APPROVED,
    A.APPROVED,
    A.APPROVED,
    A.REJECTED,
    A.WITHDRAWN,
]


def _seed_applications(ctx: _Context, applicants: list, profiles: dict) -> list[Application]:
    rng = ctx.rng
    applications = Application.objects.bulk_create(
        Application(
            applicant=u,
            level=1,
            version=ctx.version,
            status=STATES[i % len(STATES)],
            applicant_name=u.full_name,
            organisation=profiles[u.pk][4],
            region=profiles[u.pk][6],
            declared_accuracy=True,
            declared_conduct=True,
            consented_review=True,
            consented_publication=True,
            submitted_at=ctx.now - timedelta(days=rng.randint(1, 400)),
            decided_at=None if STATES[i % len(STATES)] in Application.OPEN_STATUSES else ctx.now,
        )
        for i, u in enumerate(applicants)
    )
    level_one = [s for s in ctx.statements if s.level == 1]
    DossierStatement.objects.bulk_create(
        (
            dossier_statement_build(app, 1, s, rating=Rating.Value.ACHIEVED)
            for app in applications
            for s in level_one
        ),
        batch_size=ctx.batch,
    )
    return applications


def _seed_entries(ctx: _Context, applications: list[Application]) -> int:
    rng = ctx.rng
    entries = []
    for app in applications:
        if app.status != A.APPROVED:
            continue
        recognised = ctx.today - timedelta(days=rng.randint(0, 500))
        status = rng.choices(
            [
                RegisterEntry.Status.ACTIVE,
                RegisterEntry.Status.SUSPENDED,
                RegisterEntry.Status.LAPSED,
            ],
            weights=[88, 4, 8],
        )[0]
        entries.append(
            entry_build(
                app,
                recognised_on=recognised,
                status=status,
                restriction="Practises under supervision." if status == "suspended" else "",
            )
        )
    RegisterEntry.objects.bulk_create(entries)
    return len(entries)


def seed_reset() -> int:
    """Delete every seeded practitioner and what hangs off them."""
    User = get_user_model()
    seeded = User.objects.filter(email__endswith=f".{SEED_DOMAIN}")
    with transaction.atomic():
        for reset in _resetters:
            reset(seeded)
        RegisterEntry.objects.filter(practitioner__in=seeded).delete()
        Application.objects.filter(applicant__in=seeded).delete()
        EvidenceItem.objects.filter(owner__in=seeded).delete()
        count, _ = seeded.delete()
    return count
