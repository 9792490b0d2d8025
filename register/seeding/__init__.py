"""Realistic demo data at scale, repeatable from a seed, written with bulk inserts.

Practitioners across professions, nations and regions; assessments whose
ratings fall off with level the way real self-ratings do; evidence with
hours; applications in every state; and register entries that are active,
suspended or lapsed. Used by benchmarks and load tests, never in production.

It is over 400 lines because the run is one pass in one transaction: its stages
(people, assessments, evidence, applications, entries) share one context and one
row writer, and read top to bottom in the order the rows are written. What other
apps plug into it lives in ``register.seeding.extenders``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from itertools import repeat

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from evidence.models import EvidenceItem, EvidenceLink
from imhcf.bulk_load import foreign_keys_checked_at_end, ids_reserve, rows_insert
from imhcf.models import Statement
from imhcf.selectors import published_version
from register.models import Application, DossierStatement, RegisterEntry
from register.seeding.extenders import (
    SeedBlock,
    SeededPerson,
    _extenders,
    _resetters,
)
from register.seeding.words import EVIDENCE_TITLES, FIRST_NAMES, ORGANISATIONS, SURNAMES
from register.services.dossier import dossier_statement_build
from register.services.entries import entry_build
from selfassess.models import REGIONS_BY_NATION, Assessment, Profile, Rating, Role
from selfassess.selectors.progress import figures_from_rows

SEED_DOMAIN = "seed.imhcf.invalid"

A = Application.Status


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
    # Snapshots and extenders draw from their own generators, so that adding to them
    # never changes the people, ratings and evidence a seed already gives.
    snapshot_rng: random.Random
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

    def __post_init__(self) -> None:
        self.levels = [s.level for s in self.statements]
        self.domains = [s.competency.domain.number for s in self.statements]
        # Each level-1 statement's frozen dossier copy, the same for every application
        # but for the application itself: built once, not once per application.
        dossier = [
            dossier_statement_build(None, 1, s, rating=Rating.Value.ACHIEVED)
            for s in self.statements
            if s.level == 1
        ]
        self.dossier_names = [
            f.attname
            for f in DossierStatement._meta.concrete_fields
            if f.attname not in ("id", "application_id")
        ]
        self.dossier_rows = [
            tuple(getattr(ds, name) for name in self.dossier_names) for ds in dossier
        ]


def seed_demo(*, practitioners: int, seed: int = 1, batch: int = 5000, log=print) -> SeedSummary:
    """Seed ``practitioners`` people, ``batch`` at a time, in one transaction.

    Each block is written, handed to the extenders and dropped, so memory stays
    flat however many people there are. The big tables are written with COPY on
    PostgreSQL (``imhcf.bulk_load``), with batched inserts elsewhere: the same
    rows either way.
    """
    version = published_version()
    if version is None:
        raise RuntimeError("Load the framework first: manage.py load_framework.")
    statements = list(
        Statement.objects.filter(competency__domain__version=version).select_related(
            "competency__domain"
        )
    )
    marker = f"s{seed}"
    if get_user_model().objects.filter(email__endswith=f"@{marker}.{SEED_DOMAIN}").exists():
        raise ValueError(f"Seed {seed} has already been loaded; use another --seed or --reset.")
    ctx = _Context(
        rng=random.Random(seed),
        snapshot_rng=random.Random(f"{seed}:snapshots"),
        version=version,
        statements=statements,
        marker=marker,
        password=make_password("demo-password-123"),  # one hash, shared by every seeded user
        batch=batch,
    )
    totals = SeedSummary(0, 0, 0, 0, 0)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Demo data: nothing is lost that a rerun cannot make again.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        runs = [
            start(rng=random.Random(f"{seed}:{i}"), log=log, total=practitioners, batch=batch)
            for i, start in enumerate(_extenders)
        ]
        loaded = [*BULK_MODELS, *(m for run in runs for m in run.bulk_models)]
        with foreign_keys_checked_at_end(*loaded):
            for first in range(0, practitioners, batch):
                block = _seed_block(ctx, range(first, min(practitioners, first + batch)), totals)
                block.first, block.total = first == 0, practitioners
                for run in runs:
                    run.block(block)
                # With DEBUG on, Django keeps each query's SQL, and a block's INSERTs run to
                # megabytes: without this, memory would grow with the ratings after all.
                reset_queries()
                log(
                    f"{totals.practitioners} practitioners, {totals.ratings} ratings, "
                    f"{totals.evidence_items} evidence items, {totals.applications} applications, "
                    f"{totals.entries} register entries"
                )
        if connection.vendor == "postgresql":
            log("Foreign keys put back and checked.")
        for run in runs:
            totals.extra.append(run.finish())
            log(totals.extra[-1])
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics, so the first pages' plans see millions of rows, not none
        # (4 s at 100,000 people once committed; inside the seed's transaction, far longer).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log("Statistics refreshed.")
    return totals


def _people(ctx: _Context, profiles: dict) -> list[SeededPerson]:
    """Each practitioner's ratings and, for three in four, their completed snapshot."""
    rng = ctx.rng
    strengths = [rng.uniform(0.3, 1.2) for _ in profiles]
    people = [
        SeededPerson(
            user_id=pk,
            nation=profile[5],
            region=profile[6],
            assessment_id=0,
            completed_at=None,
            target_level=None,
            highest_levels={},
            values=[_rating_value(rng, level, strength) for level in ctx.levels],
        )
        for (pk, profile), strength in zip(profiles.items(), strengths, strict=True)
    ]
    for person in people:
        if ctx.snapshot_rng.random() < 0.75:
            person.target_level = ctx.snapshot_rng.choice([1, 2, 2, 3])
            person.completed_at = ctx.now - timedelta(days=ctx.snapshot_rng.randint(0, 120))
    return people


