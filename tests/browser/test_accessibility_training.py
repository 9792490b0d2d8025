"""axe-core scans and 320 px reflow for the training pages, with the checks and the world of
``test_accessibility``: the catalogue, course pages, a practitioner's courses and forms, the
provider's pages and the staff review, each in its empty, filled and error states."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.test_accessibility import Cases, submit_invalid, tour
from tests.browser.test_accessibility import a11y_page as a11y_page
from tests.browser.test_accessibility import quiet_queues as quiet_queues
from tests.browser.test_accessibility import world as world
from tests.training.helpers import make_course, make_provider, make_staff, statements_of
from training import services
from training.models import Attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = Cases()
case = CASES.add


def _course(w, *, reviewed=True, attendees=0):
    provider = make_provider()
    tutor = make_staff(provider, "tutor@northern.example.org")
    course = make_course(
        provider,
        tutor,
        statements_of(w.version, 6),
        reviewed=reviewed,
        starts_on=timezone.localdate() - timedelta(days=5),
    )
    if attendees:
        services.attendance_confirm_emails(
            session=course.sessions.get(),
            user=tutor,
            text="\n".join(f"attendee{n}@example.org" for n in range(attendees)),
        )
    return course, tutor


@case("catalogue")
def _(w, page):
    page.goto("/courses/")
    yield "empty"
    _course(w)
    page.goto("/courses/?q=attunement&level=1")
    yield "results"
    page.goto("/courses/?starts_after=2026-13-45")
    yield "form error"


@case("course page")
def _(w, page):
    course, _tutor = _course(w)
    page.goto(f"/courses/{course.pk}/")
    yield "reviewed"


@case("my courses")
def _(w, page):
    user = w.signed_in(page)
    page.goto("/courses/mine/")
    yield "none yet"
    course, tutor = _course(w)
    services.attendance_confirm_emails(session=course.sessions.get(), user=tutor, text=user.email)
    page.goto("/courses/mine/")
    yield "one confirmed"
    page.locator("#id_code").fill("NOT-A-CODE")
    page.get_by_role("button", name="Confirm my attendance").click()
    yield "wrong code"


@case("course to evidence and feedback")
def _(w, page):
    user = w.signed_in(page)
    course, tutor = _course(w)
    services.attendance_confirm_emails(session=course.sessions.get(), user=tutor, text=user.email)
    attendance = Attendance.objects.get()
    page.goto(f"/courses/attendance/{attendance.pk}/evidence/")
    yield "evidence form"
    page.goto(f"/courses/attendance/{attendance.pk}/feedback/")
    yield "feedback form"
    submit_invalid(page, "Send feedback")
    yield "feedback with errors"


@case("provider pages")
def _(w, page):
    course, tutor = _course(w, reviewed=False, attendees=3)
    w.sign_in(page, tutor)
    yield from tour(
        page,
        [
            ("/provider/", "home"),
            (f"/provider/courses/{course.pk}/", "course"),
            (f"/provider/courses/{course.pk}/mapping/", "mapping form"),
        ],
    )
    page.goto(f"/provider/{course.provider_id}/courses/new/")
    submit_invalid(page, "Save the course")
    yield "new course with errors"
    session = course.sessions.get()
    page.goto(f"/provider/sessions/{session.pk}/attendance/")
    yield "attendance"
    page.get_by_role("button", name="Issue codes").click()
    yield "new codes"
    page.get_by_label("Attendees' email addresses").fill("not an address")
    page.get_by_role("button", name="Confirm attendance").click()
    yield "attendance with an error"
    page.goto(f"/provider/courses/{course.pk}/effectiveness/")
    yield "effectiveness, too few people"


@case("staff review")
def _(w, page):
    course, _tutor = _course(w, reviewed=False)
    w.sign_in(page, w.admin())
    page.goto("/staff/courses/")
    yield "queue"
    page.goto(f"/staff/courses/{course.pk}/")
    yield "review"
    page.get_by_label("Ask the provider for changes").check()
    page.get_by_role("button", name="Record the decision").click()
    yield "review with errors"


test_page_has_no_wcag_violations = CASES.test()
