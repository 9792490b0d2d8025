"""Malformed input: impossible numbers and dates, duplicated and missing form fields,
and ids that belong to someone else or to another edition of the framework.

Each is a clear error or a 404, never a 500, and what was saved before is read back
from the database unchanged.

Over 400 lines on purpose: one case per malformed input, each short, grouped by form.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence import services as evidence_services
from evidence.models import DocumentJob, EvidenceFile, EvidenceItem, EvidenceLink
from imhcf.models import Statement
from register.models import (
    Application,
    DossierStatement,
    RegisterEntry,
    ReviewAssignment,
    StatementReview,
)
from selfassess import services as selfassess_services
from selfassess.models import Goal, Profile, Rating
from tests.evidence.factories import EvidenceItemFactory
from tests.factories import build_framework
from tests.register import helpers
from tests.security.conftest import html_of
from tests.security.scenes import (
    assessment_scene,
    claimed_scene,
    entry_scene,
    item_data,
    item_scene,
    logged_in,
    profile_data,
)

pytestmark = pytest.mark.django_db

HUGE = "9" * 30  # beyond any integer column, on SQLite and PostgreSQL alike


def _item_row(item) -> tuple:
    """Everything the form can change, read back from the database."""
    return EvidenceItem.objects.filter(pk=item.pk).values_list(
        "kind", "title", "start_date", "end_date", "hours", "provider", "description"
    )[0]


def _rating_row(rating) -> tuple:
    return Rating.objects.filter(pk=rating.pk).values_list("value", "note", "revision")[0]


@pytest.fixture
def items(request):
    return item_scene(request)


@pytest.fixture
def rated(request):
    ctx = assessment_scene(request)
    rating = ctx["rating"]
    selfassess_services.rating_save(
        rating=rating, value="working_towards", note="Saved before", revision=rating.revision
    )
    return ctx


# --- Numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-1", "Hours cannot be negative."),
        ("-0.01", "Hours cannot be negative."),
        ("1e9", "Hours must be 2000 or fewer."),
        ("2000.01", "Hours must be 2000 or fewer."),
        ("1" + "0" * 400, "Hours must be 2000 or fewer."),
        ("NaN", "Enter hours as a number"),
        ("nan", "Enter hours as a number"),
        ("Infinity", "Enter hours as a number"),
        ("-Infinity", "Enter hours as a number"),
        ("sNaN", "Enter hours as a number"),
        ("0x10", "Enter hours as a number"),
        ("3,5", "Enter hours as a number"),
        ("three", "Enter hours as a number"),
        ("1.005", "Use no more than two decimal places."),
        ("1e-400", "Use no more than two decimal places."),
        ("24.01", "That is more hours than 1 day holds."),
    ],
)
def test_impossible_hours_are_a_clear_error_and_the_item_is_unchanged(items, hours, message):
    item, client = items["item"], items["client"]
    before = _item_row(item)

    response = client.post(
        reverse("evidence:item_edit", args=[item.pk]),
        item_data(item, hours=hours, title="Changed title"),
    )

    assert response.status_code == 400
    assert message in html_of(response)
    assert _item_row(item) == before


# Hypothesis keeps no example database here, so test runs leave nothing in the work tree.
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NUMBERS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
)


def test_any_hours_are_stored_as_typed_or_refused_clearly(items):
    item, client = items["item"], items["client"]
    url = reverse("evidence:item_edit", args=[item.pk])

    @PROPERTY
    @given(hours=NUMBERS)
    def check(hours):
        before = _item_row(item)
        response = client.post(url, item_data(item, hours=hours))
        if response.status_code == 302:
            stored = EvidenceItem.objects.get(pk=item.pk).hours
            assert stored == (Decimal(hours.strip()) if hours.strip() else None)
            assert stored is None or Decimal(0) <= stored <= 24
        else:
            assert response.status_code == 400
            assert "There is a problem" in html_of(response)
            assert _item_row(item) == before

    check()


def test_any_start_date_is_stored_as_a_real_date_or_refused_clearly(items):
    item, client = items["item"], items["client"]
    url = reverse("evidence:item_edit", args=[item.pk])
    latest = timezone.localdate() + timedelta(days=366)

    @PROPERTY
    @given(
        start=st.one_of(
            st.dates().map(date.isoformat),
            st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
            st.text(st.characters(exclude_categories=["Cs"]), max_size=14),
        )
    )
    def check(start):
        before = _item_row(item)
        response = client.post(url, item_data(item, start_date=start, hours="1"))
        if response.status_code == 302:
            stored = EvidenceItem.objects.get(pk=item.pk).start_date
            assert date(1970, 1, 1) <= stored <= latest
        else:
            assert response.status_code == 400
            assert "There is a problem" in html_of(response)
            assert _item_row(item) == before

    check()


@pytest.mark.parametrize("hours", ["-1", "1e9", "NaN", "Infinity"])
def test_impossible_hours_on_a_new_item_save_nothing(items, hours):
    client = items["client"]
    count = EvidenceItem.objects.count()

    response = client.post(
        reverse("evidence:item_create"), item_data(items["item"], hours=hours, title="New")
    )

    assert response.status_code == 400
    assert "There is a problem" in html_of(response)
    assert EvidenceItem.objects.count() == count


@pytest.mark.parametrize("revision", ["-1", "1e9", "NaN", "", "abc", "1.5", "²", "٣x"])
def test_a_malformed_revision_is_refused_and_the_rating_is_unchanged(rated, revision):
    rating = rated["rating"]
    before = _rating_row(rating)

    response = rated["client"].post(
        reverse("selfassess:rating_save", args=[rating.pk]),
        {"value": "achieved", "note": "Changed", "revision": revision},
        follow=True,
    )

    assert response.status_code == 200
    assert "This page is out of date. Reload it and try again." in html_of(response)
    assert _rating_row(rating) == before


@pytest.mark.parametrize("revision", [HUGE, "2147483648", "9223372036854775808"])
def test_a_revision_beyond_any_integer_is_stale_not_a_crash(rated, revision):
    rating = rated["rating"]
    before = _rating_row(rating)

    response = rated["client"].post(
        reverse("selfassess:rating_save", args=[rating.pk]),
        {"value": "achieved", "note": "Changed", "revision": revision},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Not saved" in html_of(response)
    assert _rating_row(rating) == before


@pytest.mark.parametrize(
    "path",
    [
        f"/evidence/{HUGE}/",
        f"/evidence/{HUGE}/edit/",
        f"/evidence/{HUGE}/statements/",
        f"/evidence/files/{HUGE}/download/",
        f"/evidence/documents/{HUGE}/",
        f"/evidence/attach/{HUGE}/",
        f"/assessment/plan/goals/{HUGE}/",
        f"/assessment/history/{HUGE}/",
        f"/register/applications/{HUGE}/",
        f"/register/entries/{HUGE}/renew/",
        f"/review/{HUGE}/",
        f"/staff/applications/{HUGE}/",
        f"/staff/entries/{HUGE}/",
        f"/framework/domains/{HUGE}/",
    ],
)
def test_ids_beyond_any_integer_in_the_address_are_404(admin_user, reviewer, path):
    # An admin who is also a reviewer, so no page turns them away before the lookup.
    reviewer.is_staff = True
    reviewer.save()
    helpers.make_profile(reviewer)

    response = logged_in(reviewer).get(path)

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/assessment/ratings/{HUGE}/",
        f"/evidence/{HUGE}/delete/",
        f"/evidence/{HUGE}/files/",
        f"/assessment/plan/goals/{HUGE}/delete/",
        f"/register/applications/{HUGE}/withdraw/",
        f"/register/entries/{HUGE}/certificate/",
    ],
)
def test_posting_to_ids_beyond_any_integer_is_404(practitioner_client, path):
    assert practitioner_client.post(path, {}).status_code == 404


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("evidence:list", {"page": "-1"}),
        ("evidence:list", {"page": HUGE}),
        ("evidence:list", {"page": "abc", "kind": "\x00", "domain": "²"}),
        ("evidence:list", {"date_from": "0001-01-01", "date_to": "9999-12-31"}),
        ("evidence:list", {"date_from": "2026-02-30", "domain": HUGE}),
        ("register:search", {"page": HUGE, "q": "Smith"}),
        ("register:search", {"level": "NaN", "region": "atlantis"}),
        ("register:search", {"q": "IMH-" + HUGE}),
        ("register:apply", {"level": "NaN"}),
        ("register:apply", {"level": HUGE}),
        ("selfassess:goal_create", {"statement": ["²", "①", HUGE, "-1", "٣"]}),
        ("selfassess:compare", {"earlier": HUGE, "later": "²"}),
    ],
)
def test_malformed_query_strings_are_answered_not_crashed(request, name, query):
    assessment_scene(request)
    client = logged_in(request.getfixturevalue("practitioner"))

    response = client.get(reverse(name), query)

    # A page reads what it can of a query string and ignores the rest; a comparison of
    # snapshots that cannot exist names nothing.
    assert response.status_code == (404 if name == "selfassess:compare" else 200)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/imhcf/statement/?domain=%C2%B2",
        f"/admin/imhcf/statement/?domain={HUGE}",
        "/admin/imhcf/competency/?domain=-1",
        "/admin/imhcf/competency/%C2%B2/change/",
        f"/admin/imhcf/competency/{HUGE}/change/",
        "/admin/accounts/user/?q=a%00b",
    ],
)
def test_malformed_admin_filters_and_ids_are_answered_not_crashed(admin_client, version, path):
    response = admin_client.get(path)

    # The admin's own answer to an id that names nothing: back to the list, with a message.
    assert response.status_code == (302 if path.endswith("/change/") else 200)


def test_a_malformed_saved_marker_on_the_grid_is_ignored(rated):
    number = rated["rating"].statement.competency.domain.number

    for saved in ("²", HUGE, "-1", "abc"):
        response = rated["client"].get(reverse("selfassess:grid", args=[number]), {"saved": saved})
        assert response.status_code == 200


@pytest.mark.parametrize("round_number", ["-5", HUGE, "²", "NaN", "0"])
def test_a_malformed_round_shows_the_latest_round(request, round_number):
    ctx = claimed_scene(request)
    application = ctx["application"]

    practitioner_page = ctx["client"].get(
        reverse("register:application_detail", args=[application.pk]), {"round": round_number}
    )
    staff_page = ctx["admin_client"].get(
        reverse("register:staff_application", args=[application.pk]), {"round": round_number}
    )

    assert practitioner_page.status_code == staff_page.status_code == 200


# --- Dates --------------------------------------------------------------------------------------

IMPOSSIBLE_DATES = ["2026-02-30", "2026-13-01", "0000-01-01", "99999-01-01", "2026-1-1x", "\x00"]


@pytest.mark.parametrize(
    "start", [*IMPOSSIBLE_DATES, "1969-12-31", "0001-01-01", "9999-12-31", "2030-01-01"]
)
def test_an_impossible_item_date_is_a_clear_error_and_the_item_is_unchanged(items, start):
    item = items["item"]
    before = _item_row(item)

    response = items["client"].post(
        reverse("evidence:item_edit", args=[item.pk]), item_data(item, start_date=start)
    )

    assert response.status_code == 400
    assert "There is a problem" in html_of(response)
    assert _item_row(item) == before


def test_an_end_before_the_start_is_a_clear_error(items):
    item = items["item"]
    before = _item_row(item)

    response = items["client"].post(
        reverse("evidence:item_edit", args=[item.pk]),
        item_data(item, start_date="2026-03-14", end_date="2026-03-13"),
    )

    assert "The last day cannot be before the first day." in html_of(response)
    assert _item_row(item) == before


@pytest.mark.parametrize("due", ["2026-02-30", "0000-01-01", "99999-12-31", "31/02/2027", "\x00"])
def test_an_impossible_goal_date_is_a_clear_error_and_saves_nothing(rated, due):
    response = rated["client"].post(
        reverse("selfassess:goal_create"),
        {
            "description": "Attend the attachment course",
            "activity": "training",
            "due_date": due,
            "statements": [rated["rating"].statement_id],
        },
    )

    assert response.status_code == 400
    assert "There is a problem" in html_of(response)
    assert not Goal.objects.exists()


@pytest.mark.parametrize("due", ["9999-12-31", "0001-01-01"])
def test_goals_at_the_ends_of_the_calendar_still_show_on_the_plan(rated, due):
    goal = selfassess_services.goal_create(
        user=rated["user"],
        description="Attend the attachment course",
        activity="training",
        due_date=timezone.localdate() + timedelta(days=10),
        statements=[rated["rating"].statement],
    )
    # Editing allows past dates (a goal can be recorded late); the far future is a valid date.
    response = rated["client"].post(
        reverse("selfassess:goal_edit", args=[goal.pk]),
        {
            "description": goal.description,
            "activity": "training",
            "due_date": due,
            "progress": "underway",
            "statements": [rated["rating"].statement_id],
        },
    )
    assert response.status_code == 302

    plan = rated["client"].get(reverse("selfassess:plan"))

    assert plan.status_code == 200
    assert "Attend the attachment course" in html_of(plan)


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        ("9999-01-01", "9999-12-31", "The date cannot be more than a year from today."),
        ("0001-01-01", "0001-12-31", "Enter a date after 1970."),
        ("2026-02-30", "2026-03-31", "Enter a valid date."),
        ("0000-01-01", "2026-03-31", "Enter a valid date."),
        ("2026-01-01", "99999-12-31", "Enter a valid date."),
    ],
)
def test_an_impossible_cpd_period_is_a_clear_error_and_asks_for_no_record(
    practitioner_client, date_from, date_to, message
):
    data = {"period": "custom", "date_from": date_from, "date_to": date_to}

    page = practitioner_client.get(reverse("evidence:cpd"), data)
    request = practitioner_client.post(reverse("evidence:cpd_record_request"), data)

    assert page.status_code == 200
    assert message in html_of(page)
    assert request.status_code == 400
    assert message in html_of(request)
    assert not DocumentJob.objects.exists()


# --- Duplicated and missing fields -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "achieved", "note": "x"}, "This page is out of date."),
        ({"note": "x", "revision": "CURRENT"}, "Choose Not started, Working towards or Achieved."),
        ({}, "Choose Not started, Working towards or Achieved."),
        ({"value": ["achieved", "bogus"], "revision": "CURRENT"}, "Choose Not started"),
        ({"value": "achieved", "revision": ["CURRENT", "-1"]}, "This page is out of date."),
    ],
)
def test_a_missing_or_duplicated_rating_field_is_refused_and_nothing_changes(rated, data, message):
    rating = rated["rating"]
    before = _rating_row(rating)
    current = str(before[2])
    data = {
        key: [current if v == "CURRENT" else v for v in value]
        if isinstance(value, list)
        else (current if value == "CURRENT" else value)
        for key, value in data.items()
    }

    response = rated["client"].post(
        reverse("selfassess:rating_save", args=[rating.pk]), data, follow=True
    )

    assert response.status_code == 200
    assert message in html_of(response)
    assert _rating_row(rating) == before


def test_a_duplicated_rating_value_takes_the_last_as_django_does(rated):
    rating = rated["rating"]
    revision = _rating_row(rating)[2]

    rated["client"].post(
        reverse("selfassess:rating_save", args=[rating.pk]),
        {"value": ["not_started", "achieved"], "note": "", "revision": revision},
    )

    assert _rating_row(rating)[:2] == ("achieved", "")


@pytest.mark.parametrize("missing", ["kind", "title", "start_date"])
def test_a_missing_item_field_is_a_clear_error_and_the_item_is_unchanged(items, missing):
    item = items["item"]
    before = _item_row(item)
    data = item_data(item, title="Changed")
    del data[missing]

    response = items["client"].post(reverse("evidence:item_edit", args=[item.pk]), data)

    assert response.status_code == 400
    assert "This field is required." in html_of(response) or "Choose" in html_of(response)
    assert _item_row(item) == before


def test_an_empty_post_changes_no_item_and_no_profile(items):
    item, client = items["item"], items["client"]
    before = _item_row(item)
    profile_before = Profile.objects.filter(user=items["user"]).values()[0]

    item_response = client.post(reverse("evidence:item_edit", args=[item.pk]), {})
    profile_response = client.post(reverse("selfassess:profile"), {})

    # No browser sends an empty form: it is treated as not sent, and the form shown again.
    assert item_response.status_code == profile_response.status_code == 200
    assert _item_row(item) == before
    assert Profile.objects.filter(user=items["user"]).values()[0] == profile_before


def test_a_profile_with_a_region_from_another_nation_is_refused(items):
    before = Profile.objects.filter(user=items["user"]).values()[0]

    response = items["client"].post(
        reverse("selfassess:profile"), profile_data(nation="wales", region="london")
    )

    assert response.status_code == 400
    assert "Choose a region in the nation you chose." in html_of(response)
    assert Profile.objects.filter(user=items["user"]).values()[0] == before


def test_a_statement_ticked_twice_is_linked_once(items):
    item, statement = items["item"], items["statement"]

    response = items["client"].post(
        reverse("evidence:item_statements", args=[item.pk]),
        {"statement": [statement.pk, statement.pk], f"justification-{statement.pk}": "Twice"},
    )

    assert response.status_code == 302
    assert list(item.links.values_list("statement_id", "justification")) == [
        (statement.pk, "Twice")
    ]


def test_an_item_ticked_twice_is_attached_once(items):
    item, statement = items["item"], items["statement"]

    response = items["client"].post(
        reverse("evidence:attach", args=[statement.pk]), {"items": [item.pk, item.pk]}
    )

    assert response.status_code == 302
    assert item.links.filter(statement=statement).count() == 1


def test_a_goal_statement_ticked_twice_is_kept_once(rated):
    statement_id = rated["rating"].statement_id

    response = rated["client"].post(
        reverse("selfassess:goal_create"),
        {
            "description": "Read about attunement",
            "activity": "reading",
            "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "statements": [statement_id, statement_id],
        },
    )

    assert response.status_code == 302
    assert list(Goal.objects.get().statements.values_list("pk", flat=True)) == [statement_id]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"recommendation": "reject"},
        {"recommendation": ["approve", "bogus"], "reasons": "x"},
    ],
)
def test_a_missing_or_malformed_recommendation_is_refused(request, data):
    ctx = claimed_scene(request)
    helpers.review_all(ctx["assignment"])

    response = ctx["reviewer_client"].post(
        reverse("register:review_recommend", args=[ctx["application"].pk]), data
    )

    assert response.status_code == 400
    assert "There is a problem" in html_of(response) or "Choose" in html_of(response)
    assert ReviewAssignment.objects.get(pk=ctx["assignment"].pk).recommendation == ""


@pytest.mark.parametrize(
    "data",
    [{}, {"met": "not_met"}, {"met": ["met", "not_met"]}, {"met": "perhaps", "comment": "x"}],
)
def test_a_missing_or_malformed_verdict_is_refused_and_saves_nothing(request, data):
    ctx = claimed_scene(request)
    statement = ctx["statement"]
    prefixed = {f"s{statement.pk}-{key}": value for key, value in data.items()}

    response = ctx["reviewer_client"].post(
        reverse("register:review_statement_save", args=[ctx["application"].pk, statement.pk]),
        prefixed,
    )

    assert response.status_code == 400
    assert not StatementReview.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"suspend-reason": "Conduct"}, {"suspend-restriction": "Supervised practice only"}],
)
def test_a_suspension_missing_a_field_is_refused_and_the_entry_stays_active(request, data):
    ctx = entry_scene(request)

    response = ctx["admin_client"].post(
        reverse("register:staff_entry_action", args=[ctx["entry"].pk, "suspend"]), data
    )

    assert response.status_code == 400
    assert "There is a problem" in html_of(response) or "Give a reason" in html_of(response)
    entry = RegisterEntry.objects.get(pk=ctx["entry"].pk)
    assert entry.status == RegisterEntry.Status.ACTIVE and entry.restriction == ""


def test_an_unknown_entry_action_is_404(request):
    ctx = entry_scene(request)

    response = ctx["admin_client"].post(
        reverse("register:staff_entry_action", args=[ctx["entry"].pk, "delete"]), {}
    )

    assert response.status_code == 404
    assert RegisterEntry.objects.get(pk=ctx["entry"].pk).status == RegisterEntry.Status.ACTIVE


def test_submitting_without_the_declarations_makes_no_application(practitioner, version):
    helpers.make_ready_applicant(practitioner, version)

    response = logged_in(practitioner).post(
        reverse("register:apply_submit", args=[1]), {"declared_accuracy": "on"}
    )

    assert response.status_code == 400
    assert "Tick this box to confirm." in html_of(response)
    assert not Application.objects.exists()


def test_a_cpd_request_without_a_period_asks_for_no_record(practitioner_client):
    response = practitioner_client.post(reverse("evidence:cpd_record_request"), {})

    assert response.status_code == 400
    assert not DocumentJob.objects.exists()


# --- Someone else's ids in the form -------------------------------------------------------------


@pytest.fixture
def others(request, other_practitioner):
    """The other practitioner's rating, goal, item (with a file and a link) and application."""
    version = request.getfixturevalue("version")
    helpers.make_profile(other_practitioner)
    assessment = selfassess_services.assessment_start(user=other_practitioner)
    rating = assessment.ratings.select_related("statement").first()
    selfassess_services.rating_save(
        rating=rating, value="achieved", note="Theirs", revision=rating.revision
    )
    goal = selfassess_services.goal_create(
        user=other_practitioner,
        description="Their goal",
        activity="reading",
        due_date=timezone.localdate() + timedelta(days=30),
        statements=[rating.statement],
    )
    item = EvidenceItemFactory(owner=other_practitioner, title="Their item", hours=Decimal("2"))
    EvidenceLink.objects.create(item=item, statement=rating.statement, justification="Theirs")
    evidence_file = helpers.attach_file(item)
    return {
        "user": other_practitioner,
        "version": version,
        "rating": rating,
        "goal": goal,
        "item": item,
        "file": evidence_file,
    }


