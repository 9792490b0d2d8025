"""Every page, in its significant states, against WCAG 2.2 A and AA with axe-core.

``test_page_has_no_wcag_violations`` has one test id per page and scans each of the
page's states in turn: empty (a new practitioner with no evidence and no
assessment), filled (ratings, evidence, applications), with form errors (an
invalid form submitted), with a file chosen and after an upload, with a document
job pending (no worker runs here, so it stays pending), and the reviewer, staff
and public pages. The bar is zero violations; a failure names the page, the state
and each rule with the selectors of the nodes that break it. Every state must
also reflow at 320 CSS pixels wide without scrolling sideways.

The keyboard tests sign up, attach evidence from the grid, apply and review using
only the keyboard, and check at every Tab stop that the focused element shows a
focus indicator and is not hidden under other content. Rating a whole domain by
keyboard is ``test_selfassess_journey``; here only the focus along the way is
checked, on a desktop and on a phone.

People sign in without the login form: the session cookie of Django's test
``Client.force_login`` is copied into the browser. Reviewers and admins have
TOTP turned on, which is all the MFA middleware asks of such a session. The
login, signup and two-factor code pages are scanned in their own cases.

Over 400 lines on purpose: one page table and the states each page is scanned in, which read
best side by side.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from evidence.models import DocumentJob, EvidenceItem, EvidenceLink
from imhcf.models import Statement
from register.models import Application, RegisterEntry
from register.numbers import number_for_application
from register.services import applying, entries, renewals, reviewing
from selfassess import services as selfassess_services
from selfassess.models import Assessment, Goal, Rating
from tests.browser.axe import assert_focus_visible, describe, focus_indicator, violations
from tests.browser.conftest import new_context, open_page, verification_path
from tests.browser.test_selfassess_journey import EXPECTED, PRESSES
from tests.conftest import enable_totp
from tests.factories import PASSWORD, UserFactory
from tests.register.helpers import (
    DECLARED,
    attach_file,
    audit_drawn,
    concern_taken_forward,
    make_profile,
    make_ready_applicant,
    recommend,
    renewal_made,
)
from tests.register.public_factories import make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture
def a11y_page(browser, live_server):
    """A fresh desktop-sized context that lets axe-core in past our CSP."""
    context = new_context(
        browser,
        live_server,
        bypass_csp=True,
        # Instant scrolling, so the place of a newly focused element can be measured at once.
        reduced_motion="reduce",
    )
    # Refused forms answer 400 on purpose here, so only console errors count as problems.
    yield open_page(context, failed_responses=False)
    context.close()


@pytest.fixture
def quiet_queues(monkeypatch):
    """No broker traffic: document jobs and emails stay pending, as with no worker running."""
    from evidence import services as evidence_services
    from register.services import notifications

    monkeypatch.setattr(evidence_services.documents, "_enqueue", lambda job_id: None)
    monkeypatch.setattr(notifications, "_enqueue", lambda notification_id: None)


class World:
    """What a case needs: the framework, people, and a way to sign them in."""

    def __init__(self, version, live_server, tmp_path):
        self.version = version
        self.live_server = live_server
        self.tmp_path = tmp_path
        self._reviewers: list = []

    # People.

    def person(self, name="Priya Practitioner", email="priya@example.org"):
        return UserFactory(full_name=name, email=email)

    def reviewer(self, n: int = 0):
        from accounts.roles import REVIEWERS_GROUP

        while len(self._reviewers) <= n:
            i = len(self._reviewers)
            user = UserFactory(
                full_name=["Rosa Reviewer", "Rhys Reviewer", "Rae Reviewer"][i],
                email=f"reviewer{i}@example.org",
                groups=[REVIEWERS_GROUP],
            )
            user.totp_secret = enable_totp(user)
            self._reviewers.append(user)
        return self._reviewers[n]

    def admin(self):
        user = UserFactory(
            full_name="Ada Admin", email="ada@example.org", is_staff=True, is_superuser=True
        )
        user.totp_secret = enable_totp(user)
        return user

    def signed_in(self, page, *person: str):
        """A new person (``person`` is their name and email, if not Priya), signed in."""
        user = self.person(*person)
        self.sign_in(page, user)
        return user

    def sign_in(self, page, user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": self.live_server.url,
                }
            ]
        )

    # What a page is visited by, in what state: see VISITS.

    PEOPLE = (
        ("Priya Practitioner", "priya@example.org"),
        ("Fiona Filled", "fiona@example.org"),
        ("Owen Other", "owen@example.org"),
        ("Dan Decided", "dan@example.org"),
    )
    DECISIONS = {
        "changes requested": ("changes", "changes"),
        "not approved": ("reject", "reject"),
        "approved": ("approve", "approve"),
    }

    def next_person(self):
        self._people = getattr(self, "_people", 0) + 1
        return self.person(*self.PEOPLE[self._people - 1])

    def given(self, who: str | None) -> tuple:
        """(whom to sign in, the ids the path names) for a VISITS step."""
        if who is None:
            return None, {}
        if who.startswith("then "):
            user, who = self._current, who.removeprefix("then ")
        elif who.startswith(("admin", "reviewer")):
            return self._staff_with(who)
        else:
            user = self._current = self.next_person()
        made = {}
        if who == "profiled":
            make_profile(user)
        elif who == "started":
            self.started(user)
        elif who == "filled":
            item = self.filled(user)
            done = Assessment.objects.get(user=user, status="completed")
            made = {"item": item.pk, "file": item.files.first().pk, "completed": done.pk}
        elif who == "ready":
            make_ready_applicant(user, self.version, level=1)
        elif who == "submitted":
            made = {"application": self.submitted(user).pk}
        elif who in self.DECISIONS:
            made = {"application": self.decided(user, *self.DECISIONS[who]).pk}
        else:
            assert who == "person", who
        return user, made

    def _staff_with(self, who: str) -> tuple:
        if who == "reviewer with an application waiting":
            self.submitted(self.next_person())
        elif who == "reviewer with one waiting and one claimed":
            self.submitted(self.next_person())
            claimed = self.submitted(self.next_person())
            reviewing.application_claim(application=claimed, reviewer=self.reviewer())
        elif who == "admin with an application waiting":
            self.submitted(self.next_person())
        elif who == "admin with two applications":
            self.submitted(self.next_person())
            self.decided(self.next_person(), "changes", "changes")
        elif who == "admin with an active and a suspended entry":
            make_entry(name="Jane Smith")
            make_entry(
                name="Jan Smits", status=RegisterEntry.Status.SUSPENDED, restriction="Supervised."
            )
        else:
            assert who == "admin with an approved entry", who
            entry = self.decided(self.next_person(), "approve", "approve").register_entry
            return self.admin(), {"entry": entry.pk}
        return (self.reviewer() if who.startswith("reviewer") else self.admin()), {}

    # State.

    def statement(self, code: str, level: int) -> Statement:
        return Statement.objects.get(
            competency__domain__version=self.version, competency__code=code, level=level
        )

    def started(self, user) -> Assessment:
        make_profile(user)
        return selfassess_services.assessment_start(user=user)

    def filled(self, user):
        """Profile, Level 1 achieved and evidenced, more evidence, a file, a goal, history."""
        item = make_ready_applicant(user, self.version, level=1)
        assessment = Assessment.objects.get(user=user, status="in_progress")
        Rating.objects.filter(
            assessment=assessment, statement__level=2, statement__competency__domain__number=1
        ).update(value=Rating.Value.WORKING_TOWARDS)
        attach_file(item)
        clinical = EvidenceItem.objects.create(
            owner=user,
            kind=EvidenceItem.Kind.CLINICAL,
            title="Video feedback with a mother and her baby",
            start_date=timezone.localdate() - timedelta(days=40),
            hours=Decimal("4"),
            description="Watched the baby's cues with the mother; she noticed him turning away.",
            deidentified=True,
        )
        EvidenceItem.objects.create(
            owner=user,
            kind=EvidenceItem.Kind.TRAINING,
            title="Equality and inclusion in perinatal services",
            start_date=timezone.localdate() - timedelta(days=60),
            hours=Decimal("2"),
            equality_inclusion=True,
        )
        EvidenceLink.objects.create(
            item=clinical, statement=self.statement("1.01", 2), justification="Used in practice"
        )
        Goal.objects.create(
            user=user,
            description="Attend the reflective supervision course",
            activity=Goal.Activity.TRAINING,
            due_date=timezone.localdate() + timedelta(days=90),
        ).statements.set([self.statement("6.01", 2)])
        # One completed self-assessment, then two changes in the next.
        selfassess_services.assessment_complete(assessment=assessment, target_level=1)
        current = Assessment.objects.get(user=user, status="in_progress")
        Rating.objects.filter(
            assessment=current, statement__competency__code="1.02", statement__level=2
        ).update(value=Rating.Value.ACHIEVED)
        return item

    def submitted(self, user) -> Application:
        make_ready_applicant(user, self.version, level=1)
        return applying.application_submit(applicant=user, level=1, declarations=DECLARED)

    def decided(self, user, first: str, second: str) -> Application:
        application = self.submitted(user)
        for n in (0, 1):
            reviewing.application_claim(application=application, reviewer=self.reviewer(n))
        recommend(application, self.reviewer(0), first)
        application = recommend(application, self.reviewer(1), second)
        application.refresh_from_db()
        return application


@pytest.fixture
def world(shipped_framework, live_server, tmp_path, quiet_queues, private_storage, settings):
    settings.IMHCF_RENEWAL_OPENS_DAYS = 60
    return World(shipped_framework, live_server, tmp_path)


def submit_invalid(page, button: str | re.Pattern) -> None:
    """Submit a form by its button without the browser's own checks, so the server's show."""
    submit = page.locator("main").get_by_role("button", name=button, exact=True).first
    submit.evaluate("b => { if (b.form) b.form.noValidate = true; }")
    with page.expect_navigation():
        submit.click()


def serve_template(page, world, name: str, status: int, path: str) -> None:
    """Serve a rendered error template at ``path`` on the live server's origin."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = render_to_string(name, request=request)
    page.route(
        f"{world.live_server.url}{path}",
        lambda route: route.fulfill(status=status, body=html, content_type="text/html"),
    )
    page.goto(path)


