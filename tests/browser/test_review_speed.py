"""A reviewer's actions, counted, from the queue to a recommendation on a 63-statement dossier.

Every click, key press and fill a person makes is counted through ``Actions``;
the count is printed for the issue's closing note and bounded here so a change
that makes reviewing slower fails. Screenshots at 1280 and 390 pixels are
written to /tmp/review-speed-*.png for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from register.models import Application, StatementReview
from tests.browser.conftest import sign_in
from tests.register.helpers import make_ready_applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATEMENTS = 63
SHOTS = "/tmp/review-speed-{}.png"


class Actions:
    """What a person does, one action at a time, and how many."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def fill(self, locator, text: str) -> None:
        self.count += 1
        locator.fill(text)


@pytest.fixture
def reviewer_page(open_browser, reviewer, practitioner, shipped_framework):
    make_ready_applicant(practitioner, shipped_framework, level=1)
    from register.services import applying
    from tests.register.helpers import DECLARED

    applying.application_submit(applicant=practitioner, level=1, declarations=DECLARED)

    def open_at(width: int):
        page = open_browser(width)
        # The menu is folded away on a phone: straight to the sign-in page.
        sign_in(page, reviewer.email, totp_secret=reviewer.totp_secret, menu=width >= 992)
        return page

    return open_at


def _from_dashboard_to_claimed(page, actions: Actions) -> None:
    actions.click(page.get_by_role("link", name="Dashboard", exact=True))
    actions.click(page.get_by_role("link", name="Open the review queue"))
    actions.click(page.get_by_role("button", name=re.compile(r"^Claim")))
    expect(page.locator("article.dossier-statement")).to_have_count(STATEMENTS)


def _recommend_approval(page, actions: Actions) -> None:
    section = page.locator("#recommend")
    actions.click(section.get_by_label("Approve", exact=True))
    actions.click(section.get_by_role("button", name="Send my recommendation"))
    expect(page.locator(".messages")).to_contain_text("Your recommendation is recorded")


def test_one_verdict_per_statement_saves_on_the_choice_alone(reviewer_page, reviewer):
    page = reviewer_page(1280)
    actions = Actions(page)
    _from_dashboard_to_claimed(page, actions)
    articles = page.locator("article.dossier-statement")
    for index in range(STATEMENTS):
        article = articles.nth(index)
        actions.click(article.get_by_label("Met", exact=True))
        expect(article.get_by_text("Saved: met")).to_be_visible()
    expect(page.locator("#review-progress")).to_have_text(f"{STATEMENTS} of {STATEMENTS}")
    _recommend_approval(page, actions)
    print(f"\nreview, one verdict at a time: {actions.count} actions")
    assert actions.count == 3 + STATEMENTS + 2
    assert StatementReview.objects.filter(met=True).count() == STATEMENTS


def test_a_domain_at_a_time_with_a_not_met_asked_for_in_place(reviewer_page, reviewer):
    page = reviewer_page(1280)
    actions = Actions(page)
    _from_dashboard_to_claimed(page, actions)
    page.screenshot(path=SHOTS.format("1280-start"), full_page=False)

    # One statement is not met: the comment is asked for where the choice was made.
    first = page.locator("article.dossier-statement").first
    actions.click(first.get_by_label("Not met", exact=True))
    comment = first.get_by_label(re.compile(r"^Comment"))
    expect(comment).to_be_focused()
    expect(first.get_by_text("Say why the statement is not met")).to_be_visible()
    actions.fill(comment, "Show how you used this with a family.")
    comment.blur()
    expect(first.get_by_text("Saved: not met")).to_be_visible()
    page.screenshot(path=SHOTS.format("1280-not-met"), full_page=False)

    # The rest, a domain at a time, each confirmed.
    domains = page.locator("section.review-domain")
    for index in range(domains.count()):
        domain = domains.nth(index)
        actions.click(domain.locator("summary", has_text="All remaining"))
        actions.click(domain.get_by_role("button", name=re.compile(r"^Yes, record met")))
        expect(page.locator(".messages")).to_contain_text("Recorded met for")
    expect(page.locator("#review-progress")).to_have_text(f"{STATEMENTS} of {STATEMENTS}")
    page.screenshot(path=SHOTS.format("1280-all-judged"), full_page=False)
    height = page.evaluate("document.documentElement.scrollHeight")

    section = page.locator("#recommend")
    actions.click(section.get_by_label("Request changes", exact=True))
    actions.fill(section.get_by_label("Reasons"), "Please add how you used 1.01.")
    actions.click(section.get_by_role("button", name="Send my recommendation"))
    expect(page.locator(".messages")).to_contain_text("Your recommendation is recorded")
    print(f"\nreview, a domain at a time: {actions.count} actions; page {height} px at 1280")
    assert actions.count <= 3 + 2 + 7 * 2 + 3
    reviews = StatementReview.objects.filter(assignment__reviewer=reviewer)
    assert reviews.count() == STATEMENTS  # one verdict per statement
    assert reviews.filter(met=False).count() == 1
    assert Application.objects.get().status == Application.Status.IN_REVIEW


def test_next_unreviewed_jump_and_the_page_on_a_phone(reviewer_page):
    page = reviewer_page(390)
    page.goto("/review/")
    page.get_by_role("button", name=re.compile(r"^Claim")).click()
    articles = page.locator("article.dossier-statement")
    first, second = articles.nth(0), articles.nth(1)
    first.get_by_label("Met", exact=True).click()
    expect(first.get_by_text("Saved: met")).to_be_visible()
    jump = page.get_by_role("link", name="Next without a verdict")

    # Where the reader is, with the first verdict just given: the jump is on screen, not
    # in the progress column far above. Measured the other way too, with the bar unpinned.
    first.get_by_text("Saved: met").scroll_into_view_if_needed()
    pinned = jump.evaluate("a => a.getBoundingClientRect().top")
    unpinned = jump.evaluate(
        "a => { const p = a.parentElement; p.style.position = 'static';"
        " const top = a.getBoundingClientRect().top; p.style.position = ''; return top; }"
    )
    height = page.viewport_size["height"]
    print(f"\nnext without a verdict at 390: pinned at {pinned:.0f} px, unpinned {unpinned:.0f} px")
    assert 0 < pinned < height
    assert unpinned < 0  # the column's place: off the top of the screen

    jump.click()  # no scrolling first: a person taps what is on screen
    assert page.url.endswith(f"#{second.get_attribute('id')}")
    expect(second).to_be_in_viewport()
    page.wait_for_function(
        "id => Math.abs(document.getElementById(id).getBoundingClientRect().top) < 8",
        arg=second.get_attribute("id"),
    )
    top = second.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < 8, top
    # The heading and the verdict of the target are on screen, not under the bar.
    expect(second.get_by_role("heading")).to_be_in_viewport()
    page.screenshot(path=SHOTS.format("390-next"), full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The bar follows the verdicts: after this one it points at the third statement.
    second.get_by_label("Met", exact=True).click()
    expect(second.get_by_text("Saved: met")).to_be_visible()
    expect(jump).to_have_attribute("href", f"#{articles.nth(2).get_attribute('id')}")
    expect(jump).to_be_in_viewport()
