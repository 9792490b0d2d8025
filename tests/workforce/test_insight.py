"""Area insight: opted-in people only, small cells hidden, the same rule in every download."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Consent
from accounts.services import consent_withdraw
from tests.conftest import client_for, enable_totp
from tests.factories import UserFactory, build_framework
from tests.workforce.helpers import complete_snapshot, opt_in, practitioners
from workforce import services
from workforce.insight import InsightQuery, area_figures, peer_shares
from workforce.models import AreaRefresh, PractitionerSummary


@pytest.fixture
def version(db):
    return build_framework(domains=7, competencies_per_domain=1)


def refresh() -> AreaRefresh:
    run = AreaRefresh.objects.create()
    services.area_refresh_run(refresh_id=run.pk)
    return run


@pytest.fixture
def area_world(version):
    """London 25 (12 health visitors at Level 2 in domain 1, 3 midwives and 10 nursery
    practitioners at Level 1), the North West 20, Wales 2 in the north and 20 in the south."""
    people = []

    def add(n, prefix, levels, region, role=None, sector="public"):
        for user in practitioners(n, prefix):
            complete_snapshot(user, version, levels, region=region, role=role)
            user.practitioner_profile.sector = sector
            user.practitioner_profile.save()
            people.append(user)

    add(12, "hv", {1: 2, 2: 1}, "london")
    add(3, "mw", {1: 1}, "london", role="midwife")
    add(10, "np", {1: 1}, "london", role="nursery_practitioner", sector="private")
    add(10, "nw", {1: 1}, "north_west")
    add(10, "nn", {1: 2}, "north_west", role="nursery_practitioner", sector="private")
    add(2, "cy", {1: 3}, "wales_north")
    add(10, "de", {1: 1}, "wales_south")
    add(10, "dn", {1: 1}, "wales_south", role="nursery_practitioner", sector="private")
    for user in people:
        opt_in(user)
    # Someone who did not opt in is never counted.
    complete_snapshot(UserFactory(email="private@example.org"), version, {1: 3})
    refresh()
    return people


def commissioner_client(nation="england", region=""):
    user = UserFactory()
    enable_totp(user)
    services.commissioner_grant(user=user, nation=nation, region=region)
    client = client_for(user)
    return client


def test_commissioner_sees_regional_figures_with_small_cells_hidden(area_world):
    page = commissioner_client().get("/insight/?geo=london").content.decode()

    assert "about 25 people counted" in page
    figures = area_figures(InsightQuery("london"))
    shown = [b.count for row in figures.domains for b in row.bands if not b.suppressed]
    assert any(shown), "some regional figures are shown"
    assert all(n == 0 or n >= 5 for n in shown) and all(n % 5 == 0 for n in shown)
    assert "hidden" in page
    # North Wales has 2 people: hidden, and so is South Wales, or 22 - 20 gives it away.
    assert area_figures(InsightQuery("wales_north")).people.suppressed
    assert area_figures(InsightQuery("wales_south")).people.suppressed
    register = area_figures(InsightQuery("wales")).register
    assert [row.label for row in register] == ["North Wales", "Mid and West Wales", "South Wales"]


def test_groups_smaller_than_the_threshold_show_nothing(area_world):
    figures = area_figures(InsightQuery("london", "role", "midwife"))

    assert figures.people.suppressed  # 3 midwives
    assert all(b.suppressed or b.count == 0 for row in figures.domains for b in row.bands)


def test_commissioners_see_only_their_area(area_world):
    client = commissioner_client(nation="wales")

    page = client.get("/insight/?geo=london").content.decode()

    assert 'value="london"' not in page
    assert "Wales" in page


def test_people_who_withdraw_are_dropped_at_the_next_refresh(area_world):
    for user in area_world[:5]:
        consent_withdraw(user=user, purpose=Consent.Purpose.ANONYMISED_STATISTICS)
    refresh()

    assert AreaRefresh.objects.filter(status="done").latest("pk").population == len(area_world) - 5


def test_downloads_carry_the_rule_and_the_same_suppression(area_world):
    client = commissioner_client()

    data = json.loads(client.get("/insight/download.json?geo=london").content)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/insight/download.csv?geo=london").content.decode("utf-8-sig"))
        )
    )

    assert data["metadata"]["threshold"] == 5 and "hidden" in data["metadata"]["rule"]
    hidden = [
        (row["domain"], band)
        for row in data["levels"]
        for band, fig in row["highest_level"].items()
        if fig["suppressed"]
    ]
    assert hidden, "London's figures include hidden ones"
    domain, band = hidden[0]
    assert data["levels"][domain - 1]["highest_level"][band] == {
        "count": None,
        "share_percent": None,
        "suppressed": True,
    }
    assert data["people"] == 25
    level_rows = [r for r in rows if r[0] == "level" and r[1] == str(domain) and r[3] == band]
    assert level_rows[0][4:] == ["", "", "1"]
    assert ["metadata", "threshold", "5", "", "", "", ""] in rows


def test_overview_line_shows_peers_only_when_the_group_is_big_enough(version):
    # 20 health visitors in London: half at Level 2 in domain 1, half at Level 1.
    people = practitioners(20, "peer")
    for i, user in enumerate(people):
        complete_snapshot(user, version, {1: 2 if i % 2 else 1})
        opt_in(user)
    refresh()

    assert peer_shares(region="london", role="health_visitor")[1] == 50
    assert peer_shares(region="london", role="midwife") == {}
    user = people[0]
    client = client_for(user)
    page = client.get("/assessment/").content.decode()
    assert "who share anonymised data, 50% have achieved Level 2 in this domain" in page


def test_nobody_else_sees_insight_unless_the_summary_is_public(area_world, settings):
    anonymous = Client()
    assert anonymous.get("/insight/").status_code == 404
    settings.IMHCF_INSIGHT_PUBLIC = True
    page = anonymous.get("/insight/?geo=london&group=role:health_visitor").content.decode()
    # The public sees the regional summary only: no breakdown by group.
    assert 'name="group"' not in page and "about 25 people counted" in page


def test_a_completed_snapshot_refreshes_the_figures(
    version, settings, django_capture_on_commit_callbacks
):
    # Through Django's settings, not app.conf, which would pin the value for later tests.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    user = UserFactory()
    opt_in(user)
    with django_capture_on_commit_callbacks(execute=True):
        complete_snapshot(user, version, {1: 1})
    assert AreaRefresh.objects.filter(status="done", population=1).exists()


def test_choosing_to_be_counted_records_consent_and_asks_for_new_figures(
    practitioner, practitioner_client, settings
):
    settings.IMHCF_DISCLOSURE_THRESHOLD = 7
    url = reverse("workforce:statistics")

    joined = practitioner_client.post(url, {"opt_in": "on"})

    assert joined.status_code == 302
    consent = Consent.objects.get(
        user=practitioner, purpose=Consent.Purpose.ANONYMISED_STATISTICS, withdrawn_at=None
    )
    assert "fewer than 7 people" in consent.wording
    assert AreaRefresh.objects.filter(status=AreaRefresh.Status.PENDING).count() == 1

    left = practitioner_client.post(url, {})

    assert left.status_code == 302
    assert not Consent.objects.filter(
        user=practitioner, purpose=Consent.Purpose.ANONYMISED_STATISTICS, withdrawn_at=None
    ).exists()
    # The waiting request is shared rather than a second one made.
    assert AreaRefresh.objects.filter(status=AreaRefresh.Status.PENDING).count() == 1


def test_people_read_a_chunk_at_a_time_give_the_same_figures(area_world, django_assert_num_queries):
    # The refresh reads people in chunks so its memory stays flat at any size; the
    # figures cannot depend on the chunk size.
    from django.utils import timezone

    from workforce.area import UK, count_cells, recent_quarters
    from workforce.selectors.figures import counted_people

    today = timezone.localdate()
    quarters = recent_quarters(today)
    whole = count_cells(counted_people(today, chunk=10_000), quarters)
    summaries = PractitionerSummary.objects.filter(
        user__consents__purpose=Consent.Purpose.ANONYMISED_STATISTICS
    ).count()
    assert summaries == 67
    # Seven chunks of up to ten, then an empty eighth read. Nobody is a member of an
    # organisation, so the organisation-kind query has no ids and is not sent: 5 a chunk.
    with django_assert_num_queries(5 * 7 + 1):
        by_ten = count_cells(counted_people(today, chunk=10), quarters)
    assert by_ten[0] == whole[0]
    assert by_ten[1] == whole[1]
    assert sorted(map(repr, by_ten[2])) == sorted(map(repr, whole[2]))
    counted = whole[0][(UK, "", "", "L", "people")]
    assert counted == sum(1 for _ in counted_people(today)) == 67
    assert AreaRefresh.objects.get().population == counted
