"""A course's whole life, end to end in Chromium.

A training provider's tutor (signing in with a TOTP code) adds a course, a
session that has just happened and a mapping to six statements, and publishes
it. An administrator reviews the mapping and accepts it. A practitioner finds
the course from a gap on her self-assessment overview, through the catalogue.
The tutor confirms attendance for her and four colleagues by listing their
email addresses. She adds the course to her evidence in two clicks from her
courses page, with its statements linked and the provider's confirmation on
it, and agrees to share her ratings' movement. She applies, and a reviewer
sees "Attendance confirmed" in her frozen dossier. After the five attendees
complete new self-assessments and the hourly task has counted them, the tutor
reads the before-and-after summary.

Each main page is also photographed at 1280 and 390 pixels wide.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Consent
from evidence.models import EvidenceItem
from register.services import applying, reviewing
from selfassess import services as selfassess_services
from selfassess.models import Assessment, Rating
from tests.browser.conftest import sign_in
from tests.factories import UserFactory, build_framework
from tests.register.helpers import DECLARED, make_profile, make_ready_applicant
from tests.training.helpers import make_provider, make_staff
from training.models import Attendance, Course
from training.tasks import training_hourly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/training-shots")
MAPPED = [("1.01", 1), ("2.01", 1), ("3.01", 1), ("1.01", 2), ("2.01", 2), ("3.01", 2)]
TITLE = "Attunement and the first year"


def shoot(page, name: str) -> None:
    """The page as it is, 1280 pixels wide and then 390 (a phone), full length."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 390, f"{name} scrolls sideways at 390 px ({width})"


def _snapshot_before(user, when) -> None:
    """The user's assessment in progress, completed as a snapshot dated ``when``."""
    assessment = Assessment.objects.get(user=user, status=Assessment.Status.IN_PROGRESS)
    done = selfassess_services.assessment_complete(assessment=assessment, target_level=2)
    Assessment.objects.filter(pk=done.pk).update(completed_at=when)


def _colleague(version, n: int, before):
    """An attendee with a snapshot from before the course, rating 1.01 Level 2 working towards."""
    user = UserFactory(email=f"colleague{n}@example.org")
    make_profile(user)
    selfassess_services.assessment_start(user=user)
    Rating.objects.filter(
        assessment__user=user, statement__competency__code="1.01", statement__level=2
    ).update(value=Rating.Value.WORKING_TOWARDS)
    _snapshot_before(user, before)
    return user