# The tables seeded by the million, or by the hundred thousand at 100,000 people.
BULK_MODELS = (
    Assessment,
    Rating,
    EvidenceItem,
    EvidenceLink,
    DossierStatement,
    EmailAddress,
    Profile,
    Application,
    RegisterEntry,
)

ASSESSMENT_FIGURES = (
    "target_level",
    "statement_count",
    "achieved_count",
    "working_count",
    "target_statement_count",
    "target_achieved_count",
    "highest_levels",
)


def _seed_assessments(ctx: _Context, people: list[SeededPerson]) -> None:
    """Each person's current assessment, their ratings, and earlier headline-only snapshots."""
    rng = ctx.snapshot_rng
    version_id = ctx.version.pk
    for person, pk in zip(people, ids_reserve(Assessment, len(people)), strict=True):
        person.assessment_id = pk
    rows_insert(
        Assessment,
        ("id", "user_id", "version_id"),
        ((p.assessment_id, p.user_id, version_id) for p in people if p.completed_at is None),
    )
    completed, earlier = [], []
    for p in people:
        if p.completed_at is None:
            continue
        figures = figures_from_rows(
            zip(ctx.domains, ctx.levels, p.values, repeat(False)), p.target_level
        )
        p.highest_levels = figures["highest_levels"]
        completed.append(
            (
                p.assessment_id,
                p.user_id,
                version_id,
                "completed",
                p.completed_at,
                *(figures[name] for name in ASSESSMENT_FIGURES),
            )
        )
        # Earlier snapshots, a little lower, for the trend (headline figures only).
        for back in range(rng.randint(0, 2)):
            levels = {d: max(0, v - rng.choice([0, 0, 1])) for d, v in p.highest_levels.items()}
            earlier.append(
                (
                    p.user_id,
                    version_id,
                    "completed",
                    p.completed_at - timedelta(days=120 * (back + 1)),
                    p.target_level,
                    levels,
                )
            )
    rows_insert(
        Assessment,
        ("id", "user_id", "version_id", "status", "completed_at", *ASSESSMENT_FIGURES),
        completed,
    )
    rows_insert(
        Assessment,
        ("user_id", "version_id", "status", "completed_at", "target_level", "highest_levels"),
        earlier,
    )
    statement_ids = [s.pk for s in ctx.statements]
    return rows_insert(
        Rating,
        ("assessment_id", "statement_id", "value"),
        (
            (p.assessment_id, statement_id, value)
            for p in people
            for statement_id, value in zip(statement_ids, p.values, strict=True)
        ),
    )


