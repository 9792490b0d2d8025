"""The main pages at 100,000 practitioners: the same queries, each planned on an index.

A query budget (``django_assert_num_queries``) says a page does not ask more
questions as the data grows; it does not say each question stays cheap. Here
the realistic people (tests/realistic.py), a team lead and a commissioner
fetch their pages once on a small database, then again after
``tests.scale.inflate`` has made the big tables the size of 100,000
practitioners. Each page must make the same number of queries, and no query
may read a big table from end to end: every SELECT is explained
(``bench.scale_plans.page_plans``, the benchmark's own machinery) and its plan
must have no sequential scan of a table over 10,000 rows. No time is asserted.
PostgreSQL only: SQLite's planner is another program.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from bench.scale_plans import page_plans
from tests.conftest import enable_totp
from tests.factories import UserFactory
from tests.realistic import build_realistic_people
from tests.realservices import require_postgresql
from tests.scale import inflate
from tests.workforce.helpers import join, make_organisation, share
from workforce import services
from workforce.models import AreaRefresh, Membership, Team

pytestmark = pytest.mark.django_db(transaction=True)

# The tables that grow with the workforce; tests/scale.py fills each.
BIG_TABLES = {
    "accounts_user",
    "selfassess_profile",
    "selfassess_assessment",
    "selfassess_rating",
    "workforce_practitionersummary",
    "workforce_membership",
    "evidence_evidenceitem",
    "evidence_evidencelink",
    "accounts_consent",
    "register_dossierstatement",
    "register_application",
    "register_registerentry",
}


@pytest.fixture
def pages(shipped_framework, reviewer):
    require_postgresql()
    people = build_realistic_people(seed=47, reviewer=reviewer)
    practitioner = people.practitioner
    organisation = make_organisation()
    team = Team.objects.create(organisation=organisation, name="Health visiting west")
    lead = UserFactory(full_name="Lowri Lead", email="lowri@example.org")
    enable_totp(lead)
    join(lead, organisation, team, role=Membership.Role.TEAM_LEAD)
    join(practitioner, organisation, team)
    share(practitioner, organisation, assessment=True, cpd=True)
    services.summary_refresh(user_id=practitioner.pk)
    commissioner = UserFactory(full_name="Cai Commissioner", email="cai@example.org")
    enable_totp(commissioner)
    services.commissioner_grant(user=commissioner, nation="england")
    services.area_refresh_run(refresh_id=AreaRefresh.objects.create().pk)
    return [
        ("grid", practitioner, "/assessment/domains/1/"),
        ("overview", practitioner, "/assessment/"),
        ("review queue", people.reviewer, "/review/"),
        ("team page", lead, f"/teams/{team.pk}/"),
        ("area insight", commissioner, "/insight/?geo=london"),
    ]


def test_pages_keep_their_queries_and_index_plans_at_100000_practitioners(pages):
    cache.clear()
    # The budgets themselves are asserted in tests/test_realistic_page_budgets.py and
    # each app's tests; here, only that a hundred thousand more people change none.
    small = {r["page"]: r for r in page_plans(pages)}

    inflate(practitioners=100_000, rated=1_000)
    for result in page_plans(pages):
        label = result["page"]
        assert result["status"] == 200, label
        assert result["queries"] == small[label]["queries"], label
        for plan in result["plans"]:
            scanned = {table for table, _rows in plan["seq_scans"]} & BIG_TABLES
            assert not scanned, (label, scanned, plan["sql"])
        # The page's own rows are found through indexes.
        assert any(plan["indexes"] for plan in result["plans"]), label