# --- The cases: one page each, scanned in each of its states ---------------------------------
#
# A case is a generator: it brings the page to a state and yields that state's name, then
# the next. The test scans after every yield and reports all states' violations together.


class Cases(dict):
    """Pages by name, each a case as above; ``@cases.add(name)`` registers one."""

    def add(self, name):
        def register(fn):
            self[name] = fn
            return fn

        return register

    def test(self):
        """The one test of these cases, a test id per page (other modules' cases too)."""

        @pytest.mark.parametrize("name", list(self))
        def test_page_has_no_wcag_violations(name, world, a11y_page):
            """Every state of the page passes axe-core, and reflows at 320px (WCAG 1.4.10)."""
            scan_states(name, self[name](world, a11y_page), a11y_page)

        return test_page_has_no_wcag_violations


CASES = Cases()
case = CASES.add


# Most pages need only someone in some state, and a visit: (who, path, state) steps. "who" names
# a World.given setup (a new person each time, signed in; "then ..." moves on the person of the
# step before; None is nobody signed in); the path is filled in from what the setup made.
VISITS = {
    # Public pages.
    "home": [(None, "/", "anonymous")],
    "dashboard": [
        ("person", "/dashboard/", "new practitioner"),
        ("filled", "/dashboard/", "practitioner with ratings and evidence"),
        ("reviewer with an application waiting", "/dashboard/", "reviewer"),
    ],
    "framework": [(None, "/framework/", "overview")],
    "framework-domain": [(None, "/framework/domains/1/", "domain 1")],
    "glossary": [(None, "/framework/glossary/", "all terms")],
    "privacy-notice": [(None, "/privacy/", "anonymous")],
    "404": [(None, "/no-such-page/", "not found")],
    # Account pages.
    "account-email": [("person", "/accounts/email/", "one address")],
    "mfa-index": [("person", "/accounts/2fa/", "no authenticator")],
    "account-logout": [("person", "/accounts/logout/", "asked to confirm")],
    "account-inactive": [(None, "/accounts/inactive/", "closed")],
    "password-reset-used-link": [
        (None, "/accounts/password/reset/key/1-not-a-real-key/", "link no longer works")
    ],
    # Self-assessment.
    "assessment-overview": [
        ("profiled", "/assessment/", "not started"),
        ("filled", "/assessment/", "filled, with changes since the last"),
    ],
    "history": [
        ("started", "/assessment/history/", "empty"),
        ("filled", "/assessment/history/", "one completed"),
    ],
    "snapshot": [("filled", "/assessment/history/{completed}/", "completed self-assessment")],
    "compare": [("filled", "/assessment/history/compare/", "completed against current")],
    "complete": [("filled", "/assessment/complete/", "ready to complete")],
    "plan": [
        ("started", "/assessment/plan/", "empty"),
        ("filled", "/assessment/plan/", "with a goal and gaps"),
    ],
    # Evidence and CPD.
    "evidence-list": [
        ("person", "/evidence/", "empty"),
        ("then filled", "/evidence/", "filled"),
    ],
    "evidence-item-edit": [("filled", "/evidence/{item}/edit/", "filled")],
    "evidence-item-delete": [("filled", "/evidence/{item}/delete/", "confirm")],
    "evidence-file-delete": [("filled", "/evidence/files/{file}/delete/", "confirm")],
    "cpd": [("person", "/evidence/cpd/", "empty"), ("then filled", "/evidence/cpd/", "filled")],
    # Applying, and the practitioner's side of an application.
    "apply": [
        ("person", "/register/apply/", "nothing done yet"),
        ("ready", "/register/apply/", "ready"),
    ],
    "applications": [
        ("person", "/register/applications/", "none"),
        ("then submitted", "/register/applications/", "one submitted"),
    ],
    "application": [
        (status, "/register/applications/{application}/", status)
        for status in ("submitted", "changes requested", "not approved", "approved")
    ],
    "application-withdraw": [
        ("submitted", "/register/applications/{application}/withdraw/", "confirm")
    ],
    "application-resubmit": [
        ("changes requested", "/register/applications/{application}/resubmit/", "empty")
    ],
    # Reviewers and staff.
    "review-queue": [("reviewer with one waiting and one claimed", "/review/", "waiting and mine")],
    "register-health": [
        ("admin with an application waiting", "/staff/register-health/", "one application waiting")
    ],
    "staff-applications": [
        ("admin with two applications", "/staff/applications/", "several states")
    ],
    "staff-entries": [
        ("admin with an active and a suspended entry", "/staff/entries/", "active and suspended")
    ],
    "staff-entry": [("admin with an approved entry", "/staff/entries/{entry}/", "active")],
}