def _seed_block(ctx: _Context, numbers: range, totals: SeedSummary) -> SeedBlock:
    rng = ctx.rng
    User = get_user_model()
    user_ids = ids_reserve(User, len(numbers))
    users = [
        (
            pk,
            f"p{n}@{ctx.marker}.{SEED_DOMAIN}",
            f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        )
        for pk, n in zip(user_ids, numbers, strict=True)
    ]
    rows_insert(User, ("id", "email", "full_name", "password"), ((*u, ctx.password) for u in users))
    rows_insert(
        EmailAddress,
        ("user_id", "email", "verified", "primary"),
        ((pk, email, True, True) for pk, email, _name in users),
    )
    profiles = {}
    for pk, _email, _name in users:
        nation, region = rng.choice(ctx.regions)
        profiles[pk] = (
            pk,
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
    people = _people(ctx, profiles)
    totals.ratings += _seed_assessments(ctx, people)
    totals.evidence_items += _seed_evidence(ctx, user_ids)
    applicants = rng.sample(users, max(1, len(users) // 5))
    applications = _seed_applications(ctx, applicants, profiles)
    totals.applications += len(applications)
    totals.entries += _seed_entries(ctx, applications)
    totals.practitioners += len(users)
    return SeedBlock(people=people, statements=ctx.statements, first=False, total=0, now=ctx.now)


def _seed_evidence(ctx: _Context, user_ids: list[int]) -> int:
    rng = ctx.rng
    items = [
        (
            owner,
            rng.choice(EvidenceItem.Kind.values),
            rng.choice(EVIDENCE_TITLES),
            ctx.today - timedelta(days=rng.randint(1, 700)),
            Decimal(rng.choice(["1", "1.5", "2", "3", "6", "7.5", "12"])),
            rng.choice(ORGANISATIONS),
            "What I did, what I learnt, and what I will do differently.",
            rng.random() < 0.15,
            True,
        )
        for owner in user_ids
        for _ in range(rng.randint(2, 8))
    ]
    item_ids = ids_reserve(EvidenceItem, len(items))
    rows_insert(
        EvidenceItem,
        (
            "id",
            "owner_id",
            "kind",
            "title",
            "start_date",
            "hours",
            "provider",
            "description",
            "equality_inclusion",
            "deidentified",
        ),
        ((pk, *item) for pk, item in zip(item_ids, items, strict=True)),
    )
    statement_ids = [s.pk for s in ctx.statements]
    rows_insert(
        EvidenceLink,
        ("item_id", "statement_id"),
        ((pk, s) for pk in item_ids for s in rng.sample(statement_ids, 3)),
    )
    return len(item_ids)


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
            applicant_id=pk,
            level=1,
            version=ctx.version,
            status=STATES[i % len(STATES)],
            applicant_name=name,
            organisation=profiles[pk][4],
            region=profiles[pk][6],
            declared_accuracy=True,
            declared_conduct=True,
            consented_review=True,
            consented_publication=True,
            submitted_at=ctx.now - timedelta(days=rng.randint(1, 400)),
            decided_at=None if STATES[i % len(STATES)] in Application.OPEN_STATUSES else ctx.now,
        )
        for i, (pk, _email, name) in enumerate(applicants)
    )
    rows_insert(
        DossierStatement,
        ("application_id", *ctx.dossier_names),
        ((app.pk, *row) for app in applications for row in ctx.dossier_rows),
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
