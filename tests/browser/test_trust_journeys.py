"""A register the public can trust (issue 14), walked in Chromium.

- A member of the public raises a concern; staff triage it to a case handler,
  who invites the registrant; the registrant answers from their own page; the
  handler decides conditions, which the public entry and the API then show.
- A renewal chosen for a CPD audit: the practitioner sends their CPD record,
  a reviewer takes the audit, opens the evidence and passes it, and the entry
  is renewed.
- An application with two referees: one declines through their emailed link
  and the applicant replaces them; the new referee and the other answer, the
  application joins the queue; two reviewers, each signed in with a code,
  claim it, record "met" a domain at a time and approve it, and the applicant
  reads the outcome.

Tasks run eagerly (``eager_celery``), so emails land in the locmem outbox with
the links real people would follow. Screenshots at 390 and 1280 px go to /tmp.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from register.models import (
    Application,
    AuditEvent,
    Concern,
    CpdAudit,
    RegisterEntry,
    Renewal,
)
from tests.browser.conftest import sign_in
from tests.browser.test_register_journey import _claim, _recommend
from tests.conftest import enable_totp
from tests.evidence.factories import EvidenceItemFactory
from tests.factories import UserFactory, build_framework
from tests.register import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOT = "/tmp/trust-{}-{}.png"
STATEMENTS = 6  # Level 1 of journey (a)'s framework: two domains of three


def _shots(page, name: str) -> None:
    """The page as a phone (390 px) and a desktop (1280 px) show it."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOT.format(name, width), full_page=True)


def _messages(page):
    return page.locator(".messages")


def _staff(name: str, email: str):
    user = UserFactory(full_name=name, email=email, is_staff=True, is_superuser=True)
    user.totp_secret = enable_totp(user)
    return user


@pytest.fixture
def entry(practitioner, reviewer, second_reviewer, db):
    version = build_framework(domains=7, competencies_per_domain=1)
    helpers.approve(helpers.submit(practitioner, version), reviewer, second_reviewer)
    return RegisterEntry.objects.get(practitioner=practitioner)


# --- A concern, from the public form to the public entry ----------------------------------------