def _snapshot(others) -> dict:
    return {
        "rating": _rating_row(others["rating"]),
        "goal": Goal.objects.filter(pk=others["goal"].pk).values_list("description", "progress")[0],
        "item": _item_row(others["item"]),
        "links": list(others["item"].links.values_list("statement_id", "justification")),
        "files": list(EvidenceFile.objects.filter(item=others["item"]).values_list("pk")),
    }


def test_another_practitioners_ids_answer_404_and_change_nothing(rated, others):
    client = rated["client"]
    before = _snapshot(others)
    revision = before["rating"][2]
    item, goal = others["item"], others["goal"]

    answers = [
        client.post(
            reverse("selfassess:rating_save", args=[others["rating"].pk]),
            {"value": "not_started", "note": "Mine now", "revision": revision},
        ),
        client.post(
            reverse("selfassess:goal_edit", args=[goal.pk]),
            {"description": "Mine", "activity": "other", "due_date": "2027-01-01"},
        ),
        client.post(reverse("selfassess:goal_progress", args=[goal.pk]), {"progress": "done"}),
        client.post(reverse("selfassess:goal_delete", args=[goal.pk])),
        client.post(reverse("evidence:item_edit", args=[item.pk]), item_data(item, title="Mine")),
        client.post(reverse("evidence:item_delete", args=[item.pk])),
        client.post(
            reverse("evidence:item_statements", args=[item.pk]),
            {"statement": [rated["rating"].statement_id]},
        ),
        client.post(
            reverse("evidence:file_upload", args=[item.pk]),
            {"files": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n", content_type="application/pdf")},
        ),
        client.post(reverse("evidence:file_delete", args=[others["file"].pk])),
        client.get(reverse("evidence:file_download", args=[others["file"].pk])),
    ]

    assert [a.status_code for a in answers] == [404] * len(answers)
    assert _snapshot(others) == before


def test_another_practitioners_items_in_the_attach_form_are_refused(rated, others):
    statement = Statement.objects.get(pk=rated["rating"].statement_id)
    mine = EvidenceItemFactory(owner=rated["user"])
    before = _snapshot(others)

    response = rated["client"].post(
        reverse("evidence:attach", args=[statement.pk]),
        {"items": [mine.pk, others["item"].pk], "justification": "Both"},
    )

    assert response.status_code == 400
    assert "One of the chosen items is not yours or no longer exists." in html_of(response)
    assert not mine.links.exists()
    assert _snapshot(others) == before


@pytest.mark.parametrize("chosen", [[HUGE], ["²"], ["-1"], ["abc"], ["1.5"]])
def test_malformed_item_ids_in_the_attach_form_are_refused(items, chosen):
    response = items["client"].post(
        reverse("evidence:attach", args=[items["statement"].pk]), {"items": chosen}
    )

    assert response.status_code == 400
    assert "One of the chosen items is not yours or no longer exists." in html_of(response)
    assert not EvidenceLink.objects.exists()


@pytest.fixture
def retired_statement(db):
    """A statement of an edition that is no longer current."""
    old = build_framework(domains=1, competencies_per_domain=1, status="retired", name="Old")
    return Statement.objects.filter(competency__domain__version=old).first()


def test_statements_of_another_edition_in_the_picker_are_refused(items, retired_statement):
    item, current = items["item"], items["statement"]
    EvidenceLink.objects.create(item=item, statement=current, justification="Kept")

    for chosen in ([retired_statement.pk], [current.pk, retired_statement.pk], [HUGE], ["²"]):
        response = items["client"].post(
            reverse("evidence:item_statements", args=[item.pk]), {"statement": chosen}
        )
        assert response.status_code == 400
        assert "not in the current framework" in html_of(response) or "valid" in html_of(response)

    assert list(item.links.values_list("statement_id", "justification")) == [(current.pk, "Kept")]


@pytest.mark.parametrize("statement", ["RETIRED", HUGE, "abc", "²", "-1"])
def test_adding_evidence_for_a_statement_not_in_the_current_edition_is_404(
    items, retired_statement, statement
):
    statement = retired_statement.pk if statement == "RETIRED" else statement
    count = EvidenceItem.objects.count()

    response = items["client"].post(
        reverse("evidence:item_create"),
        {**item_data(items["item"], title="New"), "statement": statement},
    )

    assert response.status_code == 404
    assert "We can't find that page" in html_of(response)
    assert EvidenceItem.objects.count() == count


def test_a_goal_aimed_at_another_editions_or_anothers_statements_is_refused(
    rated, others, retired_statement
):
    for statement_id in (retired_statement.pk, HUGE):
        response = rated["client"].post(
            reverse("selfassess:goal_create"),
            {
                "description": "Read about attunement",
                "activity": "reading",
                "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
                "statements": [statement_id],
            },
        )
        assert response.status_code == 400
        assert "There is a problem" in html_of(response)
    assert not Goal.objects.filter(user=rated["user"]).exists()


def test_a_rating_of_a_completed_self_assessment_is_refused_and_kept(rated):
    rating = rated["rating"]
    assessment = rating.assessment
    selfassess_services.assessment_complete(assessment=assessment, target_level=None)
    before = _rating_row(rating)

    response = rated["client"].post(
        reverse("selfassess:rating_save", args=[rating.pk]),
        {"value": "achieved", "note": "Too late", "revision": before[2]},
        follow=True,
    )

    assert response.status_code == 200
    assert "can no longer be changed" in html_of(response)
    assert _rating_row(rating) == before


def test_a_reviewer_cannot_judge_a_statement_of_another_application(
    request, other_practitioner, version
):
    ctx = claimed_scene(request)
    other_application = helpers.submit(other_practitioner, version)
    foreign = DossierStatement.objects.filter(application=other_application).first()

    verdict = ctx["reviewer_client"].post(
        reverse("register:review_statement_save", args=[ctx["application"].pk, foreign.pk]),
        {f"s{foreign.pk}-met": "met"},
    )
    unclaimed = ctx["reviewer_client"].post(
        reverse("register:review_recommend", args=[other_application.pk]),
        {"recommendation": "approve"},
    )

    assert verdict.status_code == unclaimed.status_code == 404
    assert not StatementReview.objects.exists()
    other_application.refresh_from_db()
    assert other_application.status == Application.Status.SUBMITTED


def test_a_practitioner_cannot_act_on_another_practitioners_application_or_entry(request):
    ctx = entry_scene(request)
    outsider = logged_in(request.getfixturevalue("other_practitioner"))
    application, entry = ctx["application"], ctx["entry"]

    answers = [
        outsider.post(reverse("register:application_withdraw", args=[application.pk]), {}),
        outsider.post(reverse("register:application_resubmit", args=[application.pk]), {}),
        outsider.post(reverse("register:application_appeal", args=[application.pk]), {}),
        outsider.post(reverse("register:certificate_request", args=[entry.pk])),
        outsider.post(reverse("register:renew", args=[entry.pk]), {}),
    ]

    assert [a.status_code for a in answers] == [404] * len(answers)
    assert Application.objects.get(pk=application.pk).status == Application.Status.APPROVED
    assert not DocumentJob.objects.exists()


def test_another_practitioners_document_is_404(practitioner_client, other_practitioner):
    job = evidence_services.document_request(
        owner=other_practitioner,
        kind=DocumentJob.Kind.CPD_RECORD,
        params={"start": "2026-01-01", "end": "2026-06-30"},
    )

    for name in ("document_detail", "document_status", "document_download"):
        assert (
            practitioner_client.get(reverse(f"evidence:{name}", args=[job.pk])).status_code == 404
        )
    assert (
        practitioner_client.post(reverse("evidence:document_retry", args=[job.pk])).status_code
        == 404
    )


def test_an_anonymous_visitor_gets_no_private_file(anon_client, others):
    response = anon_client.get(reverse("evidence:file_download", args=[others["file"].pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert b"%PDF" not in response.content
