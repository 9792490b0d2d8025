"""The review page of a claimed application: verdicts, recommendation, release, files.

Over 400 lines on purpose: the page and each reviewer action, with the checks every view gets.
"""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.roles import REVIEWERS_GROUP
from evidence import services as evidence_services
from evidence.models import EvidenceItem
from register.models import (
    Application,
    DossierStatement,
    Notification,
    RegisterEntry,
    ReviewAssignment,
    StatementReview,
)
from register.services import applying, reviewing
from tests.conftest import client_for, enable_totp
from tests.factories import UserFactory, build_framework
from tests.register import helpers

pytestmark = pytest.mark.usefixtures("private_storage")


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def version(db):
    # Two domains of three competencies: six statements at Level 1.
    return build_framework(domains=2, competencies_per_domain=3)


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def _submit_with_file(user, version):
    item = helpers.make_ready_applicant(user, version)
    evidence_file = evidence_services.evidence_file_add(
        item=item,
        uploaded=SimpleUploadedFile("supervision-note.png", _png(), content_type="image/png"),
    )
    application = applying.application_submit(
        applicant=user, level=1, declarations=helpers.DECLARED
    )
    return application, evidence_file


@pytest.fixture
def submitted(practitioner, version):
    return _submit_with_file(practitioner, version)


@pytest.fixture
def application(submitted):
    return submitted[0]


@pytest.fixture
def claimed(application, reviewer, second_reviewer):
    reviewing.application_claim(application=application, reviewer=reviewer)
    reviewing.application_claim(application=application, reviewer=second_reviewer)
    application.refresh_from_db()
    return application


@pytest.fixture
def second_client(second_reviewer):
    client = client_for(second_reviewer)
    return client


@pytest.fixture
def third_reviewer(db):
    user = UserFactory(full_name="Tariq Third", groups=[REVIEWERS_GROUP])
    enable_totp(user)
    return user


@pytest.fixture
def third_client(third_reviewer):
    client = client_for(third_reviewer)
    return client


def detail_url(application) -> str:
    return reverse("register:review_detail", args=[application.pk])


def save_url(application, statement) -> str:
    return reverse("register:review_statement_save", args=[application.pk, statement.pk])


def recommend_url(application) -> str:
    return reverse("register:review_recommend", args=[application.pk])


def release_url(application) -> str:
    return reverse("register:review_release", args=[application.pk])


def statements(application):
    return list(application.dossier_statements.filter(round=application.round))


def verdict(statement, met="met", comment=""):
    prefix = f"s{statement.pk}"
    return {f"{prefix}-met": met, f"{prefix}-comment": comment}


def judge_all(client, application, met="met", comment=""):
    for statement in statements(application):
        response = client.post(save_url(application, statement), verdict(statement, met, comment))
        assert response.status_code == 302


def recommend(client, application, recommendation, reasons=""):
    return client.post(
        recommend_url(application), {"recommendation": recommendation, "reasons": reasons}
    )


# --- What the page shows ------------------------------------------------------------------


