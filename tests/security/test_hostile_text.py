"""Hostile text in every free-text field people type into.

Each field is described once, as a ``Surface``: how a person types into it, where
the text is kept, and which pages show it. Every surface then gets the same four
checks: markup, control characters and non-Latin text are stored as typed and
shown escaped; a NUL (which PostgreSQL refuses in text) is a clear error and the
saved value stays; one character too many is a clear error and the saved value
stays; exactly the limit in non-Latin characters is kept whole. Emails, the CPD
record PDF and a set of property-based tests follow.

Over 400 lines on purpose: one table of every free-text surface and the same checks run over
each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.models import EvidenceItem, EvidenceLink
from privacy.models import DataRequest
from register.models import (
    Appeal,
    Application,
    AuditEvent,
    Concern,
    CpdAudit,
    Notification,
    Reference,
    RegisterEntry,
    ReviewAssignment,
    StatementReview,
)
from register.services import applying, references, reviewing
from register.services.notifications import notification_send
from selfassess.models import Goal, Profile, Rating
from tests.evidence.factories import EvidenceItemFactory
from tests.register import helpers
from tests.security.conftest import (
    ATTRIBUTE,
    CONTROLS,
    IMAGE,
    MARKUP_PAYLOADS,
    NON_LATIN,
    NUL,
    SCRIPT,
    assert_no_live_markup,
    assert_shown_escaped,
    cpd_record_text,
    html_of,
)
from tests.security.scenes import (
    appealed_concern_scene,
    assessment_scene,
    claimed_cpd_audit_scene,
    claimed_scene,
    concern_form_scene,
    cpd_audit_scene,
    decided_concern_scene,
    decided_scene,
    declined_reference_scene,
    entry_scene,
    investigating_concern_scene,
    item_data,
    item_scene,
    logged_in,
    practitioner_scene,
    profile_data,
    received_concern_scene,
    references_scene,
)
from tests.security.surfaces import (
    TRAINING_SURFACES,
    WORKFORCE_SURFACES,
    Surface,
    collapse,
    column,
    posts,
    shows,
    strip,
)

pytestmark = pytest.mark.django_db

NUL_ERROR = "Null characters are not allowed."
# A mix of scripts, so "the limit" is counted in characters, not bytes.
WIDE = "Łódź婴儿صحةΨυχή👶🏽"  # noqa: RUF001 - Greek on purpose


def hostile(max_length: int) -> str:
    """As many of the hostile pieces as fit in ``max_length`` characters."""
    text = ""
    for piece in (SCRIPT, ATTRIBUTE, CONTROLS, IMAGE, NON_LATIN):
        candidate = f"{text} {piece}".strip()
        if len(candidate) <= max_length:
            text = candidate
    return text


def wide(length: int) -> str:
    return (WIDE * (length // len(WIDE) + 1))[:length]


_item_page = shows(("client", "evidence:item_detail", "item"))
_review_page = shows(("reviewer_client", "register:review_detail", "application"))
_staff_application = shows(("admin_client", "register:staff_application", "application"))
_staff_entry_pages = shows(("admin_client", "register:staff_entry", "entry"))
# Where a decision on an application is shown: to the staff, and to the practitioner.
_decision_pages = shows(
    ("admin_client", "register:staff_application", "application"),
    ("client", "register:application_detail", "application"),
)
_audit_pages = shows(
    ("client", "register:cpd_audit", "audit"),
    ("reviewer_client", "register:cpd_audit_review", "audit"),
)


def _latest_reason(action: str):
    """A ``stored``: the reason of the newest audit event of ``action``."""

    def stored(ctx) -> str | None:
        event = AuditEvent.objects.filter(action=action).order_by("-id").first()
        return event.reason if event else None

    return stored


# --- Every surface -----------------------------------------------------------------------------


def _item_field(field: str, max_length: int, *, required: bool = False) -> Surface:
    return Surface(
        required=required,
        name=f"evidence {field}",
        max_length=max_length,
        setup=item_scene,
        submit=posts(
            "client",
            "evidence:item_edit",
            "item",
            field=field,
            data=lambda ctx: item_data(ctx["item"]),
        ),
        stored=column(EvidenceItem, "item", field, blank_is_none=False),
        shown_on=_item_page,
    )


def _stored_link(ctx) -> str | None:
    link = EvidenceLink.objects.filter(statement=ctx["statement"]).order_by("-pk").first()
    return link.justification if link else None


def _reader_in_welsh() -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def _suspend(ctx, *, restriction: str, reason: str):
    return ctx["admin_client"].post(
        reverse("register:staff_entry_action", args=[ctx["entry"].pk, "suspend"]),
        {"suspend-restriction": restriction, "suspend-reason": reason},
        follow=True,
    )


def _suspension(field: str, **data) -> Callable[[dict, str], object]:
    """A ``submit``: the admin suspends the entry, typing the text into ``field``."""
    return posts(
        "admin_client",
        "register:staff_entry_action",
        "entry",
        action="suspend",
        field=f"suspend-{field}",
        data={f"suspend-{name}": value for name, value in data.items()},
    )


def _with_moderation(request) -> dict:
    ctx = claimed_scene(request)
    helpers.recommend(ctx["application"], ctx["reviewer"], "approve")
    helpers.recommend(ctx["application"], ctx["second"], "reject", "Not enough evidence")
    return ctx


def _with_appeal(request) -> dict:
    ctx = decided_scene(request, "reject")
    Appeal.objects.create(
        application=ctx["application"],
        statement="The reviewers missed my supervision log.",
        submitted_at=timezone.now(),
    )
    Application.objects.filter(pk=ctx["application"].pk).update(status=Application.Status.APPEALED)
    return ctx


def _postal_scene(request) -> dict:
    ctx = practitioner_scene(request)
    ctx["admin_client"] = logged_in(request.getfixturevalue("admin_user"))
    return ctx


def _stored_review(ctx) -> str | None:
    review = StatementReview.objects.filter(
        assignment=ctx["assignment"], dossier_statement=ctx["statement"]
    ).first()
    return review.comment if review else None


def _recommend_ready(request) -> dict:
    ctx = claimed_scene(request)
    helpers.review_all(ctx["assignment"], met=False, comment="Needs more")
    return ctx


def _answer(ctx) -> dict:
    """A referee's complete answer, one "yes" for each of the application's domains."""
    return helpers.referee_answer(
        number for number, _name in references.domains_for(ctx["application"])
    )


def _reference_field(field: str, max_length: int, *, required: bool = True) -> Surface:
    return Surface(
        name=f"referee's {field.replace('_', ' ')}",
        max_length=max_length,
        setup=references_scene,
        submit=posts(
            "referee_client", "register:referee_respond", field=f"answer-{field}", data=_answer
        ),
        stored=column(Reference, "reference", field),
        shown_on=_staff_application,
        required=required,
    )


def _replacement(ctx) -> dict:
    return {
        "name": "Nia Newmanager",
        "role": "Service lead",
        "email": "nia@example.org",
        "relationship": "Leads my service",
    }


def _replacement_field(field: str, max_length: int, *, normalise=strip) -> Surface:
    return Surface(
        name=f"replacement referee {field}",
        max_length=max_length,
        setup=declined_reference_scene,
        submit=posts(
            "client",
            "register:reference_replace",
            "application",
            "reference",
            field=field,
            data=_replacement,
        ),
        stored=lambda ctx: getattr(
            Reference.objects.filter(application=ctx["application"]).latest("pk"), field
        ),
        shown_on=_staff_application,
        normalise=normalise,
    )


def _concern_form(ctx) -> dict:
    return {"registrant_named": ctx["entry"].registration_number, **helpers.CONCERN, "website": ""}


def _staff_concern(ctx) -> list[tuple[Client, str]]:
    concern = Concern.objects.latest("pk")
    return [(ctx["admin_client"], reverse("register:staff_concern", args=[concern.pk]))]


def _concern_field(field: str, max_length: int, *, normalise=strip) -> Surface:
    return Surface(
        name=f"concern form {field.replace('_', ' ')}",
        max_length=max_length,
        setup=concern_form_scene,
        submit=posts("public_client", "register:concern_start", field=field, data=_concern_form),
        stored=lambda ctx: Concern.objects.values_list(field, flat=True).order_by("-pk").first(),
        shown_on=_staff_concern,
        normalise=normalise,
    )


def _concern_step(action: str, field: str, max_length: int, stored, **extra) -> Surface:
    return Surface(
        name=f"concern {action} {field.replace('_', ' ')}",
        max_length=max_length,
        setup=investigating_concern_scene,
        submit=posts(
            "admin_client",
            "register:staff_concern_action",
            "concern",
            action=action,
            field=f"{action}-{field}",
            data={f"{action}-{k}": v for k, v in extra.items()},
        ),
        stored=stored,
        shown_on=_staff_concern,
    )


def _concern_value(field: str):
    return column(Concern, "concern", field)


SURFACES = [
    _concern_field("registrant_named", 200),
    _concern_field("description", 10000),
    _concern_field("raiser_name", 150),
    _concern_field("raiser_relationship", 200),
    _concern_step("response", "response", 10000, _concern_value("response")),
    _concern_step(
        "decide",
        "reasons",
        10000,
        _concern_value("outcome_reasons"),
        outcome="advice",
    ),
    _concern_step(
        "decide",
        "public_text",
        2000,
        _concern_value("public_text"),
        outcome="conditions",
        reasons="Supervision needed.",
    ),
    replace(
        _concern_step(
            "decide",
            "public_text_cy",
            2000,
            _concern_value("public_text_cy"),
            outcome="conditions",
            reasons="Supervision needed.",
            public_text="Practises under supervision.",
        ),
        required=False,
    ),
    Surface(
        name="concern triage reasons",
        max_length=5000,
        setup=received_concern_scene,
        submit=posts(
            "admin_client",
            "register:staff_concern_action",
            "concern",
            action="triage",
            field="triage-reasons",
            data={"triage-take_forward": "no"},
        ),
        stored=_latest_reason("concern_triage"),
        shown_on=_staff_concern,
    ),
    Surface(
        name="concern appeal statement",
        max_length=10000,
        min_length=20,
        setup=decided_concern_scene,
        submit=posts("client", "register:my_concern", "concern", field="statement"),
        stored=_concern_value("appeal_statement"),
        shown_on=_staff_concern,
    ),
    Surface(
        name="concern appeal decision reasons",
        max_length=5000,
        setup=appealed_concern_scene,
        submit=posts(
            "hearer_client",
            "register:staff_concern_action",
            "concern",
            action="appeal",
            field="appeal-reasons",
            data={"appeal-decision": "dismiss"},
        ),
        stored=_concern_value("appeal_reasons"),
        shown_on=shows(
            ("client", "register:my_concern", "concern"),
            ("hearer_client", "register:staff_concern", "concern"),
        ),
    ),
    Surface(
        name="registrant's own response to a concern",
        max_length=10000,
        setup=investigating_concern_scene,
        submit=posts("client", "register:my_concern_respond", "concern", field="response"),
        stored=_concern_value("response"),
        shown_on=lambda ctx: [
            (ctx["client"], reverse("register:my_concern", args=[ctx["concern"].pk])),
            *_staff_concern(ctx),
        ],
    ),
    Surface(
        name="CPD audit covering note",
        max_length=5000,
        setup=cpd_audit_scene,
        submit=posts(
            "client", "register:cpd_audit", "audit", field="statement", data={"confirm": "on"}
        ),
        stored=column(CpdAudit, "audit", "statement"),
        shown_on=_audit_pages,
        required=False,
    ),
    Surface(
        name="CPD audit decision reasons",
        max_length=10000,
        setup=claimed_cpd_audit_scene,
        submit=posts(
            "reviewer_client",
            "register:cpd_audit_decide",
            "audit",
            field="reasons",
            data={"decision": "pass"},
        ),
        stored=column(CpdAudit, "audit", "reasons"),
        shown_on=_audit_pages,
    ),
    _reference_field("known_capacity", 500),
    _reference_field("comments", 5000, required=False),
    Surface(
        name="referee's reason for declining",
        max_length=2000,
        setup=references_scene,
        submit=posts("referee_client", "register:referee_decline", field="decline-reason"),
        stored=column(Reference, "reference", "decline_reason"),
        shown_on=_staff_application,
        required=False,
    ),
    _replacement_field("name", 150),
    _replacement_field("role", 150),
    _replacement_field("relationship", 500),
    Surface(
        name="reason for waiving a reference",
        max_length=2000,
        setup=references_scene,
        submit=posts(
            "admin_client",
            "register:staff_reference_waive",
            "application",
            "reference",
            field=lambda ctx: f"waive-{ctx['reference'].pk}-reason",
        ),
        stored=_latest_reason("reference_waive"),
        shown_on=_staff_application,
    ),
    Surface(
        name="profile organisation",
        max_length=200,
        setup=practitioner_scene,
        submit=posts(
            "client", "selfassess:profile", field="organisation", data=lambda ctx: profile_data()
        ),
        stored=lambda ctx: Profile.objects.get(user=ctx["user"]).organisation,
        shown_on=shows(("client", "selfassess:profile")),
        normalise=collapse,
    ),
    Surface(
        name="rating note",
        max_length=280,
        setup=assessment_scene,
        submit=posts(
            "client",
            "selfassess:rating_save",
            "rating",
            field="note",
            data=lambda ctx: {
                "value": "working_towards",
                "revision": Rating.objects.get(pk=ctx["rating"].pk).revision,
            },
        ),
        stored=column(Rating, "rating", "note", blank_is_none=False),
        shown_on=lambda ctx: [
            (
                ctx["client"],
                reverse("selfassess:grid", args=[ctx["rating"].statement.competency.domain.number]),
            )
        ],
        normalise=collapse,
        too_long_message="Keep the note to 280 characters or fewer.",
        required=False,
        # Without JavaScript a refused save goes back to the grid, with the reason as a message.
        refused_status=200,
    ),
    Surface(
        name="goal description",
        max_length=300,
        setup=assessment_scene,
        submit=posts(
            "client",
            "selfassess:goal_create",
            field="description",
            data=lambda ctx: {
                "activity": "training",
                "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
                "statements": [ctx["rating"].statement_id],
            },
        ),
        stored=lambda ctx: (
            Goal.objects.filter(user=ctx["user"])
            .order_by("-pk")
            .values_list("description", flat=True)
            .first()
        ),
        shown_on=shows(("client", "selfassess:plan")),
        normalise=collapse,
    ),
    _item_field("title", 200, required=True),
    _item_field("provider", 200),
    _item_field("description", 20000),
    Surface(
        name="justification in the statement picker",
        max_length=500,
        setup=item_scene,
        submit=posts(
            "client",
            "evidence:item_statements",
            "item",
            field=lambda ctx: f"justification-{ctx['statement'].pk}",
            data=lambda ctx: {"statement": [ctx["statement"].pk]},
        ),
        stored=_stored_link,
        shown_on=_item_page,
        normalise=collapse,
        too_long_message="Keep each justification to 500 characters or fewer.",
        required=False,
    ),
    Surface(
        name="justification when attaching from a statement",
        max_length=500,
        setup=item_scene,
        submit=posts(
            "client",
            "evidence:attach",
            "statement",
            field="justification",
            data=lambda ctx: {"items": [ctx["item"].pk]},
        ),
        stored=_stored_link,
        shown_on=_item_page,
        required=False,
    ),
    Surface(
        name="justification when adding evidence from a statement",
        max_length=500,
        setup=item_scene,
        submit=posts(
            "client",
            "evidence:item_create",
            field="justification",
            data=lambda ctx: {
                **item_data(ctx["item"], title="Video feedback workshop"),
                "statement": ctx["statement"].pk,
            },
        ),
        stored=_stored_link,
        shown_on=lambda ctx: [
            (
                ctx["client"],
                reverse(
                    "evidence:item_detail",
                    args=[EvidenceItem.objects.filter(owner=ctx["user"]).latest("pk").pk],
                ),
            )
        ],
        normalise=collapse,
        too_long_message="Keep each justification to 500 characters or fewer.",
        required=False,
    ),
    Surface(
        name="application resubmission note",
        max_length=2000,
        setup=lambda request: decided_scene(request, "changes"),
        submit=posts("client", "register:application_resubmit", "application", field="note"),
        stored=_latest_reason("resubmit"),
        shown_on=_review_page,
    ),
    Surface(
        name="appeal statement",
        max_length=10000,
        min_length=20,
        setup=lambda request: decided_scene(request, "reject"),
        submit=posts("client", "register:application_appeal", "application", field="statement"),
        stored=lambda ctx: (
            Appeal.objects.filter(application=ctx["application"])
            .values_list("statement", flat=True)
            .first()
        ),
        shown_on=_staff_application,
    ),
    Surface(
        name="withdrawal reason",
        max_length=1000,
        setup=claimed_scene,
        submit=posts("client", "register:application_withdraw", "application", field="reason"),
        stored=_latest_reason("withdraw"),
        shown_on=_staff_application,
        required=False,
    ),
    Surface(
        name="reviewer comment on a statement",
        max_length=2000,
        setup=claimed_scene,
        submit=posts(
            "reviewer_client",
            "register:review_statement_save",
            "application",
            "statement",
            field=lambda ctx: f"s{ctx['statement'].pk}-comment",
            data=lambda ctx: {f"s{ctx['statement'].pk}-met": "not_met"},
        ),
        stored=_stored_review,
        shown_on=_review_page,
    ),
    Surface(
        name="reviewer recommendation reasons",
        max_length=5000,
        setup=_recommend_ready,
        submit=posts(
            "reviewer_client",
            "register:review_recommend",
            "application",
            field="reasons",
            data={"recommendation": "changes"},
        ),
        stored=column(ReviewAssignment, "assignment", "recommendation_reasons"),
        shown_on=_review_page,
    ),
    Surface(
        name="reviewer conflict-of-interest note",
        max_length=500,
        setup=claimed_scene,
        submit=posts(
            "reviewer_client",
            "register:review_release",
            "application",
            field="note",
            data={"reason": "conflict"},
        ),
        stored=column(ReviewAssignment, "assignment", "conflict_note"),
        shown_on=_staff_application,
    ),
    Surface(
        name="moderation reasons",
        max_length=5000,
        setup=_with_moderation,
        submit=posts(
            "admin_client",
            "register:staff_moderate",
            "application",
            field="moderate-reasons",
            data={"moderate-outcome": "reject"},
        ),
        stored=column(Application, "application", "decision_reasons"),
        shown_on=_decision_pages,
    ),
    Surface(
        name="appeal decision reasons",
        max_length=5000,
        setup=_with_appeal,
        submit=posts(
            "admin_client",
            "register:staff_appeal_decide",
            "application",
            field="appeal-reasons",
            data={"appeal-decision": "dismiss"},
        ),
        stored=lambda ctx: (
            Appeal.objects.get(application=ctx["application"]).decision_reasons or None
        ),
        shown_on=_decision_pages,
    ),
    Surface(
        name="suspension restriction",
        max_length=2000,
        setup=entry_scene,
        submit=_suspension("restriction", reason="Conduct review"),
        stored=column(RegisterEntry, "entry", "restriction"),
        shown_on=lambda ctx: [
            *_staff_entry_pages(ctx),
            (Client(), reverse("register:entry", args=[ctx["entry"].registration_number])),
        ],
    ),
    Surface(
        name="suspension restriction in Welsh",
        max_length=2000,
        setup=entry_scene,
        submit=_suspension(
            "restriction_cy", restriction="Practises under supervision", reason="Conduct review"
        ),
        stored=column(RegisterEntry, "entry", "restriction_cy"),
        shown_on=lambda ctx: [
            *_staff_entry_pages(ctx),
            (
                _reader_in_welsh(),
                reverse("register:entry", args=[ctx["entry"].registration_number]),
            ),
        ],
        required=False,
    ),
    Surface(
        name="suspension reason",
        max_length=5000,
        setup=entry_scene,
        submit=_suspension("reason", restriction="Practises under supervision"),
        stored=_latest_reason("suspend"),
        shown_on=_staff_entry_pages,
    ),
    Surface(
        name="postal data request reference",
        max_length=200,
        setup=_postal_scene,
        submit=posts(
            "admin_client",
            "privacy:staff_requests",
            field="reference",
            data=lambda ctx: {"kind": "export", "email": ctx["user"].email},
        ),
        stored=lambda ctx: (
            DataRequest.objects.filter(subject=ctx["user"])
            .values_list("reference", flat=True)
            .first()
        ),
        shown_on=shows(("admin_client", "privacy:staff_requests")),
    ),
]


@pytest.fixture(params=[*SURFACES, *TRAINING_SURFACES, *WORKFORCE_SURFACES], ids=str)
def surface(request):
    spec: Surface = request.param
    return spec, spec.setup(request)


def _check_shown(spec: Surface, ctx: dict, stored: str) -> None:
    for client, url in spec.shown_on(ctx):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_escaped(html_of(response), stored)


def test_markup_controls_and_non_latin_text_are_stored_as_typed_and_shown_as_text(surface):
    spec, ctx = surface
    text = hostile(spec.max_length)

    response = spec.submit(ctx, text)

    assert response.status_code == 200
    assert_no_live_markup(html_of(response))
    assert spec.stored(ctx) == spec.normalise(text)
    _check_shown(spec, ctx, spec.normalise(text))


def test_a_nul_character_is_a_clear_error_and_the_saved_text_stays(surface):
    spec, ctx = surface
    before = spec.stored(ctx)

    response = spec.submit(ctx, f"{hostile(spec.max_length - 40)} {NUL}")

    assert response.status_code == spec.refused_status
    assert NUL_ERROR in html_of(response)
    assert spec.stored(ctx) == before


def test_one_character_too_many_is_a_clear_error_and_the_saved_text_stays(surface):
    spec, ctx = surface
    before = spec.stored(ctx)

    response = spec.submit(ctx, wide(spec.max_length + 1))

    assert response.status_code == spec.refused_status
    assert spec.too_long_message in html_of(response)
    assert spec.stored(ctx) == before


def test_the_longest_non_latin_text_allowed_is_kept_whole(surface):
    spec, ctx = surface
    # No spaces, so whitespace handling cannot shorten it.
    text = wide(spec.max_length)

    response = spec.submit(ctx, text)

    assert response.status_code == 200
    assert spec.stored(ctx) == text


# --- Text typed by one person and read by another, in pages and emails --------------------------

# The reasons and comments reviewers type travel to the practitioner's page and email.
REVIEWER_TEXT = hostile(2000)


def _plain_text_has(body: str, text: str) -> None:
    """Emails are plain text: the words as typed, not HTML-escaped."""
    assert text in body
    if escape(text) != text:
        assert escape(text) not in body


def _send_all() -> None:
    for pk in Notification.objects.filter(email_status="pending").values_list("pk", flat=True):
        notification_send(notification_id=pk)


def test_reviewers_comments_and_reasons_reach_the_practitioner_as_text(
    request, practitioner, reviewer, second_reviewer
):
    ctx = claimed_scene(request)
    application = ctx["application"]
    reviewer_client = ctx["reviewer_client"]
    for statement in application.dossier_statements.all():
        prefix = f"s{statement.pk}"
        response = reviewer_client.post(
            reverse("register:review_statement_save", args=[application.pk, statement.pk]),
            {f"{prefix}-met": "not_met", f"{prefix}-comment": REVIEWER_TEXT},
        )
        assert response.status_code == 302
    response = reviewer_client.post(
        reverse("register:review_recommend", args=[application.pk]),
        {"recommendation": "changes", "reasons": REVIEWER_TEXT},
    )
    assert response.status_code == 302
    helpers.recommend(application, second_reviewer, "changes", "Please add supervision.")
    application.refresh_from_db()
    assert application.status == Application.Status.CHANGES_REQUESTED

    page = ctx["client"].get(reverse("register:application_detail", args=[application.pk]))
    assert page.status_code == 200
    assert_shown_escaped(html_of(page), REVIEWER_TEXT)

    notification = Notification.objects.get(
        recipient=practitioner, dedupe_key__startswith="decision:"
    )
    _plain_text_has(notification.body, REVIEWER_TEXT)
    mail.outbox.clear()
    _send_all()
    [email] = [m for m in mail.outbox if "asked for changes" in m.subject]
    _plain_text_has(email.body, REVIEWER_TEXT)


def test_a_resubmission_note_reaches_the_reviewers_email_as_text(request):
    ctx = decided_scene(request, "changes")
    note = hostile(2000)

    ctx["client"].post(
        reverse("register:application_resubmit", args=[ctx["application"].pk]), {"note": note}
    )

    mail.outbox.clear()
    _send_all()
    # The reviewer was also told of the new application when it first came in.
    to_reviewer = [
        m for m in mail.outbox if ctx["reviewer"].email in m.to and "resubmitted" in m.subject
    ]
    assert len(to_reviewer) == 1
    _plain_text_has(to_reviewer[0].body, note)


def test_a_suspension_reaches_the_public_page_and_the_practitioners_email_as_text(request):
    ctx = entry_scene(request)
    restriction, reason = hostile(2000), "Private <b>conduct</b> review · Łódź"

    _suspend(ctx, restriction=restriction, reason=reason)

    public = Client().get(reverse("register:entry", args=[ctx["entry"].registration_number]))
    assert public.status_code == 200
    assert_shown_escaped(html_of(public), restriction)
    assert escape(reason) not in html_of(public), "the private reason is not published"
    mail.outbox.clear()
    _send_all()
    [email] = [m for m in mail.outbox if "suspended" in m.subject]
    _plain_text_has(email.body, restriction)
    _plain_text_has(email.body, reason)


def test_a_rating_note_reaches_the_reviewer_as_text(request, practitioner, reviewer):
    version = request.getfixturevalue("version")
    helpers.make_ready_applicant(practitioner, version)
    note = hostile(280)
    Rating.objects.filter(assessment__user=practitioner).update(note=note)
    application = applying.application_submit(
        applicant=practitioner, level=1, declarations=helpers.DECLARED
    )
    reviewing.application_claim(application=application, reviewer=reviewer)

    page = logged_in(reviewer).get(reverse("register:review_detail", args=[application.pk]))

    assert page.status_code == 200
    assert_shown_escaped(html_of(page), note)


def test_evidence_text_reaches_the_reviewer_as_text(request, practitioner, reviewer):
    version = request.getfixturevalue("version")
    item = helpers.make_ready_applicant(practitioner, version)
    title, description = hostile(200), hostile(20000)
    EvidenceItem.objects.filter(pk=item.pk).update(title=title, description=description)
    EvidenceLink.objects.filter(item=item).update(justification=hostile(500))
    application = applying.application_submit(
        applicant=practitioner, level=1, declarations=helpers.DECLARED
    )
    reviewing.application_claim(application=application, reviewer=reviewer)

    page = logged_in(reviewer).get(reverse("register:review_detail", args=[application.pk]))

    assert page.status_code == 200
    html = html_of(page)
    assert_shown_escaped(html, title)
    assert_shown_escaped(html, hostile(500))
    assert_shown_escaped(html, description)


def _sign_up(client, full_name: str):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": full_name,
            "email": "sam@example.org",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
        },
    )


def test_a_hostile_name_at_sign_up_is_kept_as_typed(client):
    name = f"Sam {SCRIPT} {NON_LATIN}"

    response = _sign_up(client, name)

    assert response.status_code == 302
    assert get_user_model().objects.get(email="sam@example.org").full_name == collapse(name)


def test_a_nul_in_the_name_at_sign_up_is_a_clear_error_and_makes_no_account(client):
    response = _sign_up(client, f"Sam {NUL}")

    assert response.status_code == 200
    assert NUL_ERROR in html_of(response)
    assert not get_user_model().objects.filter(email="sam@example.org").exists()


def test_a_registered_name_with_markup_is_shown_as_text_to_the_public(request):
    ctx = entry_scene(request)
    name = f"Priya {SCRIPT} {IMAGE} Łódź"
    RegisterEntry.objects.filter(pk=ctx["entry"].pk).update(display_name=name)
    public = Client()

    results = public.get(reverse("register:search"), {"q": "Priya"})
    entry = public.get(reverse("register:entry", args=[ctx["entry"].registration_number]))
    verify = public.get(reverse("register:verify", args=[ctx["entry"].registration_number]))

    for page in (results, entry, verify):
        assert page.status_code == 200
        assert_shown_escaped(html_of(page), name)


# --- The CPD record PDF -------------------------------------------------------------------------


def test_the_cpd_record_shows_typed_markup_as_literal_text(practitioner, version, tmp_path):
    # The name reaches the PDF's metadata as well as its text.
    practitioner.full_name = f"Priya {SCRIPT}"
    practitioner.save()
    helpers.make_profile(practitioner, organisation=f"{IMAGE} Łódź")
    EvidenceItemFactory(
        owner=practitioner,
        title=f"Attunement {SCRIPT}",
        provider=f"Provider {ATTRIBUTE}",
        description=f"Ψυχική υγεία\n\n{IMAGE}\n{CONTROLS}",
        start_date=date(2026, 3, 1),
    )

    text = cpd_record_text(practitioner, tmp_path)

    for payload in MARKUP_PAYLOADS:
        assert payload in text
    assert "Łódź" in text and "Ψυχική υγεία" in text
    assert "&lt;" not in text and "&quot;" not in text and "&#x27;" not in text


def test_a_cpd_record_of_the_longest_texts_keeps_every_character(practitioner, version, tmp_path):
    # A pasted link is one unbroken "word": it must wrap, not run off the page and be lost.
    link = "https://example.org/" + "q" * 2000
    description = f"{link}\n\n" + "attunement " * 1600
    assert len(description) < 20000
    helpers.make_profile(practitioner, organisation="z" * 200)
    EvidenceItemFactory(
        owner=practitioner,
        title=wide(200),
        provider=hostile(200),
        description=description,
        start_date=date(2026, 3, 1),
    )

    text = cpd_record_text(practitioner, tmp_path)

    assert text.count("q") == 2000
    assert text.count("z") == 200
    assert text.count("attunement") == 1600


# --- Property-based: whatever is typed, it is stored as typed or refused clearly ----------------

# Hypothesis keeps no example database here, so test runs leave nothing in the work tree.
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any character a browser can send (lone surrogates cannot be encoded in UTF-8),
# NUL and the other controls included, with the payloads mixed in.
CHARACTERS = st.characters(exclude_categories=["Cs"])
TYPED = st.one_of(
    st.text(CHARACTERS, max_size=60),
    st.builds(
        lambda before, payload, after: f"{before}{payload}{after}",
        st.text(CHARACTERS, max_size=20),
        st.sampled_from([*MARKUP_PAYLOADS, NON_LATIN, CONTROLS, NUL]),
        st.text(CHARACTERS, max_size=20),
    ),
)


def _expect_stored_or_refused(
    spec: Surface, ctx: dict, text: str, before: str | None, response
) -> None:
    """The one rule for any input: a clear error with nothing changed, or stored as typed."""
    html = html_of(response)
    assert_no_live_markup(html)
    expected = spec.normalise(text)
    if "\x00" in text:
        assert response.status_code == spec.refused_status
        assert NUL_ERROR in html
        assert spec.stored(ctx) == before
    elif (spec.required and not expected) or len(expected) < spec.min_length:
        assert response.status_code == spec.refused_status
        assert "There is a problem" in html or "alert-danger" in html
        assert spec.stored(ctx) == before
    else:
        # Saved, then the page it leads to (redirects are followed).
        assert response.status_code == 200
        assert spec.stored(ctx) == expected
        _check_shown(spec, ctx, expected)


def _surface(name: str) -> Surface:
    return next(s for s in SURFACES if s.name == name)


@pytest.mark.parametrize(
    "name",
    [
        "rating note",
        "evidence title",
        "goal description",
        "profile organisation",
        "justification in the statement picker",
    ],
)
def test_any_typed_text_is_stored_as_typed_or_refused_clearly(request, name):
    spec = _surface(name)
    ctx = spec.setup(request)

    @PROPERTY
    @given(text=TYPED)
    def check(text):
        before = spec.stored(ctx)
        response = spec.submit(ctx, text)
        _expect_stored_or_refused(spec, ctx, text, before, response)

    check()


@PROPERTY
@given(query=TYPED)
def test_any_public_search_is_answered_without_an_error_page(client, query):
    response = client.get(reverse("register:search"), {"q": query})

    assert response.status_code == 200
    html = html_of(response)
    assert_no_live_markup(html)
    if "\x00" in query:
        assert NUL_ERROR in html


@PROPERTY
@given(query=TYPED)
def test_any_staff_entry_search_is_answered_without_an_error_page(admin_client, query):
    response = admin_client.get(reverse("register:staff_entries"), {"q": query})

    assert response.status_code == 200
    assert_no_live_markup(html_of(response))


@PROPERTY
@given(query=TYPED)
def test_any_statement_picker_search_is_answered_without_an_error_page(
    practitioner_client, practitioner, version, query
):
    item = EvidenceItemFactory(owner=practitioner)

    response = practitioner_client.get(
        reverse("evidence:item_statements", args=[item.pk]), {"q": query}
    )

    assert response.status_code == 200
    assert_no_live_markup(html_of(response))


def test_a_pasted_credential_of_hostile_text_is_answered_as_text(client):
    text = hostile(2000)

    response = client.post(reverse("credentials:verify"), {"credential": text})

    assert response.status_code == 200
    assert_no_live_markup(html_of(response))
    assert "not a credential this page can read" in html_of(response)


def test_a_pasted_credential_with_a_nul_is_a_clear_error(client):
    response = client.post(reverse("credentials:verify"), {"credential": f"a.b.c {NUL}"})

    assert NUL_ERROR in html_of(response)