def test_a_concern_is_raised_heard_answered_and_its_conditions_published(
    open_browser, live_server, entry, practitioner, eager_celery, settings
):
    settings.IMHCF_CONCERN_RATE = "100/h"
    handler = _staff("Hana Handler", "hana@example.org")
    number = entry.registration_number

    # 1. A parent raises a concern on the public form.
    public = open_browser()
    public.goto("/register/concerns/")
    public.get_by_label("Who is your concern about?").fill(number)
    public.get_by_label("What is your concern?").fill(
        "During a home visit she dismissed my worries about feeding and left abruptly."
    )
    public.get_by_label("Your name").fill("Pat Parent")
    public.get_by_label("Your email address").fill("pat@example.org")
    public.get_by_label("How do you know them?").fill("A parent she visited")
    public.get_by_role("button", name="Send my concern").click()
    expect(public.get_by_role("heading", level=1)).to_be_visible()
    concern = Concern.objects.get()
    assert any(concern.reference in m.subject for m in mail.outbox if "pat@" in m.to[0])

    # 2. The handler triages it to themselves and invites the registrant.
    staff = open_browser()
    sign_in(staff, handler.email, totp_secret=handler.totp_secret)
    staff.goto(f"/staff/concerns/{concern.pk}/")
    staff.get_by_label("Take it forward: a case handler investigates").check()
    staff.get_by_role("combobox", name="Case handler").select_option(label="Hana Handler")
    staff.get_by_label("Reasons").fill("About practice with a family; needs investigating.")
    staff.get_by_role("button", name="Record the triage decision").click()
    expect(_messages(staff)).to_contain_text("Recorded.")
    staff.get_by_role("button", name="Tell the registrant and invite their response").click()
    expect(_messages(staff)).to_contain_text("Recorded.")

    # 3. The registrant follows the link in their email and answers on their own page.
    invite = next(m for m in mail.outbox if m.to == [practitioner.email] and "concern" in m.subject)
    link = re.search(r"(/register/my-concerns/\d+/)", invite.body).group(1)
    priya = open_browser()
    sign_in(priya, practitioner.email)
    priya.goto(link)
    expect(priya.get_by_role("heading", name=f"Concern {concern.reference}")).to_be_visible()
    priya.get_by_role("textbox", name="Your response").fill(
        "The visit was cut short by another call-out; I have since arranged a follow-up."
    )
    _shots(priya, "my-concern")
    priya.get_by_role("button", name="Send my response").click()
    expect(_messages(priya)).to_contain_text("Your response is sent")
    expect(priya.get_by_text("Your case handler has your response")).to_be_visible()

    # 4. The handler reads the answer and decides conditions.
    staff.reload()
    expect(
        staff.locator("blockquote", has_text="I have since arranged a follow-up")
    ).to_be_visible()
    decide = staff.locator("form[action$='/decide/']")
    decide.get_by_label("Conditions on practice", exact=True).check()
    decide.get_by_label("Reasons").fill(
        "Feeding advice fell short; supervision will support practice."
    )
    decide.get_by_label("What the public register shows").fill(
        "Works under monthly clinical supervision until further notice."
    )
    staff.get_by_role("button", name="Record the outcome").click()
    expect(_messages(staff)).to_contain_text("Recorded.")

    # 5. Anyone reads the conditions on the public entry, and an employer's script in the API.
    public.goto(f"/register/{number}/")
    expect(public.locator("main")).to_contain_text("monthly clinical supervision")
    _shots(public, "entry-with-conditions")
    api = public.request.get(f"{live_server.url}/api/v1/register/{number}")
    assert api.status == 200
    body = json.loads(api.text())
    assert "monthly clinical supervision" in json.dumps(body["restrictions"])
    actions = set(
        AuditEvent.objects.filter(subject=f"concern:{concern.pk}").values_list("action", flat=True)
    )
    assert {"concern_raise", "concern_triage", "concern_invite", "concern_response"} <= actions
    assert (
        AuditEvent.objects.get(subject=f"concern:{concern.pk}", action="concern_response").actor
        == practitioner
    )


# --- A renewal chosen for a CPD audit, and its review ------------------------------------------


