"""Public register pages on a large register, as ratios to a trivial view.

On PostgreSQL the register has 100,000 entries (create the database first):

    createdb -h 127.0.0.1 -U postgres imhcf_bench_search
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imhcf_bench_search \\
        .venv/bin/python bench/register_search.py

Without DATABASE_URL it runs on a throwaway SQLite file with 10,000 entries:
SQLite has no trigram index, so name search there is a scan.

Each row is the p95 (and median) of repeated requests as a ratio to the p95 of
trivial-view requests made alternately with them; the goal is p95 <= 10 x the trivial view for
every query, two-letter and accentless names included (``BENCH_NAME_QUERIES``,
whose plans tests/register/test_public_search_scale.py pins).
The entries are seeded once and reused by later runs on the same database.
"""

import statistics
from urllib.parse import urlencode

from bench.common import (
    Client,
    expect_status,
    running_server,
    samples_ms,
    setup_django,
)

REPEATS = 100
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
    env = setup_django()
    from django.db import connection

    from register.selectors import public as public_selectors
    from tests.register.public_factories import BENCH_NAME_QUERIES

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

    searches = [
        (f"name '{name}' ({matches(name=name)})", "/register/?" + urlencode({"q": name}))
        for name in BENCH_NAME_QUERIES
    ]
    searches += [
        ("name 'son', page 50", "/register/?q=son&page=50"),
        (f"region only ({matches(region='london')})", "/register/?region=london"),
        ("by number", f"/register/?q={number}"),
        ("entry page", f"/register/{number}/"),
        ("verify page", f"/register/verify/{number}/"),
    ]
    with running_server(env) as port:
        client = Client(port)
        trivial = expect_status(client, "GET", "/bench/trivial")
        rows = [
            (label, paired_timings_ms(expect_status(client, "GET", path), trivial))
            for label, path in searches
        ]
    print(f"{connection.vendor}, {count:,} register entries, {REPEATS} requests each")
    print(f"{'GET':<36} {'p50 ms':>8} {'p95 ms':>8} {'trivial p95':>12} {'p95 x trivial p95':>18}")
    for label, (p50, p95, base) in rows:
        print(f"{label:<36} {p50:>8.2f} {p95:>8.2f} {base:>12.2f} {p95 / base:>18.1f}")


def paired_timings_ms(action, trivial, repeats: int = REPEATS) -> tuple[float, float, float]:
    """Median and p95 of ``action``, and the p95 of ``trivial`` timed between its calls.

    Each request alternates with a trivial one, so both see the same load: on a
    machine shared with other work, a baseline timed a minute earlier is not
    the same machine.
    """
    samples_ms(action, 0)  # warm up
    timed, baseline = [], []
    for _ in range(repeats):
        baseline += samples_ms(trivial, 1, warmup=0)
        timed += samples_ms(action, 1, warmup=0)
    _, p95_trivial = _median_p95(baseline)
    return (*_median_p95(timed), p95_trivial)


def _median_p95(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[round(0.95 * (len(samples) - 1))]


if __name__ == "__main__":
    main()
