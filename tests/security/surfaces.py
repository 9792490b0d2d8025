"""What every free-text field is, for the hostile-text checks (``test_hostile_text``): a
``Surface`` each; the register's, evidence's and self-assessment's are that module's table,
the training and workforce apps' are here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evidence.models import EvidenceItem
from tests.conftest import enable_totp
from tests.security.scenes import logged_in
from tests.training.helpers import make_course, make_provider, make_staff, statements_of
from training import services
from training.models import Attendance, Course, CourseEvent, Feedback
from workforce import services as workforce_services
from workforce.models import Organisation, Team


def collapse(text: str) -> str:
    return " ".join(text.split())


def strip(text: str) -> str:
    return text.strip()


@dataclass
class Surface:
    """One free-text field, as a person meets it."""

    name: str
    max_length: int
    # Builds what the field needs (people, an application, an item) and returns it.
    setup: Callable[[pytest.FixtureRequest], dict]
    # Types ``text`` into the field and submits, as the page would; follows redirects.
    submit: Callable[[dict, str], object]
    # What is stored now (None when nothing is).
    stored: Callable[[dict], str | None]
    # Where the stored text is shown: (client, url) pairs.
    shown_on: Callable[[dict], list[tuple[Client, str]]]
    # What the form and service make of the typed text before storing it.
    normalise: Callable[[str], str] = strip
    too_long_message: str = "Ensure this value has at most"
    min_length: int = 0
    # Whether an empty value is refused rather than stored.
    required: bool = True
    # The status a refusal ends on, redirects followed: the form again with its errors.
    refused_status: int = 400

    def __str__(self) -> str:
        return self.name


# --- Training ----------------------------------------------------------------------------------


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


# --- Workforce ---------------------------------------------------------------------------------


def admin_scene(request) -> dict:
    # Organisation admins see members' shared data, so they use MFA.
    user = request.getfixturevalue("practitioner")
    enable_totp(user)
    organisation = workforce_services.organisation_create(
        user=user, name="Riverside NHS Trust", kind="nhs", nation="england", region="london"
    )
    return {"user": user, "client": logged_in(user), "organisation": organisation}


def _newest(model, field: str):
    row = model.objects.order_by("-pk").first()
    return getattr(row, field) if row else None


WORKFORCE_SURFACES = [
    Surface(
        name="organisation name",
        max_length=200,
        setup=admin_scene,
        submit=lambda ctx, text: ctx["client"].post(
            reverse("workforce:organisation_create"),
            {"name": text, "kind": "nhs", "nation": "england", "region": "london"},
            follow=True,
        ),
        stored=lambda ctx: (
            Organisation.objects.exclude(pk=ctx["organisation"].pk)
            .values_list("name", flat=True)
            .first()
        ),
        shown_on=lambda ctx: [
            (
                ctx["client"],
                reverse(
                    "workforce:organisation_admin",
                    args=[Organisation.objects.order_by("-pk").first().pk],
                ),
            ),
            (ctx["client"], reverse("workforce:mine")),
        ],
        normalise=strip,
    ),
    Surface(
        name="team name",
        max_length=120,
        setup=admin_scene,
        submit=lambda ctx, text: ctx["client"].post(
            reverse("workforce:organisation_admin", args=[ctx["organisation"].pk]),
            {"team-name": text},
            follow=True,
        ),
        stored=lambda ctx: _newest(Team, "name"),
        shown_on=lambda ctx: [
            (ctx["client"], reverse("workforce:organisation_admin", args=[ctx["organisation"].pk])),
            (ctx["client"], reverse("workforce:team_detail", args=[Team.objects.get().pk])),
        ],
        normalise=strip,
    ),
]
