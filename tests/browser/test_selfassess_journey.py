"""A new practitioner's first self-assessment, end to end in Chromium.

Signs up, confirms their email from the message sent, fills the profile,
rates a whole domain with the keyboard alone, reloads to find it saved,
completes the assessment, changes two ratings in the next one and finds them
under "What changed".
"""

import pytest

from imhcf.models import Statement
from selfassess.models import Assessment, Rating
from tests.browser.conftest import verification_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "hana.health-visitor@example.org"
PASSWORD = "a-long-and-unusual-passphrase-42"

# What the keyboard does in each cell: Arrow Down from "Not started" moves to
# and selects the next rating, so Level 1 becomes Achieved, the rest Working towards.
PRESSES = {1: ["ArrowDown", "ArrowDown"], 2: ["ArrowDown"], 3: ["ArrowDown"]}
EXPECTED = {1: "achieved", 2: "working_towards", 3: "working_towards"}


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const form = el && el.closest ? el.closest('.rating-form') : null;
          const cell = el && el.closest ? el.closest('.rating-cell') : null;
          return {
            type: (el && el.type) || '',
            name: (el && el.name) || '',
            form: form ? form.id : null,
            level: cell ? cell.querySelector('.level-label').textContent.trim() : '',
          };
        }"""
    )


def _rate_domain_with_keyboard(page) -> int:
    """Tab through the page, rating every statement; returns how many were rated."""
    rated: set[str] = set()
    forms = page.locator(".rating-form").count()
    for _ in range(forms * 8 + 60):
        page.keyboard.press("Tab")
        here = _focused(page)
        if here["name"] == "value" and here["form"] and here["form"] not in rated:
            level = int(here["level"].split()[-1])
            for key in PRESSES[level]:
                page.keyboard.press(key)
            rated.add(here["form"])
            if len(rated) == 1:
                # The first note is typed and saved with Enter.
                page.keyboard.press("Tab")
                assert _focused(page)["name"] == "note"
                page.keyboard.type("Covered on the attachment course")
                page.keyboard.press("Enter")
        if len(rated) == forms:
            return len(rated)
    return len(rated)


def _wait_for_saves(page, count: int) -> None:
    """Until ``count`` cells say Saved and no save is in flight.

    Read from the page, not the database: with in-memory SQLite the test and
    the server share one connection, so the test stays off it while the
    server works.
    """
    page.wait_for_function(
        """count => document.querySelectorAll('.rating-form.htmx-request').length === 0
             && [...document.querySelectorAll('.save-state')]
                  .filter(el => el.textContent.includes('Saved')).length >= count""",
        arg=count,
        timeout=20_000,
    )


def _domain_ratings(user_email: str, number: int):
    assessment = Assessment.objects.get(user__email=user_email, status="in_progress")
    return list(
        Rating.objects.filter(
            assessment=assessment, statement__competency__domain__number=number
        ).select_related("statement")
    )


def test_new_practitioner_rates_a_domain_by_keyboard_and_sees_what_changed(page, shipped_framework):
    # Sign up and confirm the address from the email.
    page.goto("/accounts/signup/")
    page.locator("input[name=full_name]").fill("Hana Hughes")
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    page.goto(verification_path(EMAIL))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()

    # Any assessment page leads to the profile first, then back again.
    page.get_by_role("link", name="My assessment").click()
    assert "/assessment/profile/" in page.url
    page.get_by_label("Profession or role").select_option("health_visitor")
    page.get_by_label("Universal service (for every family)").check()
    page.get_by_label("Public sector (for example the NHS or a local authority)").check()
    page.get_by_label("Employer or organisation").fill("Northshire NHS Trust")
    page.get_by_label("UK nation").select_option("england")
    page.get_by_label("Region").select_option("north_west")
    page.get_by_label("Level 2: I apply it in practice with families").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Start my self-assessment").click()
    assert page.url.endswith("/assessment/domains/1/")
    # Aiming at Level 2, Level 3 is one tap away; this journey rates all three.
    page.get_by_role("link", name="Show all three levels").click()

    # Rate the whole first domain with the keyboard only.
    forms = page.locator(".rating-form").count()
    assert (
        forms
        == Statement.objects.filter(
            competency__domain__version=shipped_framework, competency__domain__number=1
        ).count()
    )
    assert _rate_domain_with_keyboard(page) == forms
    _wait_for_saves(page, forms)
    assert all(r.value == EXPECTED[r.statement.level] for r in _domain_ratings(EMAIL, 1))
    assert "Saved" in page.locator("#save-status").inner_text()
    assert page.locator(".rating-conflict").count() == 0  # no save refused itself

    # Reload: every rating is still there.
    page.reload()
    checked = page.evaluate(
        """() => [...document.querySelectorAll('.rating-cell')].map(cell => [
             cell.querySelector('.level-label').textContent.trim(),
             cell.querySelector('input[name=value]:checked').value])"""
    )
    assert len(checked) == forms
    assert all(value == EXPECTED[int(level.split()[-1])] for level, value in checked)
    first_note = page.locator(".rating-form input[name=note]").first
    assert first_note.input_value() == "Covered on the attachment course"

    # Complete it, after reading what completing means.
    page.get_by_role("link", name="My assessment").click()
    page.get_by_role("link", name="Complete this self-assessment").click()
    assert page.get_by_role("heading", name="What completing means").is_visible()
    page.get_by_role("button", name="Complete and keep a snapshot").click()
    assert "Completed." in page.locator(".messages").inner_text()

    # The next one starts from those ratings; change two of them.
    page.get_by_role("link", name="My assessment").click()
    page.get_by_role("link", name="Carry on rating").click()
    page.get_by_role("link", name="Show all three levels").click()
    slips = Statement.objects.get(
        competency__domain__version=shipped_framework, competency__code="1.01", level=1
    )
    improves = Statement.objects.get(
        competency__domain__version=shipped_framework, competency__code="1.02", level=3
    )
    page.locator(f"#s-{slips.pk}").get_by_text("Working towards", exact=True).click()
    page.locator(f"#s-{improves.pk}").get_by_text("Achieved", exact=True).click()
    _wait_for_saves(page, 2)
    values = {r.statement_id: r.value for r in _domain_ratings(EMAIL, 1)}
    assert (values[slips.pk], values[improves.pk]) == ("working_towards", "achieved")

    page.get_by_role("link", name="My assessment").click()
    changes = page.locator("section", has=page.locator("#changes-title"))
    assert changes.locator("tbody tr").count() == 2
    slipped_row = changes.locator("tr.change-slipped")
    improved_row = changes.locator("tr.change-improved")
    assert "1.01 Level 1" in slipped_row.inner_text()
    assert "Slipped" in slipped_row.inner_text()
    assert "1.02 Level 3" in improved_row.inner_text()
    assert "Improved" in improved_row.inner_text()

    assert page.problems == []