def _visits(steps):
    def visit(w, page):
        for who, path, state in steps:
            viewer, made = w.given(who)
            if viewer is not None:
                w.sign_in(page, viewer)
            page.goto(path.format(**made))
            yield state

    return visit


for _name, _steps in VISITS.items():
    case(_name)(_visits(_steps))


def tour(page, stops):
    """For cases that visit several pages once their world is made: goes to each (path, state)
    of ``stops`` in turn and yields the state."""
    for path, state in stops:
        page.goto(path)
        yield state


# Public pages.


@case("login")
def _(w, page):
    w.person()
    page.goto("/accounts/login/")
    yield "empty"
    page.get_by_label("Email").fill("priya@example.org")
    page.get_by_label("Password").fill("not-the-password")
    submit_invalid(page, "Sign in")
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_be_visible()
    yield "with errors"


@case("signup")
def _(w, page):
    page.goto("/accounts/signup/")
    yield "empty"
    page.locator("input[name=email]").fill("not-an-email")
    page.locator("input[name=password1]").fill("short")
    page.locator("input[name=password2]").fill("different")
    submit_invalid(page, "Create account")
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    yield "with errors"
    page.locator("input[name=full_name]").fill("Hana Hughes")
    page.locator("input[name=email]").fill("hana@example.org")
    page.locator("input[name=password1]").fill("a-long-and-unusual-passphrase-42")
    page.locator("input[name=password2]").fill("a-long-and-unusual-passphrase-42")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    yield "check your email"


@case("password-reset")
def _(w, page):
    page.goto("/accounts/password/reset/")
    yield "empty"
    page.locator("input[name=email]").fill("not-an-email")
    submit_invalid(page, "Send reset link")
    yield "with errors"


