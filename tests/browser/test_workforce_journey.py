"""A team lead's view, built only from what members choose to share, in Chromium.

The lead (signing in with a TOTP code) makes an invite link for the team and
sends it to three practitioners. Each opens it in their own browser and joins;
two share their self-assessment summary, the third shares nothing. The lead
sees the two, and the third only as "not sharing", and opens one member's
shared page. One of the two withdraws: on the lead's next look they are gone.
The practitioner whose page was opened reads the lead's visits under "who has
seen my data". Then a commissioner opens the area insight for London and sees
regional figures with the small ones hidden. Screenshots of the team page and
the insight page at 1280 and 390 pixels are kept in /tmp for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import enable_totp
from tests.factories import UserFactory, build_framework
from tests.workforce.helpers import (
    complete_snapshot,
    join,
    make_organisation,
    opt_in,
    practitioners,
    share,
)
from workforce import services as workforce_services
from workforce.models import AreaRefresh, Membership, Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/workforce-{}.png"


def _shoot(page, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS.format(f"{name}-{width}"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_invite_share_withdraw_and_who_has_seen_my_data(open_browser):
    version = build_framework(domains=7, competencies_per_domain=1)
    org = make_organisation(name="Riverside NHS Trust")
    team = Team.objects.create(organisation=org, name="Health visiting east")
    lead = UserFactory(full_name="Lena Lead", email="lena@example.org")
    lead_secret = enable_totp(lead)
    join(lead, org, team, role=Membership.Role.TEAM_LEAD)
    complete_snapshot(lead, version, {d: 3 for d in range(1, 8)})
    share(lead, org)
    people = {
        "ann": UserFactory(full_name="Ann Sharer", email="ann@example.org"),
        "bob": UserFactory(full_name="Bob Sharer", email="bob@example.org"),
        "cat": UserFactory(full_name="Cat Private", email="cat@example.org"),
    }
    for user, levels in zip(people.values(), ({1: 2, 2: 2}, {1: 1}, {1: 3}), strict=True):
        complete_snapshot(user, version, levels)

    # The lead makes an invite link for the team.
    lena = open_browser()
    sign_in(lena, lead.email, totp_secret=lead_secret)
    lena.goto(f"/teams/{team.pk}/")
    lena.get_by_role("link", name="Invite people").click()
    lena.get_by_role("button", name="Make an invite link").click()
    link = lena.locator("input.invite-link").first.input_value()
    assert re.search(r"/organisations/invite/[^/]+/$", link)

    # Three practitioners join through it; two share their self-assessment, one nothing.
    browsers = {}
    for key, user in people.items():
        page = open_browser()
        sign_in(page, user.email)
        page.goto(link)
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_role("heading", name="What Riverside NHS Trust may see")).to_be_visible()
        if key != "cat":
            page.get_by_label(re.compile("My self-assessment summary")).check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".messages")).to_be_visible()
        browsers[key] = page
    assert not any(p.problems for p in browsers.values())

    # The lead sees the two who share, and the third only as "not sharing".
    lena.goto(f"/teams/{team.pk}/")
    members = lena.locator("table.member-table")
    expect(members).to_contain_text("Ann Sharer")
    expect(members).to_contain_text("Bob Sharer")
    expect(lena.locator("main")).not_to_contain_text("Cat Private")
    expect(lena.locator(".not-sharing-count")).to_have_text("1 member is not sharing")
    expect(lena.locator("svg.chart-map title")).to_have_text(
        "Members who have achieved each domain at each level"
    )
    _shoot(lena, "team")
    members.get_by_role("link", name="Ann Sharer").click()
    expect(lena.get_by_role("heading", name="Ann Sharer")).to_be_visible()
    expect(lena.locator("main")).to_contain_text("Each statement's rating")

    # Bob withdraws; on the lead's next look he is gone at once.
    bob = browsers["bob"]
    bob.goto("/organisations/")
    bob.get_by_role("link", name=re.compile("Change sharing")).click()
    bob.get_by_label(re.compile("My self-assessment summary")).uncheck()
    bob.get_by_role("button", name="Save").click()
    expect(bob.locator(".messages")).to_contain_text("can no longer see anything of yours")
    lena.goto(f"/teams/{team.pk}/")
    expect(lena.locator("main")).not_to_contain_text("Bob Sharer")
    expect(lena.locator(".not-sharing-count")).to_have_text("2 members are not sharing")

    # Ann reads who has seen her data: the lead, on the team page and on her own page.
    ann = browsers["ann"]
    ann.goto("/organisations/")
    ann.get_by_role("link", name="Who has seen my data").click()
    rows = ann.locator("table.seen-table tbody tr")
    expect(rows.filter(has_text="Lena Lead").filter(has_text="Team page")).not_to_have_count(0)
    expect(
        rows.filter(has_text="Lena Lead").filter(has_text="Your shared self-assessment and CPD")
    ).to_have_count(1)
    # Cat shared nothing, so nobody has seen anything of hers.
    cat = browsers["cat"]
    cat.goto("/organisations/seen/")
    expect(cat.locator("main")).to_contain_text("Nobody has seen anything you share.")
    assert not lena.problems and not ann.problems


def test_commissioner_sees_regional_figures_with_small_cells_hidden(open_browser):
    version = build_framework(domains=7, competencies_per_domain=1)
    for i, user in enumerate(practitioners(24, "lon")):
        complete_snapshot(user, version, {1: 2 if i % 3 else 1, 2: 1}, region="london")
        opt_in(user)
    for user in practitioners(6, "mw"):
        complete_snapshot(user, version, {1: 1}, region="london", role="midwife")
        opt_in(user)
    for user in practitioners(3, "np"):
        complete_snapshot(user, version, {1: 1}, region="london", role="nursery_practitioner")
        opt_in(user)
    for user in practitioners(12, "nw"):
        complete_snapshot(user, version, {1: 1}, region="north_west")
        opt_in(user)
    for user in practitioners(6, "nm"):
        complete_snapshot(user, version, {1: 2}, region="north_west", role="midwife")
        opt_in(user)
    refresh = AreaRefresh.objects.create()
    workforce_services.area_refresh_run(refresh_id=refresh.pk)
    commissioner = UserFactory(full_name="Cleo Commissioner", email="cleo@example.org")
    secret = enable_totp(commissioner)
    from workforce import services

    services.commissioner_grant(user=commissioner, nation="england")

    page = open_browser()
    sign_in(page, commissioner.email, totp_secret=secret)
    page.goto("/organisations/")
    page.get_by_role("link", name="Workforce insight for your area").click()
    page.get_by_label("Area").select_option("london")
    page.get_by_role("button", name="Show").click()
    # 33 people: shown rounded to the nearest 5.
    expect(page.locator("main")).to_contain_text("about 35 people counted")
    levels = page.locator("table.insight-levels")
    expect(levels).to_be_visible()
    expect(levels.locator(".suppressed").first).to_have_text("hidden")
    shown = [
        int(t)
        for t in levels.locator("td").all_inner_texts()
        for t in [t.split(" ")[0]]
        if t.isdigit()
    ]
    assert shown and all(n == 0 or (n >= 5 and n % 5 == 0) for n in shown)
    _shoot(page, "insight")
    page.get_by_label("People", exact=True).select_option("role:nursery_practitioner")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).to_contain_text("fewer people than can be shown")
    assert not page.problems
