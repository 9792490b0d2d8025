"""Double submits and stale tabs: the same form sent twice, and a form sent from a
page that another tab has since changed. Each answer says what happened; nothing
500s, nothing is done twice that should happen once, and nothing saved is lost."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from evidence.models import DocumentJob, EvidenceItem
from register.models import Appeal, Application, AuditEvent, ReviewAssignment, StatementReview
from register.services import applying
from selfassess import services as selfassess_services
from selfassess.models import Goal, Rating
from tests.register import helpers
from tests.security.conftest import html_of
from tests.security.scenes import (
    assessment_scene,
    claimed_scene,
    decided_scene,
    entry_scene,
    item_data,
    item_scene,
    logged_in,
)

pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _checked_value(html: str, rating: Rating) -> str:
    """The rating the cell shows as chosen."""
    pattern = rf'name="value" value="(\w+)" id="r-{rating.pk}-\d+" checked'
    match = re.search(pattern, html)
    assert match, "no rating is shown as chosen"
    return match.group(1)


# --- Double submits ---------------------------------------------------------------------------


def test_new_evidence_submitted_twice_is_saved_twice_and_both_are_listed(request):
    """Decided: the app keeps both.

    Two identical items can be genuine (the same one-hour session on two rotas),
    and the server cannot tell them from a double click. Dropping one would risk
    losing a real record; keeping both loses nothing, and both are on the list,
    each with its own delete button. The test pins that behaviour down.
    """
    ctx = item_scene(request)
    data = item_data(ctx["item"], title="Video interaction guidance workshop")
    before = EvidenceItem.objects.count()

    first = ctx["client"].post(reverse("evidence:item_create"), data)
    second = ctx["client"].post(reverse("evidence:item_create"), data)

    assert first.status_code == second.status_code == 302
    assert first.url != second.url
    assert EvidenceItem.objects.count() == before + 2
    listing = html_of(ctx["client"].get(reverse("evidence:list")))
    # One row each (each post's "is saved" message names the title too: two more).
    assert listing.count(">Video interaction guidance workshop</a></h2>") == 2


def test_asking_for_the_same_cpd_record_twice_makes_one_job(practitioner_client):
    data = {"period": "custom", "date_from": "2026-01-01", "date_to": "2026-06-30"}

    first = practitioner_client.post(reverse("evidence:cpd_record_request"), data)
    second = practitioner_client.post(reverse("evidence:cpd_record_request"), data)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert DocumentJob.objects.count() == 1


def test_asking_for_the_certificate_twice_makes_one_job(request):
    ctx = entry_scene(request)
    url = reverse("register:certificate_request", args=[ctx["entry"].pk])

    first, second = ctx["client"].post(url), ctx["client"].post(url)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert DocumentJob.objects.count() == 1


def test_submitting_the_application_twice_makes_one_application(practitioner, version):
    helpers.make_ready_applicant(practitioner, version)
    client = logged_in(practitioner)
    declarations = dict.fromkeys(applying.DECLARATIONS, "on")
    url = reverse("register:apply_submit", args=[1])

    first = client.post(url, declarations)
    second = client.post(url, declarations)

    application = Application.objects.get()
    detail = reverse("register:application_detail", args=[application.pk])
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == detail
    assert "already have an application in progress" in messages_of(second)
    assert AuditEvent.objects.filter(action="submit").count() == 1


def test_recommending_twice_is_refused_the_second_time(request):
    ctx = claimed_scene(request)
    helpers.review_all(ctx["assignment"], met=False, comment="Needs more")
    url = reverse("register:review_recommend", args=[ctx["application"].pk])

    first = ctx["reviewer_client"].post(url, {"recommendation": "changes", "reasons": "First"})
    second = ctx["reviewer_client"].post(url, {"recommendation": "reject", "reasons": "Second"})

    assert first.status_code == second.status_code == 302
    assert "already made your recommendation" in messages_of(second)
    assignment = ReviewAssignment.objects.get(pk=ctx["assignment"].pk)
    assert (assignment.recommendation, assignment.recommendation_reasons) == ("changes", "First")
    assert AuditEvent.objects.filter(action="recommend").count() == 1


def test_claiming_twice_is_refused_the_second_time(request, reviewer, version, practitioner):
    application = helpers.submit(practitioner, version)
    client = logged_in(reviewer)
    url = reverse("register:review_claim", args=[application.pk])

    client.post(url)
    second = client.post(url)

    assert second.status_code == 302
    assert "already claimed" in messages_of(second)
    assert ReviewAssignment.objects.filter(reviewer=reviewer).count() == 1


def test_resubmitting_twice_starts_one_new_round(request):
    ctx = decided_scene(request, "changes")
    url = reverse("register:application_resubmit", args=[ctx["application"].pk])

    ctx["client"].post(url, {"note": "Added my supervision log."})
    second = ctx["client"].post(url, {"note": "Added my supervision log."})

    assert second.status_code == 302
    assert "Only an application with changes requested can be resubmitted." in messages_of(second)
    assert Application.objects.get(pk=ctx["application"].pk).round == 2


def test_appealing_twice_records_one_appeal(request):
    ctx = decided_scene(request, "reject")
    url = reverse("register:application_appeal", args=[ctx["application"].pk])
    statement = "The reviewers did not see my supervision log, which covers 2.03."

    ctx["client"].post(url, {"statement": statement})
    second = ctx["client"].post(url, {"statement": statement + " Again."})

    assert second.status_code == 302
    assert "This decision cannot be appealed." in messages_of(second)
    assert list(Appeal.objects.values_list("statement", flat=True)) == [statement]


def test_withdrawing_twice_is_refused_the_second_time(request):
    ctx = claimed_scene(request)
    url = reverse("register:application_withdraw", args=[ctx["application"].pk])

    ctx["client"].post(url, {"reason": "Changing jobs"})
    second = ctx["client"].post(url, {"reason": "Changing jobs"})

    assert second.status_code == 302
    assert "can no longer be withdrawn" in messages_of(second)
    assert AuditEvent.objects.filter(action="withdraw").count() == 1


def test_suspending_twice_is_refused_the_second_time_and_keeps_the_first_restriction(request):
    ctx = entry_scene(request)
    url = reverse("register:staff_entry_action", args=[ctx["entry"].pk, "suspend"])

    ctx["admin_client"].post(
        url, {"suspend-restriction": "Supervised practice only", "suspend-reason": "First"}
    )
    second = ctx["admin_client"].post(
        url, {"suspend-restriction": "Something else", "suspend-reason": "Second"}
    )

    assert second.status_code == 302
    assert messages_of(second)
    ctx["entry"].refresh_from_db()
    assert ctx["entry"].restriction == "Supervised practice only"
    assert AuditEvent.objects.filter(action="suspend").count() == 1


def test_the_same_rating_sent_twice_saves_once_and_refuses_the_repeat(request):
    ctx = assessment_scene(request)
    rating = ctx["rating"]
    data = {"value": "achieved", "note": "Once", "revision": rating.revision}
    url = reverse("selfassess:rating_save", args=[rating.pk])

    ctx["client"].post(url, data, HTTP_HX_REQUEST="true")
    repeat = ctx["client"].post(url, data, HTTP_HX_REQUEST="true")

    assert repeat.status_code == 200
    assert "Not saved" in html_of(repeat)
    rating.refresh_from_db()
    assert (rating.value, rating.note, rating.revision) == ("achieved", "Once", 1)


# --- Stale tabs -------------------------------------------------------------------------------


@pytest.fixture
def two_tabs(request):
    """One rating, open in two tabs; the second tab has just saved "Working towards"."""
    ctx = assessment_scene(request)
    rating = ctx["rating"]
    stale_revision = rating.revision
    selfassess_services.rating_save(
        rating=rating, value="working_towards", note="From the other tab", revision=stale_revision
    )
    return ctx, rating, stale_revision


def test_a_stale_rating_save_is_refused_with_the_current_value_shown(two_tabs):
    ctx, rating, stale = two_tabs

    response = ctx["client"].post(
        reverse("selfassess:rating_save", args=[rating.pk]),
        {"value": "achieved", "note": "From this tab", "revision": stale},
        HTTP_HX_REQUEST="true",
    )

    html = html_of(response)
    assert response.status_code == 200
    assert "Not saved" in html
    assert _checked_value(html, rating) == "working_towards"
    assert "From the other tab" in html  # the current note, in the box
    assert "From this tab" in html  # what this tab tried, spelled out
    rating.refresh_from_db()
    assert (rating.value, rating.note) == ("working_towards", "From the other tab")


def test_a_stale_rating_save_without_javascript_shows_the_refusal_on_the_grid(two_tabs):
    ctx, rating, stale = two_tabs

    response = ctx["client"].post(
        reverse("selfassess:rating_save", args=[rating.pk]),
        {"value": "achieved", "note": "From this tab", "revision": stale},
        follow=True,
    )

    html = html_of(response)
    assert response.status_code == 200
    assert "changed in another tab or on another device" in html
    assert _checked_value(html, rating) == "working_towards"
    rating.refresh_from_db()
    assert (rating.value, rating.note) == ("working_towards", "From the other tab")


def test_saving_from_the_refused_form_then_works(two_tabs):
    ctx, rating, stale = two_tabs
    url = reverse("selfassess:rating_save", args=[rating.pk])
    refused = ctx["client"].post(
        url, {"value": "achieved", "revision": stale}, HTTP_HX_REQUEST="true"
    )
    fresh = re.search(r'name="revision" value="(\d+)"', html_of(refused)).group(1)

    saved = ctx["client"].post(
        url, {"value": "achieved", "note": "", "revision": fresh}, HTTP_HX_REQUEST="true"
    )

    assert saved.status_code == 200
    rating.refresh_from_db()
    assert rating.value == "achieved"


@pytest.fixture
def deleted_item(request):
    """An evidence item open in one tab and deleted in another."""
    ctx = item_scene(request)
    item = ctx["item"]
    response = ctx["client"].post(reverse("evidence:item_delete", args=[item.pk]))
    assert response.status_code == 302
    return ctx, item


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "evidence:item_edit"),
        ("post", "evidence:item_edit"),
        ("get", "evidence:item_detail"),
        ("post", "evidence:item_delete"),
        ("post", "evidence:item_statements"),
        ("post", "evidence:file_upload"),
    ],
)
def test_an_item_deleted_in_another_tab_is_a_clear_404(deleted_item, method, name):
    ctx, item = deleted_item
    count = EvidenceItem.objects.count()

    response = getattr(ctx["client"], method)(
        reverse(name, args=[item.pk]), item_data(item) if method == "post" else None
    )

    assert response.status_code == 404
    html = html_of(response)
    assert "We can't find that page" in html
    assert reverse("home") in html
    assert EvidenceItem.objects.count() == count


def test_a_goal_deleted_in_another_tab_is_a_404_and_not_recreated(request):
    ctx = assessment_scene(request)
    goal = Goal.objects.create(
        user=ctx["user"], description="Read", activity="reading", due_date="2027-01-01"
    )
    pk = goal.pk
    goal.delete()

    answers = [
        ctx["client"].post(reverse("selfassess:goal_progress", args=[pk]), {"progress": "done"}),
        ctx["client"].post(reverse("selfassess:goal_delete", args=[pk])),
        ctx["client"].get(reverse("selfassess:goal_edit", args=[pk])),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert not Goal.objects.exists()


def test_a_verdict_sent_after_the_applicant_withdrew_is_refused(request):
    ctx = claimed_scene(request)
    statement = ctx["statement"]
    applying.application_withdraw(
        application=ctx["application"], applicant=ctx["practitioner"], reason=""
    )

    response = ctx["reviewer_client"].post(
        reverse("register:review_statement_save", args=[ctx["application"].pk, statement.pk]),
        {f"s{statement.pk}-met": "met"},
    )

    # A withdrawn application is no longer one the reviewer may judge: it is not there.
    assert response.status_code == 404
    assert not StatementReview.objects.exists()


def test_a_moderation_sent_after_another_admin_decided_is_refused(request, second_reviewer):
    ctx = claimed_scene(request)
    helpers.recommend(ctx["application"], ctx["reviewer"], "approve")
    helpers.recommend(ctx["application"], second_reviewer, "reject", "No applied practice")
    url = reverse("register:staff_moderate", args=[ctx["application"].pk])
    other_admin = logged_in(request.getfixturevalue("framework_editor"))

    first = other_admin.post(url, {"moderate-outcome": "approve", "moderate-reasons": "Met."})
    second = ctx["admin_client"].post(
        url, {"moderate-outcome": "reject", "moderate-reasons": "Not met."}
    )

    assert first.status_code == second.status_code == 302
    assert "has moved on" in messages_of(second)
    application = Application.objects.get(pk=ctx["application"].pk)
    assert (application.status, application.decision_reasons) == ("approved", "Met.")