def test_a_renewal_chosen_for_audit_is_sent_checked_and_renewed(
    open_browser, entry, practitioner, reviewer, eager_celery, private_storage, settings
):
    settings.IMHCF_CPD_AUDIT_PERCENT = Decimal(100)  # this renewal is certainly drawn
    settings.IMHCF_RENEWAL_CPD_HOURS = 15
    settings.IMHCF_RENEWAL_EQUALITY_HOURS = 1
    helpers.renewal_made(entry, status=Renewal.Status.APPROVED, days_ago=365)
    RegisterEntry.objects.filter(pk=entry.pk).update(
        valid_until=timezone.localdate() + timedelta(days=20)
    )
    course = EvidenceItemFactory(
        owner=practitioner,
        title="Video interaction guidance course",
        start_date=timezone.localdate() - timedelta(days=30),
        hours=Decimal("15"),
    )
    helpers.attach_file(course, name="vig-certificate.pdf")
    EvidenceItemFactory(
        owner=practitioner,
        title="Anti-racist practice workshop",
        start_date=timezone.localdate() - timedelta(days=12),
        hours=Decimal("2"),
        equality_inclusion=True,
    )
    before = RegisterEntry.objects.get(pk=entry.pk).valid_until

    # 1. The practitioner renews and is told their renewal was drawn for audit.
    priya = open_browser()
    sign_in(priya, practitioner.email)
    priya.goto(f"/register/entries/{entry.pk}/renew/")
    for box in priya.locator("form input[type=checkbox]").all():
        box.check()
    priya.get_by_role("button", name="Renew my recognition").click()
    expect(_messages(priya)).to_contain_text("chosen at random for a CPD audit")
    expect(priya.get_by_role("heading", name="Your CPD audit")).to_be_visible()
    expect(priya.locator("main")).to_contain_text("Video interaction guidance course")
    _shots(priya, "cpd-audit")
    audit = CpdAudit.objects.get()
    draw = AuditEvent.objects.get(action="cpd_audit_draw", entry=entry)
    assert draw.detail["chosen"] and draw.detail["draw"] < draw.detail["threshold"]

    # 2. They send the record with a note.
    priya.get_by_label("Anything the reviewer should know (optional)").fill(
        "The certificate for the course is attached to it."
    )
    priya.get_by_label(re.compile(r"The activities listed are a true record")).check()
    priya.get_by_role("button", name="Send my CPD record").click()
    expect(_messages(priya)).to_contain_text("Your CPD record is sent")
    expect(priya.get_by_role("heading", name="What you sent")).to_be_visible()

    # 3. A reviewer finds it in the queue, takes it, opens the evidence and passes it.
    rosa = open_browser()
    sign_in(rosa, reviewer.email, totp_secret=reviewer.totp_secret)
    rosa.get_by_role("link", name="Reviews", exact=True).click()
    audits = rosa.get_by_role("region", name="CPD audits")
    audits.get_by_role("link", name=re.compile(practitioner.full_name)).click()
    rosa.get_by_role("button", name="Take this audit").click()
    expect(_messages(rosa)).to_contain_text("You have taken this audit")
    with rosa.expect_download() as download:
        rosa.get_by_role("link", name="vig-certificate.pdf").click()
    assert download.value.suggested_filename == "vig-certificate.pdf"
    _shots(rosa, "cpd-audit-review")
    rosa.get_by_label(re.compile(r"Pass: the CPD is as declared")).check()
    rosa.get_by_label("Reasons").fill("Certificate and hours match the log.")
    rosa.get_by_role("button", name="Record the decision").click()
    expect(_messages(rosa)).to_contain_text("The audit is passed and the renewal approved")

    # 4. The practitioner reads the outcome; the entry runs a year longer.
    priya.reload()
    expect(priya.get_by_role("heading", name="Outcome")).to_be_visible()
    expect(priya.locator("main")).to_contain_text("Certificate and hours match the log.")
    audit.refresh_from_db()
    assert audit.status == CpdAudit.Status.PASSED
    assert RegisterEntry.objects.get(pk=entry.pk).valid_until == before + timedelta(days=365)


# --- Referees: one declines and is replaced, through to approval ------------------------------


def _link_for(email: str) -> str:
    message = [m for m in mail.outbox if m.to == [email]][-1]
    return re.search(r"(/references/[^/\s]+/)", message.body).group(1)


def _referee_answers(page) -> None:
    page.get_by_label("I am the person this request was sent to").check()
    page.get_by_label("How do you know the applicant's work?").fill("I supervise her monthly.")
    page.get_by_label("One to two years").check()
    for answer in page.get_by_label("Yes, in my experience").all():
        answer.check()
    page.get_by_role("button", name="Send my reference").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _all_met(page) -> None:
    """Met for every statement, a domain at a time through "All remaining ... are met"."""
    domains = page.locator("section.review-domain")
    count = domains.count()
    assert count == 2
    for index in range(count):
        domain = domains.nth(index)
        domain.locator("summary", has_text="All remaining").click()
        domain.get_by_role("button", name=re.compile(r"^Yes, record met")).click()
        expect(_messages(page)).to_contain_text(
            f"Recorded met for 3 statements in domain {index + 1}."
        )
    expect(page.locator("#review-progress")).to_have_text(f"{STATEMENTS} of {STATEMENTS}")