@case("mfa-code")
def _(w, page):
    reviewer = w.reviewer()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(reviewer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    yield "empty"
    page.get_by_label("Code").fill("000000")
    submit_invalid(page, "Continue")
    yield "with errors"


@case("register-search")
def _(w, page):
    entry = make_entry(name="Jane Smith")
    make_entry(name="Janet Smithson", level=2, region="wales_south")
    make_entry(name="Jan Smits", status=RegisterEntry.Status.SUSPENDED, restriction="Supervised.")
    yield from tour(
        page,
        [
            ("/register/", "empty form"),
            ("/register/?q=smi", "with results"),
            ("/register/?q=Featherstonehaugh", "no results"),
            (f"/register/?q={entry.registration_number}", "by registration number"),
        ],
    )


@case("register-entry")
def _(w, page):
    active = make_entry(name="Jane Smith")
    suspended = make_entry(
        name="Jan Smits",
        status=RegisterEntry.Status.SUSPENDED,
        restriction="Must practise under supervision.",
    )
    lapsed = make_entry(name="Lara Lapsed", status=RegisterEntry.Status.LAPSED)
    yield from tour(
        page,
        [
            (f"/register/{active.registration_number}/", "registered"),
            (f"/register/{suspended.registration_number}/", "with a restriction"),
            (f"/register/{lapsed.registration_number}/", "not registered"),
        ],
    )


@case("verify")
def _(w, page):
    active = make_entry(name="Jane Smith")
    suspended = make_entry(
        name="Jan Smits", status=RegisterEntry.Status.SUSPENDED, restriction="Supervised."
    )
    lapsed = make_entry(name="Lara Lapsed", status=RegisterEntry.Status.LAPSED)
    yield from tour(
        page,
        [
            ("/register/verify/", "empty form"),
            ("/register/verify/?number=", "form with errors"),
            (f"/register/verify/{active.registration_number}/", "registered"),
            (f"/register/verify/{suspended.registration_number}/", "restricted"),
            (f"/register/verify/{lapsed.registration_number}/", "not registered"),
            (f"/register/verify/{number_for_application(98765)}/", "unknown number"),
            ("/register/verify/IMH-NOT-A-NUMBER/", "invalid number"),
        ],
    )


@case("verify-credential")
def _(w, page):
    from credentials import services as credential_services

    entry = w.decided(w.person(), "approve", "approve").register_entry
    issued = credential_services.credential_for_entry(entry=entry, practitioner=entry.practitioner)
    token = credential_services.credential_jwt(issued)
    page.goto("/register/verify/credential/")
    yield "empty form"
    submit_invalid(page, "Check the credential")
    yield "form with errors"
    page.get_by_label("Paste the credential").fill(token)
    page.get_by_role("button", name="Check the credential").click()
    yield "genuine and current"
    entries.entry_suspend(entry=entry, admin=w.admin(), restriction="Supervised.", reason="Concern")
    page.get_by_label("Paste the credential").fill(token)
    page.get_by_role("button", name="Check the credential").click()
    yield "revoked"
    page.get_by_label("Paste the credential").fill("not a credential")
    page.get_by_role("button", name="Check the credential").click()
    yield "unreadable"


@case("my-data")
def _(w, page):
    w.signed_in(page)
    page.goto("/account/my-data/")
    yield "nothing asked yet"
    submit_invalid(page, "Close my account")
    yield "close without ticking the box"
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Close my account").click()
    yield "closing, with a way to keep the account"


@case("staff-data-requests")
def _(w, page):
    from privacy import services as privacy_services

    admin = w.admin()
    person = w.person()
    privacy_services.export_request(
        subject=person, requested_by=admin, channel="post", reference="Letter of 1 December"
    )
    w.sign_in(page, admin)
    page.goto("/staff/data-requests/")
    yield "one postal request"
    submit_invalid(page, "Enter the request")
    yield "form with errors"


@case("403")
def _(w, page):
    serve_template(page, w, "403.html", 403, "/__a11y__/403/")
    yield "forbidden"


@case("500")
def _(w, page):
    serve_template(page, w, "500.html", 500, "/__a11y__/500/")
    yield "server error"


# Account pages.


@case("account-password-change")
def _(w, page):
    w.signed_in(page)
    page.goto("/accounts/password/change/")
    yield "empty"
    page.locator("input[name=oldpassword]").fill("wrong")
    submit_invalid(page, "Change password")
    yield "with errors"


@case("reauthenticate")
def _(w, page):
    w.signed_in(page)
    page.goto("/accounts/2fa/totp/activate/")
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    yield "empty"
    page.locator("input[name=password]").fill("not-the-password")
    submit_invalid(page, "Confirm")
    yield "with errors"


@case("mfa-totp-activate")
def _(w, page):
    w.signed_in(page)
    page.goto("/accounts/2fa/totp/activate/")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    yield "empty"
    page.locator("input[name=code]").fill("123")
    submit_invalid(page, "Turn on")
    yield "with errors"


def _confirm_password(page, path: str) -> None:
    page.goto(path)
    if "/reauthenticate/" in page.url:
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(re.compile(re.escape(path)))


@case("mfa-recovery-codes-generate")
def _(w, page):
    w.sign_in(page, w.reviewer())
    _confirm_password(page, "/accounts/2fa/recovery-codes/generate/")
    yield "asked to confirm"


@case("mfa-totp-deactivate")
def _(w, page):
    w.sign_in(page, w.reviewer())
    _confirm_password(page, "/accounts/2fa/totp/deactivate/")
    yield "asked to confirm"


@case("mfa-webauthn")
def _(w, page):
    w.signed_in(page)
    _confirm_password(page, "/accounts/2fa/webauthn/")
    yield "no keys"
    page.goto("/accounts/2fa/webauthn/add/")
    yield "adding a key"


# Self-assessment.


@case("profile")
def _(w, page):
    user = w.signed_in(page)
    page.goto("/assessment/")
    page.wait_for_url(re.compile(r"/assessment/profile/"))
    yield "new practitioner"
    submit_invalid(page, "Save and continue")
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    yield "with errors"
    make_profile(user)
    page.goto("/assessment/profile/")
    yield "filled"


@case("grid")
def _(w, page):
    user = w.person()
    w.started(user)
    w.sign_in(page, user)
    page.goto("/assessment/domains/1/")
    yield "empty"
    cell = page.locator(f"#s-{w.statement('1.01', 1).pk}")
    cell.get_by_text("Achieved", exact=True).click()
    expect(cell.locator(".save-state")).to_contain_text("Saved")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    yield "just autosaved"
    page.locator(".gloss-term").first.focus()
    expect(page.locator(".gloss:focus-within .gloss-tip").first).to_be_visible()
    yield "glossary tooltip open"
    page.locator(".gloss-term").first.click()
    expect(page.locator(".gloss.is-open .gloss-tip").first).to_be_visible()
    yield "glossary term opened by a tap"
    page.goto("/assessment/domains/1/?levels=all")
    yield "all three levels shown"
    filled = w.person("Fiona Filled", "fiona@example.org")
    w.filled(filled)
    w.sign_in(page, filled)
    page.goto("/assessment/domains/1/")
    yield "filled, with evidence"


@case("goal-form")
def _(w, page):
    user = w.person()
    w.filled(user)
    w.sign_in(page, user)
    page.goto("/assessment/plan/goals/new/")
    yield "new"
    submit_invalid(page, "Add to my plan")
    yield "with errors"
    page.goto(f"/assessment/plan/goals/{Goal.objects.get(user=user).pk}/")
    yield "editing"


# Evidence and CPD.


@case("evidence-new")
def _(w, page):
    w.signed_in(page)
    page.goto("/evidence/new/")
    yield "empty"
    page.get_by_label("Clinical work experience").check()
    page.locator("input[name=hours]").fill("-3")
    submit_invalid(page, "Save evidence")
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    yield "with errors"


@case("evidence-item")
def _(w, page):
    user = w.person()
    item = w.filled(user)
    w.sign_in(page, user)
    page.goto(f"/evidence/{item.pk}/")
    yield "with statements and a file"
    submit_invalid(page, "Upload")
    expect(page.locator("#files .invalid-feedback, #files .alert-danger").first).to_be_visible()
    yield "upload with errors"
    # A file chosen and about to go. The page has no progress display of its own: once
    # sent, the browser shows the upload's progress, and Chromium runs no script in a page
    # whose form submission is under way, so this is the last state axe can see.
    path = w.tmp_path / "reflection-diagram.png"
    Image.new("RGB", (40, 30), "white").save(path)
    page.get_by_label("Add files").set_input_files(path)
    page.get_by_role("button", name="Upload").focus()
    yield "file chosen, about to upload"
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"#files$"))
    expect(page.locator(".messages")).to_contain_text("1 file added.")
    expect(page.locator("#files table.file-table tbody tr")).to_have_count(2)
    yield "after an upload"