def test_publish_review_find_attend_evidence_dossier_and_effectiveness(
    open_browser, practitioner, reviewer, admin_user, private_storage
):
    version = build_framework(domains=7, competencies_per_domain=2)
    today = timezone.localdate()
    session_day = today - timedelta(days=10)
    before = timezone.now() - timedelta(days=30)

    provider = make_provider("Northern Infant Mental Health Training")
    tutor = make_staff(provider, "tutor@northern-imh.example.org")
    # Priya: every Level 1 statement achieved and evidenced, aiming for Level 2,
    # with a snapshot from before the course.
    make_ready_applicant(practitioner, version, level=1)
    profile = practitioner.practitioner_profile
    profile.target_level = 2
    profile.save()
    _snapshot_before(practitioner, before)
    colleagues = [_colleague(version, n, before) for n in range(1, 5)]

    # 1. The tutor adds a course, a session and a mapping to six statements, and publishes it.
    tina = open_browser()
    sign_in(tina, tutor.email, totp_secret=tutor.totp_secret)
    tina.get_by_role("link", name="Courses", exact=True).click()
    tina.get_by_role("link", name="Your organisation's courses").click()
    tina.get_by_role("link", name="Add a course").click()
    tina.get_by_label("Title").fill(TITLE)
    tina.get_by_label("Summary").fill("Two days on how babies and parents tune in to each other.")
    tina.get_by_label("Blended").check()
    tina.get_by_label("Hours of learning").fill("12")
    tina.get_by_role("button", name="Save the course").click()
    expect(tina.locator(".messages")).to_contain_text("Course saved")
    course = Course.objects.get(title=TITLE)

    tina.get_by_role("link", name="Add a session").click()
    tina.get_by_label("First day").fill(session_day.isoformat())
    tina.get_by_label("Place").fill("Town Hall, Preston")
    tina.get_by_label("Region").select_option("north_west")
    tina.get_by_role("button", name="Save the session").click()
    expect(tina.locator(".messages")).to_contain_text("Session added")

    tina.get_by_role("link", name="Map the course").click()
    closed = tina.locator("details:not([open]) > summary")
    while closed.count():
        closed.first.click()
    for code, level in MAPPED:
        tina.get_by_label(re.compile(rf"^{re.escape(code)} Level {level}:")).check()
        tina.get_by_label(f"How the course covers {code} Level {level}").fill(
            f"Case studies and role play on {code} at Level {level}."
        )
    shoot(tina, "1-mapping")
    tina.get_by_role("button", name="Save the mapping").click()
    expect(tina.locator(".messages")).to_contain_text("Mapping saved")
    tina.get_by_role("button", name="Publish and send for review").click()
    expect(tina.locator(".course-status")).to_have_text("Waiting for review")
    shoot(tina, "2-provider-course")

    # 2. An administrator reviews the mapping and accepts it.
    ada = open_browser()
    sign_in(ada, admin_user.email, totp_secret=admin_user.totp_secret)
    ada.get_by_role("link", name="Course reviews").click()
    ada.get_by_role("link", name=TITLE).click()
    expect(ada.locator(".mapping-table tbody tr")).to_have_count(6)
    ada.get_by_label("Accept the mapping").check()
    ada.get_by_label("Comment for the provider").fill("Notes match the programme.")
    shoot(ada, "3-staff-review")
    ada.get_by_role("button", name="Record the decision").click()
    expect(ada.locator(".messages")).to_contain_text("Your decision on")
    course.refresh_from_db()
    assert course.status == Course.Status.REVIEWED
    assert list(course.events.values_list("action", flat=True)) == [
        "edit_mapping",
        "publish",
        "accept",
    ]

    # 3. Priya finds the course from a gap on her overview.
    priya = open_browser()
    sign_in(priya, practitioner.email)
    priya.get_by_role("link", name="My assessment").click()
    gaps = priya.get_by_role("region", name="Gaps")
    gaps.locator("summary", has_text="1. Domain 1").click()
    hint = gaps.get_by_role("link", name="1 course covers this gap (1.01 Level 2)")
    expect(hint).to_be_visible()
    shoot(priya, "4-overview-gap")
    hint.click()
    expect(priya.get_by_label("Statement code")).to_have_value("1.01/L2")
    expect(priya.locator(".course-card")).to_have_count(1)
    shoot(priya, "5-catalogue")
    priya.get_by_role("link", name=TITLE).click()
    expect(priya.get_by_text("Mapping reviewed", exact=True)).to_be_visible()
    expect(priya.locator(".course-map .statement-code")).to_have_count(6)
    shoot(priya, "6-course-page")

    # 4. The tutor confirms attendance by listing the attendees' addresses.
    tina.get_by_role("link", name=re.compile(r"^Attendance")).click()
    tina.get_by_label("Attendees' email addresses").fill(
        "\n".join([practitioner.email.upper(), *(c.email for c in colleagues)])
    )
    tina.get_by_role("button", name="Confirm attendance").click()
    expect(tina.locator(".messages")).to_contain_text("Attendance confirmed for 5 people.")
    expect(tina.locator(".attendance-table tbody tr")).to_have_count(5)
    shoot(tina, "7-attendance")

    # 5. Priya makes the course evidence in two clicks from her courses, and agrees to share.
    priya.get_by_role("link", name=re.compile(r"^Attended it\?")).click()
    shoot(priya, "8-my-courses")
    priya.get_by_role("link", name=re.compile(r"^Add to my evidence")).click()  # one
    for code, level in MAPPED:
        expect(
            priya.get_by_role("checkbox", name=re.compile(rf"^{re.escape(code)} L{level}:"))
        ).to_be_checked()
    shoot(priya, "9-evidence-form")
    priya.get_by_role("button", name="Save to my evidence").click()  # two
    expect(priya.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(priya.locator(".attendance-confirmed")).to_contain_text("Attendance confirmed")
    expect(priya.locator(".linked-statements > li")).to_have_count(6)
    shoot(priya, "10-evidence-item")
    item = EvidenceItem.objects.get(owner=practitioner, title=TITLE)
    assert (item.hours, item.start_date, item.provider) == (12, session_day, provider.name)

    priya.goto("/courses/mine/")
    priya.get_by_role("button", name=re.compile(r"^I agree")).click()
    expect(priya.locator(".messages")).to_contain_text("Thank you")

    # 6. Priya applies; a reviewer sees the provider's confirmation in the dossier.
    application = applying.application_submit(
        applicant=practitioner, level=1, declarations=DECLARED
    )
    reviewing.application_claim(application=application, reviewer=reviewer)
    rosa = open_browser()
    sign_in(rosa, reviewer.email, totp_secret=reviewer.totp_secret)
    rosa.goto(f"/review/{application.pk}/")
    confirmed = rosa.locator(".dossier-evidence", has_text=TITLE).first
    expect(confirmed.locator(".attendance-confirmed")).to_contain_text(
        f"Attendance confirmed by the provider, {provider.name}"
    )

    # 7. The five complete new self-assessments; the hourly count runs; the tutor reads it.
    for colleague in colleagues:
        attendance = Attendance.objects.get(email=colleague.email)
        from training import services

        services.effectiveness_consent_set(attendance=attendance, user=colleague, agree=True)
        Rating.objects.filter(
            assessment__user=colleague,
            assessment__status=Assessment.Status.IN_PROGRESS,
            statement__competency__code="1.01",
            statement__level=2,
        ).update(value=Rating.Value.ACHIEVED)
        current = Assessment.objects.get(user=colleague, status=Assessment.Status.IN_PROGRESS)
        selfassess_services.assessment_complete(assessment=current, target_level=2)
    assert Consent.objects.filter(purpose="course_effectiveness", withdrawn_at=None).count() == 5
    priya.get_by_role("link", name="My assessment").click()
    priya.get_by_role("link", name="Complete this self-assessment").click()
    priya.get_by_role("button", name="Complete and keep a snapshot").click()
    expect(priya.locator(".messages")).to_contain_text("Completed.")
    training_hourly()

    tina.goto(f"/provider/courses/{course.pk}/")
    tina.get_by_role("link", name="Before-and-after summary and feedback").click()
    expect(tina.get_by_text("5 people compared.")).to_be_visible()
    row = tina.locator(".effect-table tbody tr", has_text="1.01/L2")
    # People, achieved before, achieved after, moved up, moved down.
    expect(row.locator("td")).to_have_text(["5", "0", "4", "4", "0"])
    shoot(tina, "11-effectiveness")

    for page in (tina, ada, priya, rosa):
        assert page.problems == [], page.problems