@pytest.mark.referees
def test_a_declining_referee_is_replaced_and_the_application_is_approved(
    open_browser, practitioner, reviewer, second_reviewer, eager_celery, settings
):
    settings.IMHCF_REFEREE_KINDS = ["line_manager", "supervisor"]
    settings.IMHCF_REFERENCE_RATE = "500/h"
    # Two domains of three: each reviewer judges a domain at a time.
    version = build_framework(domains=2, competencies_per_domain=3)
    helpers.make_ready_applicant(practitioner, version, level=1)

    # 1. The practitioner applies, naming their two referees.
    priya = open_browser()
    sign_in(priya, practitioner.email)
    priya.goto("/register/apply/1/check/")
    for kind, name, email in (
        ("line_manager", "Lee Manager", "lee@example.org"),
        ("supervisor", "Sue Supervisor", "sue@example.org"),
    ):
        group = priya.locator("fieldset", has=priya.locator(f"[name='{kind}-name']"))
        group.get_by_label("Full name").fill(name)
        group.get_by_label("Job title").fill("Team lead")
        group.get_by_label("Email address").fill(email)
        group.get_by_label("How they know your work").fill("Works with me every week.")
    for box in priya.locator("main form input[type=checkbox]").all():
        box.check()
    priya.get_by_role("button", name="Submit application").click()
    application = Application.objects.get(applicant=practitioner)
    assert application.status == Application.Status.AWAITING_REFERENCES

    # 2. The line manager declines through their link.
    lee = open_browser()
    lee.goto(_link_for("lee@example.org"))
    lee.get_by_label("Why are you declining? (optional)").fill("I have only just started here.")
    lee.get_by_role("button", name="Decline to give a reference").click()
    expect(lee.get_by_role("heading", level=1)).to_be_visible()

    # 3. The applicant sees it was declined (not why) and names someone else.
    priya.goto(f"/register/applications/{application.pk}/")
    expect(priya.locator("main")).to_contain_text("Declined to give a reference")
    expect(priya.locator("main")).not_to_contain_text("only just started")
    priya.get_by_role("link", name="Replace Lee Manager").click()
    priya.get_by_label("Full name").fill("Mo Manager")
    priya.get_by_label("Job title").fill("Service manager")
    priya.get_by_label("Email address").fill("mo@example.org")
    priya.get_by_label("How they know your work").fill("Managed me for three years.")
    _shots(priya, "reference-replace")
    priya.get_by_role("button", name="Ask this referee").click()

    # 4. Both current referees answer; the application joins the queue.
    for email in ("mo@example.org", "sue@example.org"):
        referee = open_browser()
        referee.goto(_link_for(email))
        _referee_answers(referee)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    # 5. Two reviewers, each signed in with their code, claim it, judge it a domain at a time
    # and approve; the applicant reads the outcome.
    for person, last in ((reviewer, False), (second_reviewer, True)):
        page = open_browser()
        sign_in(page, person.email, totp_secret=person.totp_secret)
        _claim(page, practitioner.full_name)
        _all_met(page)
        _recommend(page, "Approve")
        expect(_messages(page)).to_contain_text(
            "the reviewers agree: the application is now “Approved”."
            if last
            else "The decision waits for the other reviewer."
        )
    priya.goto(f"/register/applications/{application.pk}/")
    expect(priya.get_by_role("heading", name="Status: Approved")).to_be_visible()
    expect(priya.locator("main")).to_contain_text(
        RegisterEntry.objects.get(application=application).registration_number
    )
    kinds = list(application.references.order_by("pk").values_list("status", flat=True))
    assert kinds == ["replaced", "received", "received"]
    assert list(
        AuditEvent.objects.filter(application=application, action__in=["claim", "recommend"])
        .order_by("created_at", "id")
        .values_list("action", "actor")
    ) == [
        ("claim", reviewer.pk),
        ("recommend", reviewer.pk),
        ("claim", second_reviewer.pk),
        ("recommend", second_reviewer.pk),
    ]