@case("statement-picker")
def _(w, page):
    user = w.person()
    item = w.filled(user)
    w.sign_in(page, user)
    page.goto(f"/evidence/{item.pk}/statements/")
    yield "all statements"
    page.locator("[data-picker-search] input[name=q]").fill("attunement")
    expect(page.locator("#picker-count")).not_to_be_empty()
    yield "filtered"


@case("attach")
def _(w, page):
    user = w.person()
    w.started(user)
    w.sign_in(page, user)
    page.goto(f"/evidence/attach/{w.statement('1.01', 1).pk}/")
    yield "no evidence yet"
    filled = w.person("Fiona Filled", "fiona@example.org")
    w.filled(filled)
    w.sign_in(page, filled)
    page.goto(f"/evidence/attach/{w.statement('2.01', 2).pk}/")
    yield "with evidence to choose"
    submit_invalid(page, "Save and attach")
    yield "with errors"


@case("document")
def _(w, page):
    """The CPD record asked for: no worker runs, so the progress page keeps waiting."""
    user = w.person()
    w.filled(user)
    w.sign_in(page, user)
    page.goto("/evidence/cpd/")
    page.get_by_role("button", name="Download my CPD record").click()
    page.wait_for_url(re.compile(r"/evidence/documents/\d+/$"))
    expect(page.locator("#document-status")).to_contain_text("Waiting to start")
    assert DocumentJob.objects.get(owner=user).status == DocumentJob.Status.PENDING
    yield "job pending"
    failed = DocumentJob.objects.create(
        owner=user,
        kind=DocumentJob.Kind.CERTIFICATE,
        params={},
        status=DocumentJob.Status.FAILED,
        attempts=3,
        error_message="The PDF could not be made.",
        finished_at=timezone.now(),
    )
    page.goto(f"/evidence/documents/{failed.pk}/")
    yield "failed"
    ready = DocumentJob.objects.create(
        owner=user,
        kind=DocumentJob.Kind.CPD_RECORD,
        params={"period": "ready"},
        status=DocumentJob.Status.DONE,
        size=2048,
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    ready.file.save("record.pdf", ContentFile(b"%PDF-1.4"), save=True)
    page.goto(f"/evidence/documents/{ready.pk}/")
    yield "ready"


# Applying, and the practitioner's side of an application.


@case("apply-check")
def _(w, page):
    user = w.person()
    make_ready_applicant(user, w.version, level=1)
    w.sign_in(page, user)
    page.goto("/register/apply/1/check/")
    yield "empty"
    submit_invalid(page, "Submit application")
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    yield "with errors"


@case("appeal")
def _(w, page):
    user = w.person()
    application = w.decided(user, "reject", "reject")
    w.sign_in(page, user)
    page.goto(f"/register/applications/{application.pk}/appeal/")
    yield "empty"
    page.locator("main textarea").first.fill("Too short")
    submit_invalid(page, "Send appeal")
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    yield "with errors"


@case("renew")
def _(w, page):
    user = w.person()
    application = w.decided(user, "approve", "approve")
    RegisterEntry.objects.filter(application=application).update(
        valid_until=timezone.localdate() + timedelta(days=30)
    )
    w.sign_in(page, user)
    page.goto(f"/register/entries/{application.register_entry.pk}/renew/")
    yield "open for renewal"
    submit_invalid(page, re.compile(r"^(Renew my recognition|Send my renewal to a reviewer)$"))
    yield "with errors"


# Reviewers.


@case("review-page")
def _(w, page):
    application = w.submitted(w.person())
    assignment = reviewing.application_claim(application=application, reviewer=w.reviewer())
    dossier = list(application.dossier_statements.filter(round=application.round)[1:3])
    reviewing.statement_review_save(
        assignment=assignment, dossier_statement=dossier[0], met=True, comment=""
    )
    reviewing.statement_review_save(
        assignment=assignment,
        dossier_statement=dossier[1],
        met=False,
        comment="Describe how you used this with a family.",
    )
    w.sign_in(page, w.reviewer())
    page.goto(f"/review/{application.pk}/")
    article = page.locator("article.dossier-statement").first
    article.get_by_label("Met", exact=True).check()  # saves on the choice
    expect(article.locator(".statement-review-form")).to_contain_text("Saved: met")
    expect(page.locator("#save-status")).not_to_be_empty()
    yield "in progress, a verdict just saved"
    following = page.locator("article.dossier-statement").nth(3)
    following.get_by_label("Not met", exact=True).check()
    expect(following.locator(".statement-review-form")).to_contain_text("Say why")
    yield "not met, asking for its comment"
    page.locator("details.bulk-met summary").first.click()
    yield "all remaining in a domain, asking to confirm"
    submit_invalid(page, "Send my recommendation")
    yield "recommendation with errors"
    decided = w.decided(w.person("Dan Decided", "dan@example.org"), "changes", "changes")
    page.goto(f"/review/{decided.pk}/")
    yield "decided, verdicts revealed"


@case("renewal-review")
def _(w, page):
    user = w.person()
    application = w.decided(user, "approve", "approve")
    EvidenceItem.objects.filter(owner=user).update(
        start_date=timezone.localdate() - timedelta(days=400)
    )
    entry = application.register_entry
    RegisterEntry.objects.filter(pk=entry.pk).update(
        valid_until=timezone.localdate() + timedelta(days=30)
    )
    entry.refresh_from_db()
    renewal = renewals.renewal_submit(
        entry=entry,
        practitioner=user,
        declarations={"declared_accuracy": True, "declared_conduct": True},
        explanation="I was on maternity leave for most of the year.",
    )
    w.sign_in(page, w.reviewer(2))
    page.goto(f"/review/renewals/{renewal.pk}/")
    yield "below the CPD requirement"


def _audited_entry(w, *, sent: bool, reviewer=None):
    """An entry whose second renewal was chosen for a CPD audit (the record sent, if said)."""
    from register.models import Renewal
    from register.services import cpd_audits

    user = w.person()
    entry = w.decided(user, "approve", "approve").register_entry
    audit = audit_drawn(renewal_made(entry, status=Renewal.Status.AUDIT), draw=42)
    if sent:
        audit = cpd_audits.cpd_audit_submit(
            audit=audit, practitioner=user, statement="Certificates are attached."
        )
    if reviewer is not None:
        audit = cpd_audits.cpd_audit_claim(audit=audit, reviewer=reviewer)
    return user, audit


@case("cpd-audit")
def _(w, page):
    user, audit = _audited_entry(w, sent=False)
    w.sign_in(page, user)
    page.goto(f"/register/audits/{audit.pk}/")
    yield "asked for the CPD record"
    submit_invalid(page, "Send my CPD record")
    yield "sent without confirming"
    page.get_by_label(re.compile(r"The activities listed are a true record")).check()
    page.get_by_role("button", name="Send my CPD record").click()
    yield "record sent"


@case("cpd-audit-review")
def _(w, page):
    _user, audit = _audited_entry(w, sent=True)
    w.sign_in(page, w.reviewer(1))
    page.goto(f"/review/audits/{audit.pk}/")
    yield "record sent, not taken"
    page.get_by_role("button", name="Take this audit").click()
    yield "taken, with the decision form"
    submit_invalid(page, "Record the decision")
    yield "decision with errors"


@case("my-concern")
def _(w, page):

    user = w.person()
    entry = w.decided(user, "approve", "approve").register_entry
    admin = w.admin()
    concern = concern_taken_forward(entry, admin)
    w.sign_in(page, user)
    page.goto(f"/register/my-concerns/{concern.pk}/")
    yield "invited to respond"
    submit_invalid(page, "Send my response")
    yield "response with errors"


@case("concern-start")
def _(w, page):
    page.goto("/register/concerns/")
    yield "empty"
    submit_invalid(page, "Send my concern")
    yield "with errors"


@case("bulk-check")
def _(w, page):
    w.sign_in(page, w.admin())
    page.goto("/register/check/")
    yield "for staff"
    submit_invalid(page, "Check and download the results")
    yield "with errors"
    w.signed_in(page, "Nell Notemployer", "nell@example.org")
    page.goto("/register/check/")
    yield "not an employer"


# Staff.


@case("staff-application")
def _(w, page):
    admin = w.admin()
    application = w.decided(w.person(), "approve", "changes")
    w.sign_in(page, admin)
    page.goto(f"/staff/applications/{application.pk}/")
    expect(page.get_by_text("Audit trail").first).to_be_visible()
    yield "reviewers disagree, with audit trail"
    submit_invalid(page, "Record the decision")
    yield "moderation with errors"
    user = w.person("Amir Appellant", "amir@example.org")
    appealed = w.decided(user, "reject", "reject")
    applying.application_appeal(
        application=appealed,
        applicant=user,
        statement="The reviewers did not read the supervision report I attached.",
    )
    page.goto(f"/staff/applications/{appealed.pk}/")
    yield "appeal to decide"


# What makes the page wider than the window, if anything: the elements that stick out.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .filter(el => !el.closest('.table-responsive, .visually-hidden, .visually-hidden-focusable'))
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + [...el.classList].map(c => '.' + c).join('')
      + ` right=${Math.round(el.getBoundingClientRect().right)}`);
}"""
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}


def scan_states(name: str, states, page) -> None:
    """Every state ``states`` brings ``page`` to passes axe-core, and reflows at 320px
    (WCAG 1.4.10). Other modules' cases (the training pages) are scanned the same way."""
    failures, seen = [], []
    for state in states:
        seen.append(state)
        found = violations(page)
        if found:
            failures.append(f"--- {name}, {state} ({page.url}):\n{describe(found)}")
        # Reflow: at 320 CSS pixels wide, as at 400% zoom, nothing scrolls sideways.
        page.set_viewport_size(PHONE)
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            failures.append(f"--- {name}, {state}: scrolls sideways at 320px: {overflow}")
        page.set_viewport_size(DESKTOP)
    assert seen, f"{name} scanned nothing"
    assert not failures, "\n".join(failures)
    assert page.problems == []


