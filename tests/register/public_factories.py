"""Register entries for the public register's tests and benchmark.

An entry needs an approved ``Application``; these make minimal ones directly,
without a dossier or reviews, because the public pages read only the entry.
``seed_register`` makes a register of any size quickly: on PostgreSQL with two
INSERT ... SELECT statements, elsewhere with ``bulk_create``.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from imhcf.models import FrameworkVersion
from register.models import Application, RegisterEntry
from register.numbers import number_for_application
from register.services.entries import entry_build
from selfassess.models import REGIONS_BY_NATION
from tests.factories import UserFactory, build_framework

E = RegisterEntry.Status


def _names(text: str) -> list[str]:
    # Written as text so the lists stay readable; some names contain spaces.
    return [name.strip() for name in text.split(",")]


REGION_CODES = [code for regions in REGIONS_BY_NATION.values() for code, _label in regions]

FIRST_NAMES = _names(
    """
    Aisha, Alex, Amelia, Amir, Aoife, Bethan, Charlotte, Chloe, Dafydd, Daniel, Ebony,
    Eilidh, Ella, Emily, Fatima, Freya, George, Gráinne, Grace, Hannah, Harriet, Imogen,
    Isla, Jack, Jade, James, Jasmine, Joanna, Kerry, Kirsty, Laura, Leah, Lucy, Megan,
    Mohammed, Niamh, Nicola, Olivia, Oliver, Priya, Rachel, Rebecca, Rhiannon, Rosie, Ruth,
    Sam, Sarah, Seán, Shona, Siân, Siobhán, Sophie, Tom, Usha, Victoria, Wei, Yasmin, Zainab,
    Zoë, Zofia
    """
)
SURNAMES = _names(
    """
    Adams, Ahmed, Ali, Allen, Anderson, Armstrong, Atkinson, Bailey, Baker, Barnes, Bell,
    Bennett, Brown, Butler, Campbell, Carter, Chapman, Chen, Clark, Clarke, Cole, Collins,
    Cook, Cooper, Cox, Davies, Davis, Dixon, Doherty, Edwards, Ellis, Evans, Fisher,
    Fletcher, Ford, Foster, Fox, Gallagher, Gibson, Graham, Grant, Gray, Green, Griffiths,
    Hall, Hamilton, Harris, Harrison, Hart, Harvey, Hill, Holmes, Hope, Howard, Hughes, Hunt,
    Hussain, Jackson, James, Jenkins, Johnson, Johnston, Jones, Kaur, Kelly, Kennedy, Khan,
    King, Knight, Lee, Lewis, Lloyd, Marshall, Martin, Mason, Matthews, McDonald, McLaughlin,
    Miller, Mills, Mitchell, Moore, Morgan, Morris, Murphy, Murray, Ní Bhriain, O'Brien,
    O'Neill, Owen, Palmer, Parker, Patel, Pearson, Phillips, Powell, Price, Pritchard, Quinn,
    Reid, Reynolds, Richards, Richardson, Roberts, Robertson, Robinson, Rogers, Rose, Ross,
    Russell, Scott, Shaw, Simpson, Singh, Smith, Smith-Jones, Stevens, Stewart, Taylor,
    Thomas, Thompson, Thomson, Turner, Walker, Wallace, Ward, Watson, Webb, White, Wilkinson,
    Williams, Wilson, Wood, Wright, Wu, Young
    """
)
# One name in this many is unusual, so a benchmark can search for a rare one.
RARE_EVERY = 25_000
RARE_SURNAME = "Featherstonehaugh"
# The names the search benchmark asks for, and whose plans a test pins: common
# and rare, two letters, a name typed without its accents, with them, and
# with a curly apostrophe.
BENCH_NAME_QUERIES = [
    "son",
    "smith",
    RARE_SURNAME[:9].lower(),
    "wu",
    "ki",
    "sian",
    "Siân Wu",
    "ni bhriain",
    "o\u2019brien",
]


def seeded_name(index: int) -> str:
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    if index % RARE_EVERY == 17:
        return f"{first} {RARE_SURNAME}"
    return f"{first} {SURNAMES[(index // len(FIRST_NAMES)) % len(SURNAMES)]}"


def published_version() -> FrameworkVersion:
    """The published framework, or a small one: an application needs a version."""
    return FrameworkVersion.objects.filter(
        status=FrameworkVersion.Status.PUBLISHED
    ).first() or build_framework(domains=1, competencies_per_domain=1)


def _application(*, applicant, name: str, level: int, region: str, organisation: str, version):
    now = timezone.now()
    return Application(
        applicant=applicant,
        level=level,
        version=version,
        status=Application.Status.APPROVED,
        applicant_name=name,
        organisation=organisation,
        region=region,
        declared_accuracy=True,
        declared_conduct=True,
        consented_review=True,
        consented_publication=True,
        submitted_at=now - timedelta(days=40),
        decided_at=now - timedelta(days=30),
    )


def make_entry(
    *,
    name: str = "Jane Smith",
    level: int = 1,
    region: str = "london",
    status: str = E.ACTIVE,
    restriction: str = "",
    valid_until=None,
    organisation: str = "Riverside Health Visiting",
    practitioner=None,
) -> RegisterEntry:
    today = timezone.localdate()
    practitioner = practitioner or UserFactory(full_name=name)
    application = _application(
        applicant=practitioner,
        name=name,
        level=level,
        region=region,
        organisation=organisation,
        version=published_version(),
    )
    application.save()
    entry = entry_build(
        application,
        recognised_on=today - timedelta(days=30),
        status=status,
        restriction=restriction,
    )
    entry.valid_until = valid_until or today + timedelta(days=335)
    entry.save()
    return entry


def make_entries(count: int, *, name_prefix: str = "Person", **fields) -> list[RegisterEntry]:
    """``count`` active entries for one practitioner, in two bulk inserts."""
    today = timezone.localdate()
    practitioner = UserFactory()
    version = published_version()
    level, region = fields.get("level", 1), fields.get("region", "london")
    applications = Application.objects.bulk_create(
        _application(
            applicant=practitioner,
            name=f"{name_prefix} {index:04d}",
            level=level,
            region=region,
            organisation="Bulk Organisation",
            version=version,
        )
        for index in range(count)
    )
    entries = [
        entry_build(
            application,
            recognised_on=today - timedelta(days=30),
            status=fields.get("status", E.ACTIVE),
            restriction=fields.get("restriction", ""),
        )
        for application in applications
    ]
    for entry in entries:
        entry.valid_until = today + timedelta(days=335)
    return RegisterEntry.objects.bulk_create(entries)


def seed_register(count: int, *, practitioner=None) -> list[str]:
    """A register of ``count`` entries with realistic names; returns their numbers.

    Of every hundred: 3 suspended, 4 lapsed, 3 removed and 2 active but past
    their valid-until date (in the grace period); the rest currently registered.
    """
    practitioner = practitioner or UserFactory(email="register-seed@example.org")
    version = published_version()
    names = [seeded_name(index) for index in range(count)]
    regions = [REGION_CODES[(index * 7) % len(REGION_CODES)] for index in range(count)]
    levels = [1 + index % 3 for index in range(count)]
    if connection.vendor == "postgresql":
        return _seed_postgresql(practitioner, version, names, regions, levels)
    return _seed_bulk(practitioner, version, names, regions, levels)


def _seed_postgresql(practitioner, version, names, regions, levels) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            # Table names come from the models, values are parameters.
            f"""
            INSERT INTO {Application._meta.db_table} (
                level, status, round, applicant_name, organisation, region,
                declared_accuracy, declared_conduct, consented_review, consented_publication,
                submitted_at, decided_at, decision_reasons, updated_at, applicant_id, version_id
            )
            SELECT u.level, 'approved', 1, u.name, 'Seeded Organisation', u.region,
                   true, true, true, true, now(), now(), '', now(), %s, %s
            FROM unnest(%s::text[], %s::text[], %s::int[]) AS u(name, region, level)
            RETURNING id
            """,  # noqa: S608
            [practitioner.pk, version.pk, names, regions, levels],
        )
        ids = [row[0] for row in cursor.fetchall()]
        numbers = [number_for_application(pk) for pk in ids]
        cursor.execute(
            f"""
            INSERT INTO {RegisterEntry._meta.db_table} (
                registration_number, display_name, level, region, status, restriction,
                restriction_cy, recognised_on, valid_until, created_at, updated_at, application_id,
                practitioner_id
            )
            SELECT u.number, a.applicant_name, a.level, a.region,
                   CASE WHEN a.id %% 100 < 3 THEN 'suspended'
                        WHEN a.id %% 100 < 7 THEN 'lapsed'
                        WHEN a.id %% 100 < 10 THEN 'removed'
                        ELSE 'active' END,
                   CASE WHEN a.id %% 100 < 3 THEN 'Must practise under supervision.'
                        ELSE '' END,
                   CASE WHEN a.id %% 100 < 3 THEN 'Rhaid ymarfer dan oruchwyliaeth.'
                        ELSE '' END,
                   current_date - 200,
                   CASE WHEN a.id %% 100 BETWEEN 3 AND 11 THEN current_date - 20
                        ELSE current_date + (a.id %% 300)::int + 1 END,
                   now(), now(), a.id, a.applicant_id
            FROM unnest(%s::bigint[], %s::text[]) AS u(application_id, number)
            JOIN {Application._meta.db_table} a ON a.id = u.application_id
            """,  # noqa: S608
            [ids, numbers],
        )
    return numbers


def _seed_status(pk: int) -> tuple[str, str, int]:
    bucket = pk % 100
    status = (
        E.SUSPENDED
        if bucket < 3
        else E.LAPSED
        if bucket < 7
        else E.REMOVED
        if bucket < 10
        else E.ACTIVE
    )
    restriction = "Must practise under supervision." if bucket < 3 else ""
    days = -20 if 3 <= bucket <= 11 else pk % 300 + 1
    return status, restriction, days


def _seed_bulk(practitioner, version, names, regions, levels) -> list[str]:
    today = timezone.localdate()
    applications = Application.objects.bulk_create(
        (
            _application(
                applicant=practitioner,
                name=name,
                level=level,
                region=region,
                organisation="Seeded Organisation",
                version=version,
            )
            for name, region, level in zip(names, regions, levels, strict=True)
        ),
        batch_size=2000,
    )
    entries = []
    for application in applications:
        status, restriction, days = _seed_status(application.pk)
        entry = entry_build(
            application,
            recognised_on=today - timedelta(days=200),
            status=status,
            restriction=restriction,
        )
        # Spread the expiry dates, so some entries are lapsing or out of date.
        entry.valid_until = today + timedelta(days=days)
        entries.append(entry)
    RegisterEntry.objects.bulk_create(entries, batch_size=2000)
    return [entry.registration_number for entry in entries]
