"""Public register pages on a large register, as ratios to a trivial view.

On PostgreSQL the register has 100,000 entries (create the database first):

    createdb -h 127.0.0.1 -U postgres imhcf_bench_search
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imhcf_bench_search \\
        .venv/bin/python bench/register_search.py

Without DATABASE_URL it runs on a throwaway SQLite file with 10,000 entries:
SQLite has no trigram index, so name search there is a scan.
The entries are seeded once and reused by later runs on the same database.
"""

from bench.common import (
    Client,
    bench_environment,
    expect_status,
    median_ms,
    report,
    running_server,
    setup_django,
)

POSTGRESQL_ENTRIES = 100_000
SQLITE_ENTRIES = 10_000
SEED_EMAIL = "register-bench-seed@example.org"


def seed(count: int):
    """The bench register of ``count`` entries, made now or reused from an earlier run."""
    from django.db import connection

    from register.models import Application, RegisterEntry
    from tests.factories import UserFactory
    from tests.register.public_factories import seed_register

    owner = UserFactory._meta.model.objects.filter(email=SEED_EMAIL).first()
    if owner is not None:
        if RegisterEntry.objects.filter(practitioner=owner).count() == count:
            return owner
        RegisterEntry.objects.filter(practitioner=owner).delete()
        Application.objects.filter(applicant=owner).delete()
    else:
        owner = UserFactory(email=SEED_EMAIL)
    print(f"Seeding {count:,} register entries...", flush=True)
    seed_register(count, practitioner=owner)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {RegisterEntry._meta.db_table}")
    return owner


def main() -> None:
    env = bench_environment()
    setup_django(env)
    from django.db import connection

    from register.selectors import public as public_selectors
    from tests.register.public_factories import RARE_SURNAME

    count = POSTGRESQL_ENTRIES if connection.vendor == "postgresql" else SQLITE_ENTRIES
    if connection.vendor != "postgresql":
        print(
            f"Note: {connection.vendor} with {count:,} entries. Set DATABASE_URL to a "
            "PostgreSQL database for the 100,000-entry figures."
        )
    owner = seed(count)
    sample = (
        public_selectors.currently_registered()
        .filter(practitioner=owner, status="active")
        .order_by("-id")
        .first()
    )
    number = sample.registration_number

    def matches(**criteria) -> str:
        paginator = public_selectors.search_page(**criteria).paginator
        return f"{paginator.count:,}{'+' if paginator.truncated else ''}"

    rare = RARE_SURNAME[:9].lower()
    searches = [
        (f"search name 'son', common ({matches(name='son')})", "/register/?q=son"),
        ("search name 'son', page 50", "/register/?q=son&page=50"),
        (f"search name 'smith' ({matches(name='smith')})", "/register/?q=smith"),
        (f"search name '{rare}', rare ({matches(name=rare)})", f"/register/?q={rare}"),
        (f"search name 'wu', 2 letters ({matches(name='wu')})", "/register/?q=wu"),
        (
            f"search region only ({matches(region='london')})",
            "/register/?region=london",
        ),
        ("search by number", f"/register/?q={number}"),
        ("entry page", f"/register/{number}/"),
        ("verify page", f"/register/verify/{number}/"),
    ]
    with running_server(env) as port:
        client = Client(port)
        trivial = median_ms(expect_status(client, "GET", "/bench/trivial"))
        rows = [
            (f"GET {label}", median_ms(expect_status(client, "GET", path)), trivial)
            for label, path in searches
        ]
    print(f"{connection.vendor}, {count:,} register entries")
    report(rows)


if __name__ == "__main__":
    main()