test_page_has_no_wcag_violations = CASES.test()


# --- Keyboard only, with visible focus ---------------------------------------------------------


def tab_to(page, wanted, *, what: str, limit: int = 200) -> dict:
    """Press Tab until ``wanted(focused)``; every element on the way must show its focus."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = assert_focus_visible(page)
        if wanted(focused):
            return focused
        passed.append(f"{focused['tag']} {focused['field'] or focused['name']}")
    raise AssertionError(f"Tab never reached {what}; the last stops were {passed[-8:]}")


def field(name: str):
    return lambda f: f["field"] == name


def named(tag: str, name: str | re.Pattern):
    def wanted(f):
        if f["tag"] != tag:
            return False
        return bool(name.search(f["name"])) if isinstance(name, re.Pattern) else f["name"] == name

    return wanted


def type_into(page, name: str, text: str) -> None:
    tab_to(page, field(name), what=f"the {name} field")
    page.keyboard.type(text)


def press_on_focused(page, key: str) -> dict:
    focused = assert_focus_visible(page)
    page.keyboard.press(key)
    return focused


def test_sign_up_with_the_keyboard(a11y_page, quiet_queues):
    page = a11y_page
    page.goto("/accounts/signup/")
    skip = tab_to(page, lambda f: True, what="the first stop")
    assert skip["name"] == "Skip to main content"
    type_into(page, "full_name", "Hana Hughes")
    type_into(page, "email", "hana@example.org")
    type_into(page, "password1", "a-long-and-unusual-passphrase-42")
    type_into(page, "password2", "a-long-and-unusual-passphrase-42")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The link from the email, then Confirm with Enter.
    page.goto(verification_path("hana@example.org"))
    tab_to(page, named("button", "Confirm"), what="the Confirm button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.problems == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_rating_shows_focus_on_every_control(world, a11y_page, viewport):
    """The domain is rated by keyboard alone in test_selfassess_journey. Here, on a desktop
    and on a phone, the first competency is rated with the keys that journey uses, then Tab
    goes on to the end of the page: every stop must show where focus is, and none may be
    hidden under the save status that each rating brings up."""
    page = a11y_page
    page.set_viewport_size(viewport)
    user = world.person()
    world.started(user)
    world.sign_in(page, user)
    page.goto("/assessment/domains/1/?levels=all")  # every level, not only up to the target
    for level in (1, 2, 3):
        statement = world.statement("1.01", level)
        tab_to(
            page,
            lambda f, pk=statement.pk: (
                f["field"] == "value"
                and page.evaluate("id => document.activeElement.closest('#s-' + id) !== null", pk)
            ),
            what=f"the rating of 1.01 level {level}",
        )
        for key in PRESSES[level]:
            press_on_focused(page, key)
    page.wait_for_function(
        """() => document.querySelectorAll('.rating-form.htmx-request').length === 0
             && [...document.querySelectorAll('.save-state')]
                  .filter(el => el.textContent.includes('Saved')).length >= 3""",
    )
    expect(page.locator("#save-status")).to_contain_text("Saved")
    assert_focus_visible(page)
    tab_to(page, named("a", "CSV"), what="the last link on the page", limit=400)
    values = dict(
        Rating.objects.filter(
            assessment__user=user, statement__competency__code="1.01"
        ).values_list("statement__level", "value")
    )
    assert values == EXPECTED
    assert page.problems == []


def test_attach_evidence_from_the_grid_with_the_keyboard(world, a11y_page):
    page = a11y_page
    user = world.person()
    world.started(user)
    world.sign_in(page, user)
    statement = world.statement("1.01", 1)
    page.goto("/assessment/domains/1/")

    tab_to(page, named("a", "attach evidence"), what="the first statement's evidence link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Evidence for 1.01, level 1")).to_be_visible()

    kind = tab_to(page, field("kind"), what="the kind of evidence")
    assert kind["name"] == "Training or course"
    press_on_focused(page, "Space")
    assert focus_indicator(page)["checked"]
    type_into(page, "title", "Attachment workshop")
    # The date field's order of day and month follows the browser's language; a date whose
    # day and month are the same number reads the same either way.
    today = timezone.localdate()
    attended = max(d for m in range(1, 13) if (d := date(today.year, m, m)) <= today)
    type_into(page, "start_date", attended.strftime("%d%m%Y"))
    assert page.locator("input[name=start_date]").input_value() == attended.isoformat()
    type_into(page, "hours", "6")
    type_into(page, "provider", "Northshire Infant Mental Health Network")
    type_into(page, "description", "Two days on attachment and attunement.")
    tab_to(page, named("button", "Save and attach"), what="Save and attach")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/assessment/domains/1/(#s-\d+)?$"))
    expect(page.locator(".messages")).to_contain_text(
        "Your evidence “Attachment workshop” is saved."
    )
    expect(page.locator(f"#ev-{statement.pk}")).to_contain_text("1 item")
    assert EvidenceLink.objects.filter(item__owner=user, statement=statement).count() == 1
    assert page.problems == []


def test_apply_with_the_keyboard(world, a11y_page):
    page = a11y_page
    user = world.person()
    make_ready_applicant(user, world.version, level=1)
    world.sign_in(page, user)
    page.goto("/register/apply/")

    tab_to(page, named("a", "Continue to check your answers"), what="the way on")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your answers before applying")).to_be_visible()

    for name in DECLARED:
        tab_to(page, field(name), what=f"the declaration {name}")
        press_on_focused(page, "Space")
        assert focus_indicator(page)["checked"], name
    tab_to(page, named("button", "Submit application"), what="Submit application")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("Your application for Level 1 is submitted.")
    assert Application.objects.get(applicant=user).status == Application.Status.SUBMITTED
    assert page.problems == []


def test_review_with_the_keyboard(world, a11y_page):
    page = a11y_page
    application = world.submitted(world.person())
    reviewer = world.reviewer()
    world.sign_in(page, reviewer)
    page.goto("/review/")

    tab_to(page, named("button", re.compile(r"^Claim")), what="the Claim button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("You have claimed application")

    articles = page.locator("article.dossier-statement")
    first, second = (articles.nth(i).get_attribute("id") for i in (0, 1))

    # Met for the first statement: Tab into its verdict and Space; the choice saves itself.
    met = tab_to(
        page, lambda f: f["article"] == first and f["type"] == "radio", what="the first verdict"
    )
    assert met["name"] == "Met"
    press_on_focused(page, "Space")
    expect(page.locator(f"#{first} .statement-review-form")).to_contain_text("Saved: met")
    assert_focus_visible(page)

    # Not met for the second: the arrow key moves to "Not met", and the comment it
    # needs is asked for in place, with focus moved into it; leaving it saves.
    tab_to(page, lambda f: f["article"] == second and f["type"] == "radio", what="the next verdict")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#{second} textarea")).to_be_focused()
    expect(page.locator(f"#{second} .statement-review-form")).to_contain_text("Say why")
    assert_focus_visible(page)
    page.keyboard.type("Say how.")
    page.keyboard.press("Tab")
    expect(page.locator(f"#{second} .statement-review-form")).to_contain_text("Saved: not met")
    expect(page.locator("#save-status")).not_to_be_empty()
    assert_focus_visible(page)

    verdicts = sorted(
        application.assignments.get(reviewer=reviewer).statement_reviews.values_list(
            "met", flat=True
        )
    )
    assert verdicts == [False, True]
    assert page.problems == []


def test_form_errors_are_recovered_with_the_keyboard(world, a11y_page):
    """After a refused form, focus starts on the list of problems, each problem leads to its
    field, and what was typed is still there."""
    page = a11y_page
    world.sign_in(page, world.person())
    page.goto("/evidence/new/")
    page.get_by_label("Clinical work experience").check()
    page.locator("input[name=title]").fill("Home visit with a father and his baby")
    page.locator("input[name=hours]").fill("-3")
    submit_invalid(page, "Save evidence")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    first = tab_to(page, lambda f: f["tag"] == "a", what="the first problem")
    target = page.locator(".error-summary a").first.get_attribute("href").lstrip("#")
    assert ":" in first["name"], first  # "Label: what is wrong"
    press_on_focused(page, "Enter")
    focused = assert_focus_visible(page)
    assert focused["id"] == target
    assert page.locator(f"#{target}").get_attribute("aria-invalid") == "true"
    assert (
        page.locator("input[name=title]").input_value() == "Home visit with a father and his baby"
    )
    assert page.locator("input[name=kind]:checked").get_attribute("value") == "clinical"
    assert page.problems == []


# --- What assistive technology is given ------------------------------------------------------


def test_glossary_tooltip_and_autosave_status_in_the_accessibility_tree(world, a11y_page):
    """A glossary term's definition is its link's accessible description, the tooltip shows
    on focus and Escape hides it without moving focus; a saved rating is announced in a
    polite status region. Screenshots at 320px wide are kept for reading by eye."""
    from imhcf.models import GlossaryTerm

    page = a11y_page
    user = world.person()
    world.started(user)
    world.sign_in(page, user)
    page.goto("/assessment/domains/1/")

    term = page.locator(".gloss-term").first
    tip = page.locator(f"#{term.get_attribute('aria-describedby')}")
    slug = term.get_attribute("href").rsplit("#term-", 1)[1]
    definition = GlossaryTerm.objects.get(version=world.version, slug=slug).definition
    expect(term).to_have_accessible_description(re.compile(re.escape(definition[:40])))
    expect(tip).to_have_attribute("role", "tooltip")
    expect(tip).to_be_hidden()
    term.focus()
    expect(tip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    assert page.evaluate("document.activeElement.classList.contains('gloss-term')")

    status = page.locator("#save-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    cell = page.locator(f"#s-{world.statement('1.01', 1).pk}")
    cell.get_by_text("Achieved", exact=True).click()
    expect(status).to_contain_text("Saved")
    snapshot = status.aria_snapshot()
    assert snapshot.startswith("- status:") and "Saved" in snapshot, snapshot

    page.set_viewport_size({"width": 320, "height": 640})
    page.screenshot(path="/tmp/a11y-320-grid.png", full_page=False)
    assert page.problems == []


def test_pdfs_are_tagged(world, tmp_path):
    """The CPD record and the certificate are tagged PDFs with a title (PDF/UA-1)."""
    from evidence.cpd import cpd_params
    from evidence.documents import renderer_for

    user = world.person()
    application = world.decided(user, "approve", "approve")
    today = timezone.localdate()
    for kind, params in (
        (DocumentJob.Kind.CPD_RECORD, cpd_params(today - timedelta(days=365), today)),
        (DocumentJob.Kind.CERTIFICATE, {"entry_id": application.register_entry.pk}),
    ):
        job = DocumentJob.objects.create(owner=user, kind=kind, params=params)
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(renderer_for(kind)(job))
        info = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info
        assert re.search(r"^Title:\s+\S", info, re.M), info
