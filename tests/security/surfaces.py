"""What every free-text field is, for the hostile-text checks (``test_hostile_text``): a
``Surface`` each, built from ``posts``, ``column`` and ``shows`` where the field is the plain
case; the register's, evidence's and self-assessment's are that module's table, the training
and workforce apps' are here.
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
from training.models import Attendance, Course, CourseEvent, CourseSession, Feedback
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


# --- The plain case: a form posted by someone in the scene, a column, pages that show it -------


def _path(ctx: dict, url: str, keys: tuple[str, ...], action: str | None) -> str:
    args = [ctx[key].pk for key in keys]
    return reverse(url, args=args if action is None else [*args, action])


def posts(
    client: str,
    url: str,
    *keys: str,
    field: str | Callable[[dict], str],
    data: dict | Callable[[dict], dict] | None = None,
    action: str | None = None,
) -> Callable[[dict, str], object]:
    """A ``submit``: the scene's ``client`` types the text into ``field`` of the form at ``url``
    (its arguments the pks of the scene's ``keys``, then ``action``), the rest of the form
    being ``data``; ``field`` and ``data`` may be functions of the scene. Redirects are
    followed."""

    def submit(ctx: dict, text: str):
        name = field(ctx) if callable(field) else field
        rest = data(ctx) if callable(data) else data or {}
        return ctx[client].post(_path(ctx, url, keys, action), {**rest, name: text}, follow=True)

    return submit


def column(
    model, key: str, field: str, *, blank_is_none: bool = True
) -> Callable[[dict], str | None]:
    """A ``stored``: ``field`` of the scene's ``key`` row, read again; a blank one is None
    unless ``blank_is_none`` is off."""

    def stored(ctx: dict) -> str | None:
        value = getattr(model.objects.get(pk=ctx[key].pk), field)
        return (value or None) if blank_is_none else value

    return stored


def shows(*pages: tuple[str, ...]) -> Callable[[dict], list[tuple[Client, str]]]:
    """A ``shown_on``: a (client, url, *keys) for each page, its url filled in as in ``posts``."""
    return lambda ctx: [(ctx[client], _path(ctx, url, keys, None)) for client, url, *keys in pages]


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


def _course_data(ctx: dict) -> dict:
    course = ctx["course"]
    return {
        "title": course.title,
        "summary": course.summary,
        "mode": course.mode,
        "hours": str(course.hours),
    }


_course_pages = shows(
    ("client", "training:provider_course", "course"),
    ("practitioner_client", "training:course", "course"),
)


def _course_field(field: str, max_length: int, normalise) -> Surface:
    return Surface(
        name=f"course {field}",
        max_length=max_length,
        setup=course_scene,
        submit=posts("client", "training:course_edit", "course", field=field, data=_course_data),
        stored=column(Course, "course", field, blank_is_none=False),
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
        submit=posts(
            "client",
            "training:session_edit",
            "session",
            field="place",
            data=lambda ctx: {"starts_on": ctx["session"].starts_on.isoformat(), "region": ""},
        ),
        stored=column(CourseSession, "session", "place", blank_is_none=False),
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
        submit=posts(
            "admin_client",
            "training:staff_review",
            "course",
            field="comment",
            data={"decision": "request_changes"},
        ),
        stored=lambda ctx: _latest_reason(ctx, "request_changes"),
        shown_on=shows(
            ("client", "training:provider_course", "course"),
            ("admin_client", "training:staff_review", "course"),
        ),
    ),
    Surface(
        name="anonymous feedback comment",
        max_length=500,
        setup=feedback_scene,
        submit=posts(
            "practitioner_client",
            "training:attendance_feedback",
            "attendance",
            field="comment",
            data={"rating": "3"},
        ),
        stored=lambda ctx: (
            Feedback.objects.exclude(comment="").values_list("comment", flat=True).first()
        ),
        shown_on=shows(("client", "training:course_effectiveness", "course")),
        required=False,
    ),
    Surface(
        name="reflection when adding a course to evidence",
        max_length=20000,
        setup=course_scene,
        submit=posts(
            "practitioner_client",
            "training:attendance_evidence",
            "attendance",
            field="reflection",
            data=lambda ctx: {"statement": [s.pk for s in ctx["statements"]]},
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
        submit=posts(
            "client",
            "workforce:organisation_create",
            field="name",
            data={"kind": "nhs", "nation": "england", "region": "london"},
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
        submit=posts("client", "workforce:organisation_admin", "organisation", field="team-name"),
        stored=lambda ctx: _newest(Team, "name"),
        shown_on=lambda ctx: [
            *shows(("client", "workforce:organisation_admin", "organisation"))(ctx),
            (ctx["client"], reverse("workforce:team_detail", args=[Team.objects.get().pk])),
        ],
        normalise=strip,
    ),
]
