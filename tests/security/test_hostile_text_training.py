"""Hostile text in the training app's free-text fields: the same four checks as every other
surface (``test_hostile_text``), run here over the fields providers, framework staff and
attendees type into."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.models import EvidenceItem
from tests.security.scenes import logged_in
from tests.security.test_hostile_text import (
    Surface,
    collapse,
    strip,
    test_a_nul_character_is_a_clear_error_and_the_saved_text_stays,  # noqa: F401
    test_markup_controls_and_non_latin_text_are_stored_as_typed_and_shown_as_text,  # noqa: F401
    test_one_character_too_many_is_a_clear_error_and_the_saved_text_stays,  # noqa: F401
    test_the_longest_non_latin_text_allowed_is_kept_whole,  # noqa: F401
)
from tests.training.helpers import make_course, make_provider, make_staff, statements_of
from training import services
from training.models import Attendance, Course, CourseEvent, Feedback

pytestmark = pytest.mark.django_db


def course_scene(request) -> dict:
    version = request.getfixturevalue("version")
    provider = make_provider()
    staff = make_staff(provider)
    statements = statements_of(version, 2)
    course = make_course(
        provider, staff, statements, starts_on=timezone.localdate() - timedelta(days=2)
    )
    practitioner = request.getfixturevalue("practitioner")
    services.attendance_confirm_emails(
        session=course.sessions.get(), user=staff, text=practitioner.email
    )
    return {
        "course": course,
        "session": course.sessions.get(),
        "statement": statements[0],
        "statements": statements,
        "client": logged_in(staff),
        "admin_client": logged_in(request.getfixturevalue("admin_user")),
        "practitioner_client": logged_in(practitioner),
        "attendance": Attendance.objects.get(),
    }


def feedback_scene(request) -> dict:
    ctx = course_scene(request)
    # Four others have given feedback, so the fifth shows on the provider's page.
    Feedback.objects.bulk_create(
        Feedback(session=ctx["session"], rating=4, comment="", month=timezone.localdate())
        for _n in range(4)
    )
    return ctx


def _course_data(course: Course, **changes) -> dict:
    return {
        "title": course.title,
        "summary": course.summary,
        "mode": course.mode,
        "hours": str(course.hours),
    } | changes


def _course_pages(ctx) -> list:
    course = ctx["course"]
    return [
        (ctx["client"], reverse("training:provider_course", args=[course.pk])),
        (ctx["practitioner_client"], reverse("training:course", args=[course.pk])),
    ]


def _course_field(field: str, max_length: int, normalise) -> Surface:
    return Surface(
        name=f"course {field}",
        max_length=max_length,
        setup=course_scene,
        submit=lambda ctx, text: ctx["client"].post(
            reverse("training:course_edit", args=[ctx["course"].pk]),
            _course_data(ctx["course"], **{field: text}),
            follow=True,
        ),
        stored=lambda ctx: getattr(Course.objects.get(pk=ctx["course"].pk), field),
        shown_on=_course_pages,
        normalise=normalise,
    )


def _mapping_note(ctx, text):
    statements = ctx["statements"]
    data = {"statement": [s.pk for s in statements], f"note-{statements[1].pk}": "Case studies"}
    data[f"note-{statements[0].pk}"] = text
    return ctx["client"].post(
        reverse("training:course_mappings", args=[ctx["course"].pk]), data, follow=True
    )


def _latest_reason(ctx, action: str) -> str | None:
    event = CourseEvent.objects.filter(course=ctx["course"], action=action).order_by("-pk").first()
    return event.reason if event else None


TRAINING_SURFACES = [
    _course_field("title", 200, collapse),
    _course_field("summary", 4000, strip),
    Surface(
        name="session place",
        max_length=200,
        setup=course_scene,
        submit=lambda ctx, text: ctx["client"].post(
            reverse("training:session_edit", args=[ctx["session"].pk]),
            {"starts_on": ctx["session"].starts_on.isoformat(), "place": text, "region": ""},
            follow=True,
        ),
        stored=lambda ctx: type(ctx["session"]).objects.get(pk=ctx["session"].pk).place,
        shown_on=_course_pages,
        normalise=collapse,
    ),
    Surface(
        name="mapping note",
        max_length=300,
        setup=course_scene,
        submit=_mapping_note,
        stored=lambda ctx: (
            ctx["course"].mappings.filter(statement=ctx["statement"]).values_list("note", flat=True)
        ).first(),
        shown_on=lambda ctx: [
            *_course_pages(ctx),
            (ctx["admin_client"], reverse("training:staff_review", args=[ctx["course"].pk])),
        ],
        normalise=collapse,
        too_long_message="Keep each note to 300 characters or fewer.",
    ),
    Surface(
        name="mapping review comment",
        max_length=2000,
        setup=course_scene,
        submit=lambda ctx, text: ctx["admin_client"].post(
            reverse("training:staff_review", args=[ctx["course"].pk]),
            {"decision": "request_changes", "comment": text},
            follow=True,
        ),
        stored=lambda ctx: _latest_reason(ctx, "request_changes"),
        shown_on=lambda ctx: [
            (ctx["client"], reverse("training:provider_course", args=[ctx["course"].pk])),
            (ctx["admin_client"], reverse("training:staff_review", args=[ctx["course"].pk])),
        ],
    ),
    Surface(
        name="anonymous feedback comment",
        max_length=500,
        setup=feedback_scene,
        submit=lambda ctx, text: ctx["practitioner_client"].post(
            reverse("training:attendance_feedback", args=[ctx["attendance"].pk]),
            {"rating": "3", "comment": text},
            follow=True,
        ),
        stored=lambda ctx: (
            Feedback.objects.exclude(comment="").values_list("comment", flat=True).first()
        ),
        shown_on=lambda ctx: [
            (ctx["client"], reverse("training:course_effectiveness", args=[ctx["course"].pk]))
        ],
        required=False,
    ),
    Surface(
        name="reflection when adding a course to evidence",
        max_length=20000,
        setup=course_scene,
        submit=lambda ctx, text: ctx["practitioner_client"].post(
            reverse("training:attendance_evidence", args=[ctx["attendance"].pk]),
            {"statement": [s.pk for s in ctx["statements"]], "reflection": text},
            follow=True,
        ),
        stored=lambda ctx: EvidenceItem.objects.values_list("description", flat=True).first(),
        shown_on=lambda ctx: [
            (
                ctx["practitioner_client"],
                reverse("evidence:item_detail", args=[EvidenceItem.objects.get().pk]),
            )
        ],
        required=False,
    ),
]


@pytest.fixture(params=TRAINING_SURFACES, ids=str)
def surface(request):
    spec: Surface = request.param
    return spec, spec.setup(request)
