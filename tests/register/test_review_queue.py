"""The reviewers' queue: waiting applications, claiming, my reviews, renewals to judge."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.roles import REVIEWERS_GROUP
from register.models import Application, Renewal, ReviewAssignment
from register.services import renewals, reviewing
from tests.conftest import client_for, enable_totp
from tests.evidence.factories import EvidenceItemFactory
from tests.factories import UserFactory
from tests.register import helpers

QUEUE = reverse("register:review_queue")


def claim_url(application) -> str:
    return reverse("register:review_claim", args=[application.pk])


def make_reviewer(name: str):
    user = UserFactory(full_name=name, groups=[REVIEWERS_GROUP])
    enable_totp(user)
    return user


# --- The list -----------------------------------------------------------------------------


def test_queue_lists_waiting_applications_with_level_round_waiting_time_and_reviewers(
    application, reviewer_client
):
    response = reviewer_client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{application.pk}: Priya Practitioner" in html
    assert "Riverside Health Visiting" in html
    assert "0 of 2" in html
    assert claim_url(application) in html
    assert "Waiting for a reviewer" in html


def test_queue_shows_oldest_first(practitioner, other_practitioner, version, reviewer_client):
    older = helpers.submit(practitioner, version)
    newer = helpers.submit(other_practitioner, version)
    Application.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    html = reviewer_client.get(QUEUE).content.decode()
    assert html.index(f"{older.pk}: Priya") < html.index(f"{newer.pk}: Owen")
    assert "9 days" in html  # waiting time since submission


def test_queue_never_shows_the_reviewers_own_application(reviewer, reviewer_client, version):
    own = helpers.submit(reviewer, version)
    html = reviewer_client.get(QUEUE).content.decode()
    assert claim_url(own) not in html
    assert reviewer_client.post(claim_url(own)).status_code == 404
    assert not ReviewAssignment.objects.exists()


def test_queue_hides_applications_from_the_reviewers_organisation(
    application, reviewer, reviewer_client
):
    helpers.make_profile(reviewer, organisation="  riverside   HEALTH visiting ")
    html = reviewer_client.get(QUEUE).content.decode()
    assert claim_url(application) not in html
    assert "1 waiting application is not shown because of a conflict of interest" in html


def test_claiming_an_application_from_the_same_organisation_is_refused(
    application, reviewer, reviewer_client
):
    helpers.make_profile(reviewer, organisation="Riverside Health Visiting")
    response = reviewer_client.post(claim_url(application), follow=True)
    assert "from your own organisation" in response.content.decode()
    assert not ReviewAssignment.objects.exists()


# --- Claiming -----------------------------------------------------------------------------


def test_two_reviewers_claim_and_a_third_is_refused(
    application, reviewer_client, second_reviewer, reviewer
):
    response = reviewer_client.post(claim_url(application))
    assert response.status_code == 302
    assert response.url == reverse("register:review_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW

    assert client_for(second_reviewer).post(claim_url(application)).status_code == 302

    third = make_reviewer("Tariq Third")
    third_client = client_for(third)
    assert claim_url(application) not in third_client.get(QUEUE).content.decode()
    # Asked directly (a stale page, say), the service refuses the third claim.
    response = third_client.post(claim_url(application), follow=True)
    assert "already has its reviewers" in response.content.decode()
    assert set(
        ReviewAssignment.objects.filter(application=application).values_list("reviewer", flat=True)
    ) == {reviewer.pk, second_reviewer.pk}


def test_claimed_application_moves_to_my_reviews_with_progress(
    application, reviewer, reviewer_client
):
    reviewer_client.post(claim_url(application))
    assignment = ReviewAssignment.objects.get(reviewer=reviewer)
    first = application.dossier_statements.first()
    reviewing.statement_review_save(
        assignment=assignment, dossier_statement=first, met=True, comment=""
    )
    html = reviewer_client.get(QUEUE).content.decode()
    mine = html[html.index("My reviews") : html.index("Waiting for a reviewer")]
    assert reverse("register:review_detail", args=[application.pk]) in mine
    assert "1 of 6" in mine
    assert "No recommendation yet" in mine
    assert claim_url(application) not in html


def test_claiming_twice_is_refused(application, reviewer_client):
    reviewer_client.post(claim_url(application))
    response = reviewer_client.post(claim_url(application), follow=True)
    assert "already claimed" in response.content.decode()
    assert ReviewAssignment.objects.count() == 1


def test_claiming_a_decided_application_is_404(application, reviewer, second_reviewer):
    helpers.approve(application, reviewer, second_reviewer)
    third = make_reviewer("Tariq Third")
    assert client_for(third).post(claim_url(application)).status_code == 404


# --- Access -------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(application, anon_client):
    for response in (anon_client.get(QUEUE), anon_client.post(claim_url(application))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_practitioner_gets_404_for_the_queue_and_claims(
    application, other_client, practitioner_client
):
    assert other_client.get(QUEUE).status_code == 404
    assert other_client.post(claim_url(application)).status_code == 404
    assert practitioner_client.post(claim_url(application)).status_code == 404
    assert not ReviewAssignment.objects.exists()


def test_admin_who_is_not_a_reviewer_gets_404_for_the_queue(admin_client):
    assert admin_client.get(QUEUE).status_code == 404


def test_queue_refuses_post_and_claim_refuses_get(application, reviewer_client):
    assert reviewer_client.post(QUEUE).status_code == 405
    assert reviewer_client.get(claim_url(application)).status_code == 405


def test_reviewer_without_mfa_is_sent_to_set_it_up(application):
    no_mfa = UserFactory(groups=[REVIEWERS_GROUP])
    response = client_for(no_mfa).get(QUEUE)
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")


# --- Renewals needing judgement -------------------------------------------------------------


@pytest.fixture
def renewal(practitioner, due_entry, settings):
    settings.IMHCF_RENEWAL_CPD_HOURS = 15
    entry = due_entry
    EvidenceItemFactory(
        owner=practitioner, start_date=timezone.localdate() - timedelta(days=5), hours=Decimal("4")
    )
    return renewals.renewal_submit(
        entry=entry,
        practitioner=practitioner,
        declarations={"declared_accuracy": True, "declared_conduct": True},
        explanation="I was on maternity leave for seven months.",
    )


def renewal_url(renewal) -> str:
    return reverse("register:renewal_review", args=[renewal.pk])


def test_renewals_needing_judgement_are_listed_with_a_link(renewal, reviewer_client):
    assert renewal.status == Renewal.Status.NEEDS_JUDGEMENT
    html = reviewer_client.get(QUEUE).content.decode()
    assert renewal_url(renewal) in html
    assert renewal.entry.registration_number in html


def test_reviewer_never_sees_their_own_renewal(renewal, practitioner):
    practitioner.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    enable_totp(practitioner)
    client = client_for(practitioner)
    assert renewal_url(renewal) not in client.get(QUEUE).content.decode()
    assert client.get(renewal_url(renewal)).status_code == 404


def test_renewal_page_shows_hours_against_the_requirement_and_the_explanation(
    renewal, reviewer_client
):
    response = reviewer_client.get(renewal_url(renewal))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{renewal.cpd_hours.normalize():f} (needs 15)" in html
    assert "0 (needs 1)" in html  # no equality and inclusion hours logged
    assert "maternity leave" in html


def test_approving_a_renewal_extends_the_entry_by_a_year(renewal, reviewer_client):
    before = renewal.entry.valid_until
    response = reviewer_client.post(
        renewal_url(renewal), {"decision": "approve", "reasons": "Leave explains the shortfall."}
    )
    assert response.status_code == 302
    renewal.refresh_from_db()
    renewal.entry.refresh_from_db()
    assert renewal.status == Renewal.Status.APPROVED
    assert renewal.entry.valid_until == before + timedelta(days=365)
    assert renewal_url(renewal) not in reviewer_client.get(QUEUE).content.decode()


def test_refusing_a_renewal_needs_reasons(renewal, reviewer_client):
    response = reviewer_client.post(renewal_url(renewal), {"decision": "refuse", "reasons": ""})
    assert response.status_code == 400
    assert "Give the reasons" in response.content.decode()
    response = reviewer_client.post(
        renewal_url(renewal), {"decision": "refuse", "reasons": "No CPD at all since March."}
    )
    assert response.status_code == 302
    renewal.refresh_from_db()
    assert renewal.status == Renewal.Status.REFUSED


def test_renewal_page_access(renewal, anon_client, other_client, reviewer_client):
    url = renewal_url(renewal)
    assert anon_client.get(url).url.startswith(reverse("account_login"))
    assert other_client.get(url).status_code == 404
    assert other_client.post(url, {"decision": "approve", "reasons": "x"}).status_code == 404
    assert reviewer_client.put(url).status_code == 405


# --- Query budget -------------------------------------------------------------------------


def _waiting_applications(count: int, version) -> None:
    for n in range(count):
        applicant = UserFactory(full_name=f"Applicant {n}")
        helpers.submit(applicant, version)


# Session, user (which carries the reviewer flag), the MFA check
# (authenticator); then the reviewer's organisation, every waiting application's
# id, organisation and conflict flag, the page's applications with their reviewer
# counts, my claims with progress counts, the renewals needing judgement with
# their entries, and the CPD audits waiting for a reviewer with their renewals
# and entries.
QUEUE_QUERIES = 9


@pytest.mark.parametrize("waiting", [2, 30])
def test_queue_query_count_does_not_grow_with_the_applications(
    waiting, version, reviewer, reviewer_client, practitioner, django_assert_num_queries
):
    _waiting_applications(waiting, version)
    # One claim of the reviewer's own, so "My reviews" has a row to count.
    mine = helpers.submit(practitioner, version)
    reviewing.application_claim(application=mine, reviewer=reviewer)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = reviewer_client.get(QUEUE)
    assert response.status_code == 200
    # Shown 25 at a time, oldest first: 30 waiting are 25 on the first page and 5 on the second.
    assert response.content.decode().count(">Claim<") == min(waiting, 25)
    with django_assert_num_queries(QUEUE_QUERIES):
        second = reviewer_client.get(QUEUE, {"page": 2})
    assert second.content.decode().count(">Claim<") == (5 if waiting == 30 else 2)


def test_the_waiting_list_pages_oldest_first_and_counts_conflicts_across_pages(
    version, reviewer, reviewer_client
):
    helpers.make_profile(reviewer, organisation="Riverside Trust")
    _waiting_applications(27, version)
    # Two from the reviewer's own organisation, the newest: hidden, and counted on every page.
    for n in range(2):
        applicant = UserFactory(full_name=f"Colleague {n}")
        application = helpers.submit(applicant, version)
        Application.objects.filter(pk=application.pk).update(organisation="riverside  trust")
    oldest = list(
        Application.objects.filter(applicant__full_name__startswith="Applicant")
        .order_by("submitted_at", "id")
        .values_list("pk", flat=True)
    )
    first = reviewer_client.get(QUEUE).content.decode()
    second = reviewer_client.get(QUEUE, {"page": 2}).content.decode()
    assert f"Application {oldest[0]}:" in first and f"Application {oldest[24]}:" in first
    assert f"Application {oldest[25]}:" not in first
    assert f"Application {oldest[25]}:" in second and f"Application {oldest[26]}:" in second
    assert "Colleague" not in first + second
    assert first.count("2 waiting applications are not shown") == 1
    assert second.count("2 waiting applications are not shown") == 1
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    # Past the last page shows the last page, never an error.
    assert ">Claim<" in reviewer_client.get(QUEUE, {"page": 9}).content.decode()
