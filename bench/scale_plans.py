"""The main pages on a database seeded at scale: their queries and the plan of each.

Run after ``seed_demo --practitioners 100000`` (about 19 million ratings):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imhcf_big \\
        .venv/bin/python -m bench.scale_plans

For each page it prints the number of queries and, for each SELECT, the
planner's estimated cost, the time EXPLAIN ANALYZE measured and every
sequential scan of a table holding more than 10,000 rows; those are what
would grow with the register. Rows and index sizes of the largest tables
follow (``pg_total_relation_size``), for the README's million-practitioner plan.
"""

from __future__ import annotations

import json
import re

from bench.common import setup_django

BIG_TABLE_ROWS = 10_000


def _users():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from accounts.models import User
    from register.seeding import SEED_DOMAIN
    from workforce.models import Membership, Team
    from workforce.seeding import BIG_TEAM

    # One with an assessment in progress: the grid of someone whose latest is completed
    # redirects (three in four seeded people have completed theirs).
    practitioner = (
        User.objects.filter(
            email__endswith=SEED_DOMAIN,
            evidence_items__isnull=False,
            self_assessments__status="in_progress",
        )
        .order_by("pk")
        .first()
    )
    reviewer, made = User.objects.get_or_create(
        email="scale-reviewer@example.org", defaults={"full_name": "Scale Reviewer"}
    )
    if made:
        reviewer.groups.add(Group.objects.get_or_create(name="Reviewers")[0])
        TOTP.activate(reviewer, generate_totp_secret())
    admin, made = User.objects.get_or_create(
        email="scale-admin@example.org", defaults={"full_name": "Scale Admin", "is_staff": True}
    )
    if made:
        TOTP.activate(admin, generate_totp_secret())
    team = Team.objects.filter(name=BIG_TEAM).first()
    lead = (
        Membership.objects.filter(team=team, role=Membership.Role.TEAM_LEAD).first()
        if team
        else None
    )
    if lead is not None and not Authenticator.objects.filter(user=lead.user).exists():
        TOTP.activate(lead.user, generate_totp_secret())  # team pages ask leads for MFA
    return practitioner, reviewer, admin, team, lead.user if lead else None


def _explain(cursor, sql: str) -> dict:
    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
    plan = cursor.fetchone()[0][0]
    scans, indexes = [], []

    def walk(node):
        if node["Node Type"] == "Seq Scan":
            scans.append((node["Relation Name"], node.get("Actual Rows", 0)))
        if "Index Name" in node:
            indexes.append(node["Index Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan["Plan"])
    return {
        "cost": plan["Plan"]["Total Cost"],
        "ms": round(plan["Execution Time"], 2),
        "seq_scans": scans,
        "indexes": indexes,
    }


def _table_rows(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' AND "
        "relnamespace = 'public'::regnamespace"
    )
    return dict(cursor.fetchall())


def page_plans(pages, *, warm: bool = True) -> list[dict]:
    """Fetch each (label, user, path) in-process and explain every SELECT it made.

    With ``warm`` the page is fetched once first, so per-version caches are
    full, as for every visitor after the first. Each result carries the
    page's query count and, per SELECT (``plans``), its sequential scans of
    tables over BIG_TABLE_ROWS rows and the indexes its plan uses.
    tests/test_page_plans_at_scale.py asserts on these.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        rows = _table_rows(cursor)
    results = []
    for label, user, path in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        if warm:
            client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        selects = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
        plans = []
        with connection.cursor() as cursor:
            for sql in selects:
                explained = _explain(cursor, sql)
                explained["big_seq_scans"] = [
                    t for t, _n in explained["seq_scans"] if rows.get(t, 0) > BIG_TABLE_ROWS
                ]
                explained["sql"] = re.sub(r"\s+", " ", sql)
                plans.append(explained)
        results.append(
            {
                "page": label,
                "path": path,
                "status": response.status_code,
                "queries": len(captured),
                "sql_ms": round(sum(p["ms"] for p in plans), 1),
                "big_seq_scans": sorted({t for p in plans for t in p["big_seq_scans"]}),
                "slowest": max(plans, key=lambda p: p["ms"]) if plans else None,
                "plans": plans,
            }
        )
    return results


def table_sizes() -> list[tuple[str, int, int, int]]:
    """(table, rows, table bytes, index bytes) of the 15 largest tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.reltuples::bigint, pg_table_size(c.oid), pg_indexes_size(c.oid)
            FROM pg_class c
            WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
            ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 15
            """
        )
        return cursor.fetchall()


def main() -> None:
    setup_django()
    from django.db import connection
    from django.urls import reverse

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    practitioner, reviewer, admin, team, lead = _users()
    pages = [
        ("grid", practitioner, "/assessment/domains/1/"),
        ("overview", practitioner, "/assessment/"),
        ("evidence list", practitioner, "/evidence/"),
        ("CPD page", practitioner, "/evidence/cpd/"),
        ("review queue", reviewer, "/review/"),
        ("public search 'son'", None, "/register/?q=son"),
        ("public search 'wu'", None, "/register/?q=wu"),
        ("public search 'sian'", None, "/register/?q=sian"),
        ("insight", admin, reverse("workforce:insight")),
        ("staff applications", admin, "/staff/applications/"),
    ]
    if team is not None and lead is not None:
        pages.append(
            ("team page (200 members)", lead, reverse("workforce:team_detail", args=[team.pk]))
        )
    results = page_plans(pages)
    print(f"{'page':<28} {'status':>6} {'queries':>8} {'SQL ms':>8}  big-table seq scans")
    for r in results:
        print(
            f"{r['page']:<28} {r['status']:>6} {r['queries']:>8} {r['sql_ms']:>8}  "
            f"{', '.join(r['big_seq_scans']) or '-'}"
        )
    print(f"\n{'table':<40} {'rows':>12} {'table MB':>10} {'index MB':>10}")
    sizes = table_sizes()
    for name, rows, table, index in sizes:
        print(f"{name:<40} {rows:>12,} {table / 2**20:>10.1f} {index / 2**20:>10.1f}")
    out = {"pages": results, "sizes": sizes}
    from bench.common import ROOT

    (ROOT / "var" / "scale-plans.json").write_text(json.dumps(out, indent=2, default=str))


if __name__ == "__main__":
    main()