def test_review_page_shows_the_frozen_dossier_by_domain_with_evidence_and_file_link(
    claimed, submitted, reviewer_client
):
    _application, evidence_file = submitted
    # A later edit to the evidence must not reach the frozen dossier.
    EvidenceItem.objects.filter(pk=evidence_file.item_id).update(title="Edited after submission")
    response = reviewer_client.get(detail_url(claimed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Domain 1: Domain 1" in html and "Domain 2: Domain 2" in html
    first = statements(claimed)[0]
    assert first.text in html
    assert "Achieved" in html
    assert "Infant mental health foundation course" in html
    assert "Edited after submission" not in html
    assert "Regional IMH network" in html
    assert "Covered in the course" in html  # the link's justification
    assert reverse("evidence:file_download", args=[evidence_file.pk]) in html
    assert f'name="s{first.pk}-met"' in html
    assert 'aria-live="polite"' in html


def test_other_reviewers_verdicts_stay_hidden_until_both_have_recommended(
    claimed, reviewer_client, second_client
):
    judge_all(second_client, claimed, met="not_met", comment="Thin evidence of reflection")
    html = reviewer_client.get(detail_url(claimed)).content.decode()
    assert "Thin evidence of reflection" not in html

    assert recommend(second_client, claimed, "changes", "Add a reflective piece").status_code == 302
    html = reviewer_client.get(detail_url(claimed)).content.decode()
    assert "Thin evidence of reflection" not in html
    assert "Add a reflective piece" not in html

    judge_all(reviewer_client, claimed)
    assert recommend(reviewer_client, claimed, "approve").status_code == 302
    html = reviewer_client.get(detail_url(claimed)).content.decode()
    assert "Thin evidence of reflection" in html
    assert "Add a reflective piece" in html


# --- Saving verdicts -----------------------------------------------------------------------


def test_saving_a_verdict_without_javascript_redirects_to_the_statements_anchor(
    claimed, reviewer, reviewer_client
):
    statement = statements(claimed)[0]
    response = reviewer_client.post(
        save_url(claimed, statement), verdict(statement, "met", "Clear evidence")
    )
    assert response.status_code == 302
    assert response.url == f"{detail_url(claimed)}#st-{statement.pk}"
    review = StatementReview.objects.get(dossier_statement=statement)
    assert review.met is True and review.comment == "Clear evidence"
    assert review.assignment.reviewer == reviewer


def test_saving_a_verdict_with_htmx_answers_saved_in_the_live_region(claimed, reviewer_client):
    statement = statements(claimed)[0]
    response = reviewer_client.post(
        save_url(claimed, statement), verdict(statement, "not_met", "No supervision record"), **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="save-status" hx-swap-oob="innerHTML"' in html
    assert f"Saved {statement.key}: not met" in html
    assert "1 of 6" in html
    assert StatementReview.objects.get(dossier_statement=statement).met is False


def test_saving_a_verdict_again_updates_it(claimed, reviewer_client):
    statement = statements(claimed)[0]
    reviewer_client.post(save_url(claimed, statement), verdict(statement, "not_met", "Missing"))
    reviewer_client.post(save_url(claimed, statement), verdict(statement, "met", ""))
    review = StatementReview.objects.get(dossier_statement=statement)
    assert review.met is True and review.comment == ""


def test_not_met_without_a_comment_is_refused_in_place_with_htmx(claimed, reviewer_client):
    statement = statements(claimed)[0]
    response = reviewer_client.post(
        save_url(claimed, statement), verdict(statement, "not_met", ""), **HTMX
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers
    html = response.content.decode()
    assert "Not saved" in html
    assert "Say why the statement is not met" in html
    assert not StatementReview.objects.exists()


def test_refused_verdict_without_javascript_shows_the_page_again_with_what_was_typed(
    claimed, reviewer_client
):
    statement = statements(claimed)[0]
    response = reviewer_client.post(
        save_url(claimed, statement), {f"s{statement.pk}-comment": "Half a thought"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose met or not met." in html
    assert f'href="#id_s{statement.pk}-met_0"' in html
    assert "Half a thought" in html
    assert not StatementReview.objects.exists()


def test_statement_of_another_application_is_404(
    claimed, reviewer_client, other_practitioner, version
):
    other = helpers.submit(other_practitioner, version)
    foreign = statements(other)[0]
    response = reviewer_client.post(save_url(claimed, foreign), verdict(foreign))
    assert response.status_code == 404


def test_verdicts_cannot_change_after_recommending(claimed, reviewer_client):
    judge_all(reviewer_client, claimed)
    recommend(reviewer_client, claimed, "approve")
    statement = statements(claimed)[0]
    response = reviewer_client.post(
        save_url(claimed, statement), verdict(statement, "not_met", "x"), **HTMX
    )
    assert "already made your recommendation" in response.content.decode()
    assert (
        StatementReview.objects.get(
            dossier_statement=statement, assignment__reviewer__full_name="Rosa Reviewer"
        ).met
        is True
    )


# --- Recommending --------------------------------------------------------------------------


def test_recommending_with_statements_left_is_refused_and_lists_them(claimed, reviewer_client):
    first, *rest = statements(claimed)
    reviewer_client.post(save_url(claimed, first), verdict(first))
    response = recommend(reviewer_client, claimed, "changes", "Please add supervision notes")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Record met or not met for every statement first (5 left)." in html
    assert "5 statements still need your verdict" in html
    for statement in rest:
        assert f'href="#st-{statement.pk}"' in html
    assert "Please add supervision notes" in html  # nothing typed is lost
    assignment = ReviewAssignment.objects.get(
        application=claimed, reviewer__full_name="Rosa Reviewer"
    )
    assert assignment.recommendation == ""


def test_recommending_changes_without_reasons_is_refused(claimed, reviewer_client):
    judge_all(reviewer_client, claimed)
    response = recommend(reviewer_client, claimed, "changes", "")
    assert response.status_code == 400
    assert "Give your reasons" in response.content.decode()


def test_both_reviewers_approving_approves_with_one_entry_and_one_approval_message(
    claimed, practitioner, reviewer_client, second_client
):
    judge_all(reviewer_client, claimed)
    response = recommend(reviewer_client, claimed, "approve")
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == Application.Status.IN_REVIEW
    assert not RegisterEntry.objects.exists()

    judge_all(second_client, claimed)
    response = recommend(second_client, claimed, "approve")
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == Application.Status.APPROVED
    assert RegisterEntry.objects.filter(application=claimed).count() == 1
    assert (
        Notification.objects.filter(
            recipient=practitioner, dedupe_key__startswith=f"decision:{claimed.pk}:"
        ).count()
        == 1
    )

    # A double click on the last recommendation changes nothing, and says why.
    response = recommend(second_client, claimed, "approve")
    assert response.status_code == 302
    assert RegisterEntry.objects.count() == 1
    page = second_client.get(response.url).content.decode()
    assert "can no longer be done" in page


def test_reviewers_disagreeing_sends_the_application_to_moderation(
    claimed, reviewer_client, second_client
):
    judge_all(reviewer_client, claimed)
    recommend(reviewer_client, claimed, "approve")
    judge_all(second_client, claimed, met="not_met", comment="Not enough")
    recommend(second_client, claimed, "reject", "Evidence does not show practice")
    claimed.refresh_from_db()
    assert claimed.status == Application.Status.MODERATION
    assert not RegisterEntry.objects.exists()


def test_request_changes_then_resubmission_brings_round_two_to_the_same_reviewers(
    claimed, practitioner, reviewer, reviewer_client, second_client
):
    judge_all(reviewer_client, claimed, met="not_met", comment="Say more about attunement")
    recommend(reviewer_client, claimed, "changes", "More reflection please")
    judge_all(second_client, claimed, met="not_met", comment="Add a supervision record")
    recommend(second_client, claimed, "changes", "Supervision evidence needed")
    claimed.refresh_from_db()
    assert claimed.status == Application.Status.CHANGES_REQUESTED

    # The practitioner changes one statement's evidence and resubmits.
    changed = statements(claimed)[0]
    EvidenceItem.objects.filter(owner=practitioner).update(
        title="Foundation course, with reflection"
    )
    applying.application_resubmit(
        application=claimed, applicant=practitioner, note="I added my reflections."
    )
    claimed.refresh_from_db()
    assert claimed.round == 2 and claimed.status == Application.Status.IN_REVIEW

    response = reviewer_client.get(detail_url(claimed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Round 2: resubmitted after changes" in html
    assert "I added my reflections." in html
    assert "Say more about attunement" in html and "Add a supervision record" in html
    assert "Foundation course, with reflection" in html
    assert "Changed" in html
    round_two = DossierStatement.objects.get(application=claimed, round=2, key=changed.key)
    assert f'id="st-{round_two.pk}"' in html
    # Round two starts with no verdicts: the old ones are context only.
    assert "0 of 6" in html
    assert second_client.get(detail_url(claimed)).status_code == 200


# --- Releasing and conflicts ----------------------------------------------------------------


def test_declaring_a_conflict_needs_a_note(claimed, reviewer_client):
    response = reviewer_client.post(release_url(claimed), {"reason": "conflict", "note": ""})
    assert response.status_code == 400
    assert "Say briefly what the conflict of interest is." in response.content.decode()
    assert (
        ReviewAssignment.objects.filter(application=claimed, released_at__isnull=True).count() == 2
    )


def test_declaring_a_conflict_releases_the_claim_and_hides_the_application(
    claimed, reviewer, reviewer_client
):
    response = reviewer_client.post(
        release_url(claimed), {"reason": "conflict", "note": "I supervised her last year"}
    )
    assert response.status_code == 302
    assert response.url == reverse("register:review_queue")
    assignment = ReviewAssignment.objects.get(application=claimed, reviewer=reviewer)
    assert assignment.release_reason == "conflict"
    assert assignment.conflict_note == "I supervised her last year"
    assert reviewer_client.get(detail_url(claimed)).status_code == 404
    queue = reviewer_client.get(reverse("register:review_queue")).content.decode()
    assert f"{claimed.pk}: Priya Practitioner" not in queue
    assert "1 waiting application is not shown because of a conflict of interest" in queue
    claim = reviewer_client.post(reverse("register:review_claim", args=[claimed.pk]))
    assert claim.status_code == 302
    assert not ReviewAssignment.objects.filter(
        application=claimed, reviewer=reviewer, released_at__isnull=True
    ).exists()


def test_releasing_without_a_conflict_returns_it_to_the_queue(
    claimed, reviewer_client, third_client
):
    response = reviewer_client.post(release_url(claimed), {"reason": "released", "note": ""})
    assert response.status_code == 302
    queue = third_client.get(reverse("register:review_queue")).content.decode()
    assert f"{claimed.pk}: Priya Practitioner" in queue


# --- Evidence files -------------------------------------------------------------------------


def test_assigned_reviewer_downloads_a_dossier_file(claimed, submitted, reviewer_client):
    _application, evidence_file = submitted
    response = reviewer_client.get(reverse("evidence:file_download", args=[evidence_file.pk]))
    assert response.status_code == 200


def test_unassigned_reviewer_gets_404_for_a_dossier_file(application, submitted, third_client):
    _application, evidence_file = submitted
    response = third_client.get(reverse("evidence:file_download", args=[evidence_file.pk]))
    assert response.status_code == 404


def test_released_reviewer_gets_404_for_a_dossier_file(claimed, submitted, reviewer_client):
    _application, evidence_file = submitted
    reviewer_client.post(release_url(claimed), {"reason": "released", "note": ""})
    response = reviewer_client.get(reverse("evidence:file_download", args=[evidence_file.pk]))
    assert response.status_code == 404


# --- Access -------------------------------------------------------------------------------


def _review_urls(application, statement):
    return {
        "detail": ("get", detail_url(application)),
        "statement": ("post", save_url(application, statement)),
        "recommend": ("post", recommend_url(application)),
        "release": ("post", release_url(application)),
    }


@pytest.mark.parametrize("name", ["detail", "statement", "recommend", "release"])
def test_anonymous_visitor_is_sent_to_sign_in(claimed, anon_client, name):
    method, url = _review_urls(claimed, statements(claimed)[0])[name]
    response = getattr(anon_client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["detail", "statement", "recommend", "release"])
def test_practitioner_gets_404(claimed, practitioner_client, other_client, name):
    method, url = _review_urls(claimed, statements(claimed)[0])[name]
    # The applicant themselves, and anyone else who is not a reviewer.
    assert getattr(practitioner_client, method)(url).status_code == 404
    assert getattr(other_client, method)(url).status_code == 404


@pytest.mark.parametrize("name", ["detail", "statement", "recommend", "release"])
def test_unassigned_reviewer_gets_404(claimed, third_client, name):
    method, url = _review_urls(claimed, statements(claimed)[0])[name]
    assert getattr(third_client, method)(url).status_code == 404


@pytest.mark.parametrize("name", ["detail", "statement", "recommend", "release"])
def test_admin_who_is_not_a_reviewer_gets_404(claimed, admin_client, name):
    method, url = _review_urls(claimed, statements(claimed)[0])[name]
    assert getattr(admin_client, method)(url).status_code == 404


def test_assigned_reviewer_gets_the_page(claimed, reviewer_client, second_client):
    assert reviewer_client.get(detail_url(claimed)).status_code == 200
    assert second_client.get(detail_url(claimed)).status_code == 200


@pytest.mark.parametrize("name", ["statement", "recommend", "release"])
def test_actions_refuse_get(claimed, reviewer_client, name):
    _method, url = _review_urls(claimed, statements(claimed)[0])[name]
    assert reviewer_client.get(url).status_code == 405


def test_review_page_refuses_post(claimed, reviewer_client):
    assert reviewer_client.post(detail_url(claimed)).status_code == 405


# --- Query budget -------------------------------------------------------------------------


def _claimed_application_of_size(domains, competencies, practitioner, reviewer, second_reviewer):
    version = build_framework(domains=domains, competencies_per_domain=competencies)
    application, _file = _submit_with_file(practitioner, version)
    reviewing.application_claim(application=application, reviewer=reviewer)
    reviewing.application_claim(application=application, reviewer=second_reviewer)
    application.refresh_from_db()
    first = application.dossier_statements.first()
    assignment = application.assignments.get(reviewer=reviewer)
    reviewing.statement_review_save(
        assignment=assignment, dossier_statement=first, met=True, comment="Good"
    )
    return application


# Session, user (which carries the reviewer flag), the MFA check
# (authenticator), the claim with its application; then the dossier: active
# assignments, statements, their links with evidence, the evidence's files,
# glossary terms, this round's verdicts; the references received.
REVIEW_PAGE_QUERIES = 11
# Every visit after the first in the same language and wording revision: the frozen
# statements' bodies come rendered from the cache (register/dossier_html.py), so their
# links, evidence, files and glossary terms are not read.
REVIEW_PAGE_QUERIES_CACHED = REVIEW_PAGE_QUERIES - 3


@pytest.mark.parametrize("size", [(2, 3), (7, 10)], ids=["6 statements", "70 statements"])
def test_review_page_query_count_does_not_grow_with_the_dossier(
    size, practitioner, reviewer, second_reviewer, reviewer_client, django_assert_num_queries
):
    application = _claimed_application_of_size(*size, practitioner, reviewer, second_reviewer)
    assert application.dossier_statements.count() == size[0] * size[1]
    with django_assert_num_queries(REVIEW_PAGE_QUERIES):
        response = reviewer_client.get(detail_url(application))
    assert response.status_code == 200


def test_reviewers_lose_the_dossier_and_its_files_once_the_application_is_decided(
    practitioner, reviewer, second_reviewer, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    version = build_framework(domains=7, competencies_per_domain=1)
    item = helpers.make_ready_applicant(practitioner, version)
    evidence_file = helpers.attach_file(item)
    application = applying.application_submit(
        applicant=practitioner, level=1, declarations=helpers.DECLARED
    )
    for person in (reviewer, second_reviewer):
        reviewing.application_claim(application=application, reviewer=person)
    client = client_for(reviewer)
    file_url = reverse("evidence:file_download", args=[evidence_file.pk])
    review_url = reverse("register:review_detail", args=[application.pk])
    assert client.get(file_url).status_code == 200
    assert client.get(review_url).status_code == 200

    helpers.recommend(application, reviewer, "approve")
    helpers.recommend(application, second_reviewer, "approve")
    assert client.get(file_url).status_code == 404
    closed = client.get(review_url).content.decode()
    assert "no longer under review" in closed
    assert "Infant mental health foundation course" not in closed


# --- Reviewing at the speed of reading ----------------------------------------------------------


def domain_met_url(application, number: int) -> str:
    return reverse("register:review_domain_met", args=[application.pk, number])


def _mine(application, reviewer):
    return StatementReview.objects.filter(assignment__reviewer=reviewer).order_by(
        "dossier_statement__competency_code"
    )


def test_all_remaining_in_a_domain_records_one_met_verdict_each_and_keeps_earlier_ones(
    claimed, reviewer, reviewer_client
):
    first = claimed.dossier_statements.get(competency_code="1.01")
    reviewer_client.post(
        save_url(claimed, first),
        {f"s{first.pk}-met": "not_met", f"s{first.pk}-comment": "Say more."},
        **HTMX,
    )

    response = reviewer_client.post(domain_met_url(claimed, 1))

    assert response.status_code == 302
    following = claimed.dossier_statements.get(competency_code="2.01")
    assert response.url.endswith(f"#st-{following.pk}")
    assert [
        (r.dossier_statement.competency_code, r.met, r.comment) for r in _mine(claimed, reviewer)
    ] == [
        ("1.01", False, "Say more."),
        ("1.02", True, ""),
        ("1.03", True, ""),
    ]
    assert "Recorded met for 2 statements in domain 1." in helpers_messages(reviewer_client)


def helpers_messages(client) -> str:
    return client.get(detail_url(Application.objects.get())).content.decode()


def test_all_remaining_is_refused_once_recommended_and_hidden_from_others(
    claimed, reviewer, reviewer_client, third_client
):
    helpers.review_all(claimed.assignments.get(reviewer=reviewer))
    reviewing.application_recommend(
        assignment=claimed.assignments.get(reviewer=reviewer), recommendation="approve", reasons=""
    )
    reviewer_client.post(domain_met_url(claimed, 2))
    assert "You have already made your recommendation" in helpers_messages(reviewer_client)
    assert third_client.post(domain_met_url(claimed, 1)).status_code == 404


def test_a_saved_verdict_points_to_the_next_statement_without_one(claimed, reviewer_client):
    statements = list(claimed.dossier_statements.order_by("domain_number", "competency_code"))
    first, second = statements[0], statements[1]
    response = reviewer_client.post(save_url(claimed, first), {f"s{first.pk}-met": "met"}, **HTMX)
    html = response.content.decode()
    assert f'href="#st-{second.pk}">Next without a verdict' in html
    assert 'id="next-unreviewed-wrap" hx-swap-oob="true"' in html


def test_each_evidence_item_says_how_many_statements_it_serves(claimed, reviewer_client, settings):
    settings.IMHCF_EVIDENCE_WIDE_LINKS = 5
    html = reviewer_client.get(detail_url(claimed)).content.decode()
    assert "This item is the evidence for 6 statements in this application." in html
    assert "evidence-wide" in html
