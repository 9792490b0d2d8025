"""The team page: only what members share, counted not-sharing, every view recorded."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import client_for, enable_totp
from tests.factories import UserFactory, build_framework
from tests.workforce.helpers import complete_snapshot, join, make_organisation, share
from workforce import selectors, services
from workforce.models import DataView, Membership, RoleRequirement, Team


@pytest.fixture
def version(db):
    return build_framework(domains=7, competencies_per_domain=2)


@pytest.fixture
def team_world(version):
    org = make_organisation()
    team = Team.objects.create(organisation=org, name="Health visiting east")
    lead = UserFactory(full_name="Lena Lead", email="lena@example.org")
    enable_totp(lead)
    join(lead, org, team, role=Membership.Role.TEAM_LEAD)
    ann = UserFactory(full_name="Ann Sharer", email="ann@example.org")
    bob = UserFactory(full_name="Bob Sharer", email="bob@example.org")
    cat = UserFactory(full_name="Cat Private", email="cat@example.org")
    for person, levels in ((ann, {d: 2 for d in range(1, 8)}), (bob, {1: 1}), (cat, {1: 3})):
        join(person, org, team)
        complete_snapshot(person, version, levels)
    share(ann, org, assessment=True, cpd=True)
    share(bob, org, assessment=True)
    client = client_for(lead)
    return org, team, lead, ann, bob, cat, client


def test_lead_sees_sharers_and_counts_the_rest_as_not_sharing(team_world):
    _org, team, _lead, _ann, _bob, _cat, client = team_world

    response = client.get(f"/teams/{team.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ann Sharer" in page and "Bob Sharer" in page
    assert "Cat Private" not in page
    # Cat, and the lead, who shares nothing either.
    assert "2 members are not sharing" in page


def test_withdrawing_takes_effect_at_once(team_world):
    org, team, _lead, _ann, bob, _cat, client = team_world
    membership = Membership.objects.get(user=bob, organisation=org)

    services.sharing_set(membership=membership, assessment=False, cpd=False)

    page = client.get(f"/teams/{team.pk}/").content.decode()
    assert "Bob Sharer" not in page
    assert "3 members are not sharing" in page
    assert client.get(f"/teams/{team.pk}/members/{membership.pk}/").status_code == 404


def test_every_view_is_recorded_and_shown_to_the_practitioner(team_world):
    org, team, _lead, ann, _bob, cat, client = team_world
    ann_membership = Membership.objects.get(user=ann, organisation=org)

    client.get(f"/teams/{team.pk}/")
    client.get(f"/teams/{team.pk}/members/{ann_membership.pk}/")

    assert set(DataView.objects.filter(subject=ann).values_list("what", flat=True)) == {
        "team_page",
        "member_page",
    }
    assert not DataView.objects.filter(subject=cat).exists()
    ann_client = client_for(ann)
    seen = ann_client.get("/organisations/seen/").content.decode()
    assert "Lena Lead" in seen and "Health visiting east" in seen


def test_member_page_shows_ratings_but_never_notes_or_evidence(team_world, version):
    org, team, _lead, ann, _bob, _cat, client = team_world
    from selfassess.models import Rating

    snapshot_rating = Rating.objects.filter(assessment__user=ann).first()
    Rating.objects.filter(assessment__user=ann).update(note="Private note about a family")
    membership = Membership.objects.get(user=ann, organisation=org)

    page = client.get(f"/teams/{team.pk}/members/{membership.pk}/").content.decode()

    assert snapshot_rating.statement.competency.code in page
    assert "Private note" not in page
    assert "CPD hours in the past year" in page


def test_requirements_drive_who_meets_them_and_the_training_needs(team_world):
    _org, team, _lead, _ann, _bob, _cat, _client = team_world
    services.requirement_set(team=team, job_role="", team_role="", domains=range(1, 8), level=2)
    services.requirement_set(
        team=team, job_role="health_visitor", team_role="member", domains=[6], level=3
    )

    overview = selectors.team_overview(team)

    rows = {r.name: r for r in overview.members}
    assert rows["Ann Sharer"].required[6] == 3 and rows["Ann Sharer"].required[1] == 2
    assert rows["Ann Sharer"].meets(1) is True and rows["Ann Sharer"].meets(6) is False
    assert rows["Bob Sharer"].meets_all is False
    # Both miss the domain 6 level 3 statements; only Bob misses domain 2 level 1.
    counts = {n.key: n.count for n in overview.needs}
    assert counts["6.01/L3"] == 2 and counts["2.01/L1"] == 1
    assert overview.map[0][2] == [2, 1, 0]
    assert RoleRequirement.objects.filter(team=team).count() == 8


def test_other_organisations_leads_and_members_get_404(team_world):
    org, team, _lead, ann, _bob, _cat, _client = team_world
    other_org = make_organisation(name="Hillside Council", kind="local_authority")
    other_team = Team.objects.create(organisation=other_org, name="Family hub")
    stranger = UserFactory(email="stranger@example.org")
    enable_totp(stranger)
    join(stranger, other_org, other_team, role=Membership.Role.TEAM_LEAD)
    as_stranger, as_member = Client(), Client()
    as_stranger.force_login(stranger)
    as_member.force_login(ann)
    ann_membership = Membership.objects.get(user=ann, organisation=org)

    for c in (as_stranger, as_member):
        assert c.get(f"/teams/{team.pk}/").status_code == 404
        assert c.get(f"/teams/{team.pk}/members/{ann_membership.pk}/").status_code == 404
        assert c.get(f"/teams/{team.pk}/export.csv").status_code == 404


def test_exports_neutralise_formulas(team_world):
    _org, team, _lead, ann, _bob, _cat, client = team_world
    ann.full_name = '=HYPERLINK("http://x")'
    ann.save()

    csv_text = client.get(f"/teams/{team.pk}/export.csv").content.decode("utf-8-sig")
    xlsx = client.get(f"/teams/{team.pk}/export.xlsx")

    cells = [cell for row in csv.reader(io.StringIO(csv_text)) for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells if c)
    sheet = load_workbook(io.BytesIO(xlsx.content))["Members"]
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x")' in values
    assert DataView.objects.filter(subject=ann, what="export").count() == 2


def test_team_page_query_budget_does_not_grow_with_the_team(
    team_world, version, django_assert_num_queries
):
    org, team, _lead, _ann, _bob, _cat, client = team_world
    # session, user, MFA authenticator check (middleware), lead role (MFA rule),
    # team, lead membership, admin membership,
    # memberships+profiles, consents, summaries, requirements, domains, statements of needs,
    # snapshots for the trend, CPD hours per member, CPD by kind, record views, join requests,
    # admin check for links
    client.get(f"/teams/{team.pk}/")  # warm caches
    with django_assert_num_queries(19) as first:
        client.get(f"/teams/{team.pk}/")
    from tests.factories import UserFactory as F

    for i in range(12):
        person = F(email=f"extra{i}@example.org")
        join(person, org, team)
        complete_snapshot(person, version, {1: 1, 2: 2})
        share(person, org, assessment=True, cpd=True)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(f"/teams/{team.pk}/")
    assert response.status_code == 200
