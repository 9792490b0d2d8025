"""From application to the public register, end to end in Chromium.

A practitioner ready for Level 1 signs in and applies: the task list shows
everything done, "check your answers" lists the frozen dossier, and the
declarations are ticked before submitting. Two reviewers, each in their own
browser and signing in with a TOTP code, claim the application, record met or
not met for every statement and both ask for changes (one statement not met
each, with a comment). The practitioner reads that feedback on the application
page and resubmits with a note; the same reviewers look at round two and both
approve. The practitioner reads their registration number, asks for the
certificate, watches the progress page turn to ready and downloads the PDF.
Finally an anonymous visitor finds the entry by name on the public register and
verifies the number.

The certificate is made by the real Celery task, run eagerly in this process,
held back until the progress page first polls (as in test_evidence_journey).
Emails run eagerly too, so the locmem outbox holds what people were sent.

Over 400 lines on purpose: one journey, told from start to end in order.
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from register.models import Application, AuditEvent, RegisterEntry
from tests.browser.conftest import first_status_poll_held, sign_in
from tests.register.helpers import make_ready_applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/regjourney-{}.png"
STATEMENTS = 63  # Level 1 of the shipped framework
NUMBER = re.compile(r"IMH-\d{6}-\d")

A_COMMENT = "The evidence is a course outline; describe how you used this with a family."
A_REASONS = "Please show how you apply 1.01 in your own work before we decide."
B_COMMENT = "Add a short reflection on what you learnt about early development."
B_REASONS = "Nearly there: a reflection for 1.02 would complete the picture."
NOTE = "I added reflections from my work with two families for 1.01 and 1.02."


# --- Fixtures --------------------------------------------------------------------------------


# --- What people do --------------------------------------------------------------------------


def _fact(scope, term: str):
    """The value a definition list gives for ``term``, as a person reads it beside the term."""
    return scope.locator("dt", has_text=re.compile(rf"^{term}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def _messages(page):
    return page.locator(".messages")


def _record_verdicts(page, not_met: dict[str, str]) -> None:
    """Met for every statement, except ``not_met`` (code → comment), by keyboard.

    Each verdict is saved in place; like a person, the reviewer sees it saved
    before moving on to the next statement.
    """
    articles = page.locator("article.dossier-statement")
    expect(articles).to_have_count(STATEMENTS)
    codes = page.locator("article.dossier-statement .competency-code").all_inner_texts()
    levels = page.locator("article.dossier-statement .level-label").all_text_contents()
    assert {level.strip() for level in levels} == {"Level 1"}
    expect(page.locator("#review-progress")).to_have_text(f"0 of {STATEMENTS}")
    for index, code in enumerate(codes):
        article = articles.nth(index)
        verdict = "Not met" if code in not_met else "Met"
        article.get_by_label(verdict, exact=True).press("Space")  # saves on the choice
        if code in not_met:
            # "Not met" asks for its comment in place; leaving the box saves it.
            comment = article.get_by_label(re.compile(r"^Comment"))
            expect(comment).to_be_focused()
            comment.fill(not_met[code])
            comment.press("Tab")
        article.get_by_text(f"Saved: {verdict.lower()}").wait_for()
    expect(page.locator("#review-progress")).to_have_text(f"{STATEMENTS} of {STATEMENTS}")
    forms = page.locator("form.statement-review-form")
    expect(forms.filter(has_text="Saved: not met")).to_have_count(len(not_met))
    expect(forms.filter(has_text="Saved: met")).to_have_count(STATEMENTS - len(not_met))


def _recommend(page, recommendation: str, reasons: str = "") -> None:
    section = page.locator("#recommend")
    section.get_by_label(recommendation, exact=True).check()
    if reasons:
        section.get_by_label("Reasons").fill(reasons)
    section.get_by_role("button", name="Send my recommendation").click()


def _open_my_review(page, applicant: str) -> None:
    page.get_by_role("link", name="Reviews", exact=True).click()
    mine = page.get_by_role("region", name="My reviews")
    mine.get_by_role("link", name=re.compile(rf"^Application \d+: {applicant}$")).click()


def _claim(page, applicant: str) -> None:
    page.get_by_role("link", name="Reviews", exact=True).click()
    expect(page.get_by_role("heading", name="Reviewing", level=1)).to_be_visible()
    waiting = page.get_by_role("region", name="Waiting for a reviewer")
    row = waiting.locator("li", has_text=applicant)
    expect(row).to_contain_text("Level 1 · round 1")
    row.get_by_role("button", name=re.compile(r"^Claim")).click()
    expect(_messages(page)).to_contain_text("You have claimed application")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^Application \d+: {applicant}, Level 1$")
    )


def _pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# --- The journey -----------------------------------------------------------------------------


def test_apply_review_resubmit_approve_certificate_and_public_register(
    open_browser,
    shipped_framework,
    practitioner,
    reviewer,
    second_reviewer,
    private_storage,
    held_jobs,
    tmp_path,
):
    waiting, run_held = held_jobs
    make_ready_applicant(practitioner, shipped_framework, level=1)
    name = practitioner.full_name

    # 1. The practitioner signs in and applies at Level 1.
    priya = open_browser()
    sign_in(priya, practitioner.email)
    priya.get_by_role("link", name="Applications", exact=True).click()
    expect(priya.get_by_role("heading", name="Your recognition", level=1)).to_be_visible()
    priya.get_by_role("link", name="Apply for recognition").click()
    expect(priya.get_by_role("radio", name=re.compile(r"^Level 1 "))).to_be_checked()
    tasks = priya.locator(".task-list > li")
    expect(tasks.first).to_be_visible()
    *needed, declarations = tasks.all()
    assert len(needed) == 3  # profile, ratings, evidence
    for task in needed:
        expect(task.locator(".badge")).to_have_text("Done")
    expect(declarations).to_contain_text("Ready to start")
    expect(
        priya.get_by_text(f"Everything is in place for your {STATEMENTS} statements.")
    ).to_be_visible()
    priya.screenshot(path=SHOTS.format("1-apply-ready"), full_page=True)

    priya.get_by_role("link", name="Continue to check your answers").click()
    expect(priya.get_by_role("heading", name="Check your answers before applying")).to_be_visible()
    expect(
        priya.get_by_text(f"{STATEMENTS} statements, all rated Achieved and evidenced")
    ).to_be_visible()
    form = priya.locator("form", has=priya.get_by_role("button", name="Submit application"))
    for label in (
        "The information in my application is accurate",
        "I will follow the register's code of conduct",
        "I agree to two reviewers reading my application",
        "I agree to my recognition being published on the register",
    ):
        form.get_by_label(label).check()
    priya.screenshot(path=SHOTS.format("2-check-answers"), full_page=False)
    form.get_by_role("button", name="Submit application").click()
    expect(_messages(priya)).to_have_text(
        "Your application for Level 1 is submitted. We have emailed you a confirmation."
    )
    expect(priya.get_by_role("heading", name="Status: Waiting for reviewers")).to_be_visible()
    expect(priya.get_by_role("region", name="Messages to you")).to_contain_text(
        "We have received your application for Level 1"
    )
    priya.screenshot(path=SHOTS.format("3-submitted"), full_page=False)

    # 2. Reviewer A signs in with a TOTP code, claims it, and asks for changes.
    rosa = open_browser()
    sign_in(rosa, reviewer.email, totp_secret=reviewer.totp_secret)
    _claim(rosa, name)
    _record_verdicts(rosa, {"1.01": A_COMMENT})
    rosa.locator("article.dossier-statement").first.scroll_into_view_if_needed()
    rosa.screenshot(path=SHOTS.format("4-review-a-round1"), full_page=False)
    _recommend(rosa, "Request changes", A_REASONS)
    expect(_messages(rosa)).to_contain_text(
        "Your recommendation is recorded. The decision waits for the other reviewer."
    )

    # Reviewer B, in their own browser, does the same with another statement.
    rhys = open_browser()
    sign_in(rhys, second_reviewer.email, totp_secret=second_reviewer.totp_secret)
    _claim(rhys, name)
    _record_verdicts(rhys, {"1.02": B_COMMENT})
    _recommend(rhys, "Request changes", B_REASONS)
    expect(_messages(rhys)).to_contain_text(
        "the reviewers agree: the application is now “Changes requested”."
    )
    # Both have recommended, so each sees the other's verdicts.
    expect(rhys.get_by_text(A_COMMENT)).to_be_visible()

    # 3. The practitioner reads the feedback and resubmits.
    priya.get_by_role("link", name="Applications", exact=True).click()
    priya.get_by_role("link", name="Level 1", exact=True).click()
    expect(priya.get_by_role("heading", name="Status: Changes requested")).to_be_visible()
    expect(priya.get_by_role("region", name="Messages to you")).to_contain_text(
        "The reviewers have asked for changes to your application"
    )
    reasons = priya.get_by_role("region", name="The reviewers\u2019 reasons")
    expect(reasons).to_contain_text(A_REASONS)
    expect(reasons).to_contain_text(B_REASONS)
    expect(priya.get_by_role("heading", name="2 statements marked not met")).to_be_visible()
    priya.get_by_role("link", name="1.01 Level 1").click()
    feedback = priya.locator(".dossier-domain > ol > li", has=priya.get_by_text(A_COMMENT))
    expect(feedback).to_be_visible()
    expect(feedback).to_contain_text("The reviewers marked this statement as not met.")
    expect(feedback.locator(".statement-code")).to_have_text("1.01 L1")
    feedback.scroll_into_view_if_needed()
    priya.screenshot(path=SHOTS.format("5-feedback"), full_page=False)

    priya.get_by_role("link", name="Resubmit after changes").click()
    expect(priya.get_by_role("heading", name="Everything is in place")).to_be_visible()
    priya.get_by_label("What have you changed?").fill(NOTE)
    priya.get_by_role("button", name="Resubmit application").click()
    expect(_messages(priya)).to_have_text(
        "Your application is resubmitted. The same reviewers will look at it again."
    )
    expect(priya.get_by_role("heading", name="Status: Being reviewed")).to_be_visible()

    # 4. Round two: both reviewers read the note and approve.
    for person, last in ((rosa, False), (rhys, True)):
        _open_my_review(person, name)
        expect(person.get_by_text("Round 2: resubmitted after changes")).to_be_visible()
        expect(person.get_by_role("note")).to_contain_text(NOTE)
        # Last round's verdicts are there to read under each statement.
        first = person.locator("article.dossier-statement").first
        expect(first.locator(".competency-code")).to_have_text("1.01")
        expect(first).to_contain_text("Verdicts in round 1")
        expect(first).to_contain_text(A_COMMENT)
        if not last:
            person.screenshot(path=SHOTS.format("6-review-a-round2"), full_page=False)
        _record_verdicts(person, {})
        _recommend(person, "Approve")
        expect(_messages(person)).to_contain_text(
            "the reviewers agree: the application is now “Approved”."
            if last
            else "The decision waits for the other reviewer."
        )

    # 5. The practitioner is on the register, and downloads the certificate.
    priya.get_by_role("link", name="Applications", exact=True).click()
    on_register = priya.get_by_role("region", name="On the register")
    expect(on_register).to_contain_text("Level 1")
    on_register.get_by_role("link", name="See the application and certificate").click()
    expect(priya.get_by_role("heading", name="Status: Approved")).to_be_visible()
    entry = priya.get_by_role("region", name="Your register entry")
    expect(_fact(entry, "Registration number")).to_have_text(NUMBER)
    number = _fact(entry, "Registration number").inner_text().strip()
    today = timezone.localdate()
    until = today + timedelta(days=settings.IMHCF_REGISTRATION_VALID_DAYS)  # a year, by default
    valid_until = f"{until:%-d %B %Y}"
    expect(_fact(entry, "Level")).to_have_text("Level 1")
    expect(_fact(entry, "Status")).to_have_text("Registered")
    expect(_fact(entry, "Recognised on")).to_have_text(f"{today:%-d %B %Y}")
    expect(_fact(entry, "Valid until")).to_have_text(valid_until)
    expect(priya.get_by_role("region", name="Messages to you")).to_contain_text(
        "You are recognised at Level 1"
    )
    priya.screenshot(path=SHOTS.format("7-approved"), full_page=False)

    entry.get_by_role("button", name="Download certificate").click()
    priya.wait_for_url(re.compile(r"/evidence/documents/\d+/$"))
    status = priya.locator("#document-status")
    expect(status).to_contain_text("Waiting to start")
    assert len(waiting) == 1
    with first_status_poll_held(priya, "the progress page never polled for its status"):
        assert run_held() == 1
    expect(status).to_contain_text("Your document is ready.", timeout=15_000)
    priya.screenshot(path=SHOTS.format("8-certificate-ready"), full_page=False)
    with priya.expect_download() as download_info:
        priya.get_by_role("link", name="Download the PDF").click()
    saved = tmp_path / "certificate.pdf"
    download_info.value.save_as(saved)
    assert download_info.value.suggested_filename.endswith(".pdf")
    text = " ".join(_pdf_text(saved).split())
    assert number in text
    assert "Level 1" in text
    assert name in text
    assert f"/register/verify/{number}/" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(saved),
            SHOTS.format("11-certificate")[:-4],
        ],
        check=True,
    )

    # 6. An anonymous visitor finds the entry and verifies the number.
    visitor = open_browser()
    visitor.goto("/")
    visitor.get_by_role("link", name="Public register").click()
    visitor.get_by_label("Name or registration number").fill(name.split()[0])
    visitor.get_by_role("button", name="Search", exact=True).click()
    expect(visitor.get_by_role("heading", name="1 person found")).to_be_visible()
    visitor.get_by_role("link", name=name).click()
    expect(visitor.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(visitor.get_by_text("Currently registered", exact=True)).to_be_visible()
    expect(_fact(visitor, "Registration number")).to_have_text(number)
    expect(_fact(visitor, "Level")).to_contain_text("Level 1")
    expect(_fact(visitor, "Status")).to_have_text("Registered")
    expect(_fact(visitor, "Valid until")).to_have_text(valid_until)
    visitor.screenshot(path=SHOTS.format("9-public-entry"), full_page=False)

    visitor.get_by_role("link", name="Search the register").click()
    visitor.get_by_role("link", name="Verify a registration number").click()
    visitor.get_by_role("textbox", name="Registration number").fill(number)
    visitor.get_by_role("button", name="Verify").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        f"Currently registered at Level 1 until {valid_until}"
    )
    visitor.screenshot(path=SHOTS.format("10-verified"), full_page=False)

    for person in (priya, rosa, rhys, visitor):
        assert person.problems == []

    # What the browsers did, as the database and the outbox record it.
    application = Application.objects.get(applicant=practitioner)
    assert (application.status, application.round) == (Application.Status.APPROVED, 2)
    assert RegisterEntry.objects.get(application=application).registration_number == number
    assert list(
        AuditEvent.objects.filter(application=application)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    ) == [
        "submit",
        "claim",
        "recommend",
        "claim",
        "recommend",
        "resubmit",
        "recommend",
        "recommend",
    ]

    def subjects(person) -> list[str]:
        return [m.subject for m in mail.outbox if person.email in m.to]

    assert subjects(practitioner) == [
        "[IMHCF] We have received your application for Level 1",
        "[IMHCF] The reviewers have asked for changes to your application",
        "[IMHCF] You are recognised at Level 1",
    ]
    for person in (reviewer, second_reviewer):
        assert subjects(person) == [
            "[IMHCF] A new Level 1 application is waiting for reviewers",
            "[IMHCF] An application you are reviewing has been resubmitted",
        ]
