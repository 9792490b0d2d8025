"""Printed pages and the reviewer's and staff's dashboards, looked at as a person would.

The self-assessment, the plan and the CPD log are printed to PDF by Chromium and written to
/tmp/printed-*.pdf; the dashboards are photographed at 390 and 1280 px
(/tmp/dashboard-*.png). The checks are the faults a reader would notice: content wider than
the paper or the phone, and dashboards that show nothing to do without saying where to go.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from register.services import applying
from tests.browser.conftest import sign_in
from tests.register.helpers import DECLARED, make_ready_applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_WIDTH_PX = 794  # 210 mm at 96 px to the inch


def _sign_in(open_browser, user, *, width: int, totp: bool):
    page = open_browser(width)
    page.set_default_timeout(15_000)
    sign_in(page, user.email, totp_secret=user.totp_secret if totp else None, menu=False)
    return page


@pytest.mark.parametrize(
    ("path", "name"),
    [("/assessment/", "assessment"), ("/assessment/plan/", "plan"), ("/evidence/cpd/", "cpd")],
)
def test_printed_pages_fit_the_paper(open_browser, practitioner, shipped_framework, path, name):
    make_ready_applicant(practitioner, shipped_framework, level=1)
    page = _sign_in(open_browser, practitioner, width=A4_WIDTH_PX, totp=False)
    page.goto(path)
    expect(page.locator(".print-heading")).to_be_hidden()  # on screen it is not needed
    page.emulate_media(media="print")
    # Paper says whose it is and when; the prompts to act on screen are left off.
    expect(page.locator(".print-heading")).to_contain_text(practitioner.full_name)
    prompts = page.locator(".complete-box, .cpd-records")
    assert prompts.count() == (0 if name == "plan" else 1)
    for index in range(prompts.count()):
        expect(prompts.nth(index)).to_be_hidden()

    widest = page.evaluate("document.documentElement.scrollWidth")
    page.pdf(path=f"/tmp/printed-{name}.pdf", format="A4", print_background=True)
    page.screenshot(path=f"/tmp/printed-{name}.png", full_page=True)

    print(f"\n{path} printed: {widest} px wide on {A4_WIDTH_PX} px paper")
    assert widest <= A4_WIDTH_PX
    expect(page.locator(".site-header")).to_be_hidden()


def test_reviewer_dashboard(open_browser, reviewer, practitioner, shipped_framework):
    make_ready_applicant(practitioner, shipped_framework, level=1)
    applying.application_submit(applicant=practitioner, level=1, declarations=DECLARED)
    page = _sign_in(open_browser, reviewer, width=1280, totp=True)

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/dashboard/")
        page.screenshot(path=f"/tmp/dashboard-reviewer-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        expect(page.get_by_text("1 application waiting")).to_be_visible()
        # No claims yet: the empty panel says where claims come from.
        claims = page.locator(".dashboard-panel", has_text="Your claims")
        expect(claims.get_by_role("link", name="Claim one from the review queue")).to_be_visible()


def test_staff_dashboard(open_browser, admin_user, practitioner, shipped_framework):
    make_ready_applicant(practitioner, shipped_framework, level=1)
    applying.application_submit(applicant=practitioner, level=1, declarations=DECLARED)
    page = _sign_in(open_browser, admin_user, width=1280, totp=True)

    # 800 px: a tablet, where a dozen menu items used to run off the right.
    for width in (1280, 800, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/dashboard/")
        page.screenshot(path=f"/tmp/dashboard-staff-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        decisions = page.locator(".dashboard-panel", has_text="Needs a decision")
        expect(decisions.get_by_role("link", name="1 application not yet claimed")).to_be_visible()
