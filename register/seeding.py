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
from django.db import transaction
from django.utils import timezone

from evidence.models import EvidenceItem, EvidenceLink
from imhcf.models import Statement
from imhcf.selectors import published_version
from register.models import Application, DossierStatement, RegisterEntry
from register.services.dossier import dossier_statement_build
from register.services.entries import entry_build
from selfassess.models import REGIONS_BY_NATION, Assessment, Profile, Rating, Role

FIRST_NAMES = [
    "Aisha",
    "Bethan",
    "Catriona",
    "Deepa",
    "Eilidh",
    "Fatima",
    "Gwen",
    "Hannah",
    "Imogen",
    "Jasmine",
    "Kerry",
    "Lowri",
    "Maryam",
    "Niamh",
    "Olu",
    "Priya",
    "Rhian",
    "Siobhan",
    "Tomasz",
    "Uzma",
    "Zainab",
    "Ben",
    "Callum",
    "Dafydd",
    "Ewan",
    "Gareth",
    "Idris",
    "Kwame",
    "Liam",
]
SURNAMES = [
    "Ahmed",
    "Boateng",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Griffiths",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lewis",
    "MacDonald",
    "Nowak",
    "O'Neill",
    "Patel",
    "Quinn",
    "Robertson",
    "Singh",
    "Thomas",
    "Wilson",
    "Yusuf",
    "Ó Súilleabháin",
    "Kowalczyk",
    "Brown",
    "Murray",
]
ORGANISATIONS = [
    "Riverside Health Visiting",
    "North Valley NHS Trust",
    "Little Acorns Nursery",
    "Family Hub East",
    "Perinatal Mental Health Service",
    "Parent-Infant Partnership",
    "Highland Health Board",
    "Cwm Taf Community Health",
    "Belfast Sure Start",
]
EVIDENCE_TITLES = [
    "Attachment and attunement workshop",
    "Video interaction guidance supervision",
    "Reflective practice group",
    "Perinatal mental health study day",
    "Observation of a baby at home",
    "Safeguarding babies refresher",
    "Newborn behavioural observation training",
    "Case discussion with the specialist team",
]
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


def seed_demo(*, practitioners: int, seed: int = 1, batch: int = 5000, log=print) -> SeedSummary:
    rng = random.Random(seed)
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

    password = make_password("demo-password-123")
    regions = [(n, code) for n, rs in REGIONS_BY_NATION.items() for code, _label in rs]
    roles = [r for r in Role.values if r != Role.OTHER]
    today = timezone.localdate()

    with transaction.atomic():
        users = User.objects.bulk_create(
            (
                User(
                    email=f"p{n}@{marker}.{SEED_DOMAIN}",
                    full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                    password=password,
                )
                for n in range(practitioners)
            ),
            batch_size=batch,
        )
        EmailAddress.objects.bulk_create(
            (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
            batch_size=batch,
        )
        log(f"{len(users)} practitioners")
        profiles = []
        for user in users:
            nation, region = rng.choice(regions)
            profiles.append(
                Profile(
                    user=user,
                    role=rng.choice(roles),
                    service_setting=rng.choice(["universal", "targeted", "specialist"]),
                    sector=rng.choice(["public", "public", "private", "voluntary"]),
                    organisation=rng.choice(ORGANISATIONS),
                    nation=nation,
                    region=region,
                    target_level=rng.choice([1, 2, 2, 3]),
                )
            )
        Profile.objects.bulk_create(profiles, batch_size=batch)
        assessments = Assessment.objects.bulk_create(
            (Assessment(user=u, version=version) for u in users), batch_size=batch
        )

        strengths = {u.pk: rng.uniform(0.3, 1.2) for u in users}
        rating_count = 0
        chunk: list[Rating] = []
        for assessment in assessments:
            strength = strengths[assessment.user_id]
            for statement in statements:
                chunk.append(
                    Rating(
                        assessment=assessment,
                        statement=statement,
                        value=_rating_value(rng, statement.level, strength),
                    )
                )
            if len(chunk) >= batch * 4:
                Rating.objects.bulk_create(chunk, batch_size=batch)
                rating_count += len(chunk)
                chunk = []
        Rating.objects.bulk_create(chunk, batch_size=batch)
        rating_count += len(chunk)
        log(f"{rating_count} ratings")

        items = EvidenceItem.objects.bulk_create(
            (
                EvidenceItem(
                    owner=u,
                    kind=rng.choice(EvidenceItem.Kind.values),
                    title=rng.choice(EVIDENCE_TITLES),
                    start_date=today - timedelta(days=rng.randint(1, 700)),
                    hours=Decimal(rng.choice(["1", "1.5", "2", "3", "6", "7.5", "12"])),
                    provider=rng.choice(ORGANISATIONS),
                    description="What I did, what I learnt, and what I will do differently.",
                    equality_inclusion=rng.random() < 0.15,
                    deidentified=True,
                )
                for u in users
                for _ in range(rng.randint(2, 8))
            ),
            batch_size=batch,
        )
        EvidenceLink.objects.bulk_create(
            (
                EvidenceLink(item=item, statement=statement)
                for item in items
                for statement in rng.sample(statements, 3)
            ),
            batch_size=batch,
            ignore_conflicts=True,
        )
        log(f"{len(items)} evidence items")

        applicants = rng.sample(users, max(1, practitioners // 5))
        states = [
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
        profile_by_user = {p.user_id: p for p in profiles}
        now = timezone.now()
        applications = Application.objects.bulk_create(
            (
                Application(
                    applicant=u,
                    level=1,
                    version=version,
                    status=states[i % len(states)],
                    applicant_name=u.full_name,
                    organisation=profile_by_user[u.pk].organisation,
                    region=profile_by_user[u.pk].region,
                    declared_accuracy=True,
                    declared_conduct=True,
                    consented_review=True,
                    consented_publication=True,
                    submitted_at=now - timedelta(days=rng.randint(1, 400)),
                    decided_at=None
                    if states[i % len(states)] in Application.OPEN_STATUSES
                    else now,
                )
                for i, u in enumerate(applicants)
            ),
            batch_size=batch,
        )
        level_one = [s for s in statements if s.level == 1]
        DossierStatement.objects.bulk_create(
            (
                dossier_statement_build(app, 1, s, rating=Rating.Value.ACHIEVED)
                for app in applications
                for s in level_one
            ),
            batch_size=batch,
        )
        entries = []
        for app in applications:
            if app.status != A.APPROVED:
                continue
            recognised = today - timedelta(days=rng.randint(0, 500))
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
        RegisterEntry.objects.bulk_create(entries, batch_size=batch)
        log(f"{len(applications)} applications, {len(entries)} register entries")
        extra = [extend(users=users, rng=rng, log=log, batch=batch) for extend in _extenders]

    return SeedSummary(len(users), rating_count, len(items), len(applications), len(entries), extra)


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
