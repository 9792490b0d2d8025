"""The dashboard: where signing in lands, and what it tells each role to do next."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard import panels
from evidence.models import EvidenceItem
from register.services import reviewing
from selfassess import services as assess
from selfassess.models import Assessment
from tests.factories import PASSWORD, build_framework
from tests.register.helpers import make_profile, make_ready_applicant, submit
from tests.selfassess.conftest import rate

URL = "/dashboard/"


def _next_step(client) -> str:
    html = client.get(URL).content.decode()
    return html.split('class="fs-5 fw-semibold mb-1">')[1].split("</p>")[0]


def test_signing_in_lands_on_the_dashboard(client, practitioner):
    response = client.post(
        reverse("account_login"), {"login": practitioner.email, "password": PASSWORD}
    )
    assert response.url == URL


def test_anonymous_visitors_are_asked_to_sign_in(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_new_practitioner_is_asked_for_their_profile_first(practitioner_client, framework):
    assert _next_step(practitioner_client) == "Tell us about your work"


def test_practitioner_is_told_which_domain_to_carry_on_with(
    practitioner_client, practitioner, framework
):
    make_profile(practitioner)  # aiming at Level 1
    assessment = assess.assessment_start(user=practitioner)
    rate(assessment, {(f"1.0{i}", 1): "achieved" for i in (1, 2, 3)})
    html = practitioner_client.get(URL).content.decode()
    assert _next_step(practitioner_client) == "Carry on with domain 2: Domain 2"
    assert "3 of 21 statements achieved" in html
    assert "3 Achieved statements need evidence" in html
    assert 'href="/assessment/domains/2/"' in html


def test_practitioner_with_everything_achieved_is_told_what_needs_evidence(
    practitioner_client, practitioner, framework
):
    item = make_ready_applicant(practitioner, framework, level=1)
    item.links.filter(statement__competency__code="3.02").delete()
    assert _next_step(practitioner_client) == "1 Achieved statement needs evidence"


def test_practitioner_ready_to_apply_is_told_so(practitioner_client, practitioner, framework):
    make_ready_applicant(practitioner, framework, level=1)
    assert _next_step(practitioner_client) == "You are ready to apply for Level 1"


def test_an_application_with_reviewers_is_shown_with_its_date(
    practitioner_client, practitioner, framework
):
    application = submit(practitioner, framework, level=1)
    html = practitioner_client.get(URL).content.decode()
    assert _next_step(practitioner_client) == "Your application is with the reviewers"
    assert f"/register/applications/{application.pk}/" in html
    assert timezone.localtime(application.submitted_at).strftime("%-d %B %Y") in html


def test_cpd_hours_are_shown_against_what_renewal_asks(
    practitioner_client, practitioner, framework, settings
):
    settings.IMHCF_RENEWAL_CPD_HOURS = 15
    make_profile(practitioner)
    for hours, equality in ((Decimal("1.50"), False), (Decimal("1"), True)):
        EvidenceItem.objects.create(
            owner=practitioner,
            kind=EvidenceItem.Kind.TRAINING,
            title="Course",
            start_date=date.today() - timedelta(days=10),
            hours=hours,
            equality_inclusion=equality,
        )
    html = practitioner_client.get(URL).content.decode()
    assert "2.5 hours of the 15 hours renewal asks for each year." in html
    assert "Equality and inclusion: 1 hour of 1 hour." in html


def test_reviewer_sees_how_many_wait_and_their_claims_with_due_dates(
    reviewer_client, reviewer, practitioner, other_practitioner, framework, settings
):
    settings.IMHCF_CLAIM_STALE_DAYS = 14
    first = submit(practitioner, framework, level=1)
    submit(other_practitioner, framework, level=1)
    reviewing.application_claim(application=first, reviewer=reviewer)
    html = reviewer_client.get(URL).content.decode()
    assert "1 application waiting" in html
    assert "The oldest arrived today." in html
    assert f"Application {first.pk}, Level 1" in html
    assert "0 of 21 statements reviewed" in html
    due = (timezone.localdate() + timedelta(days=14)).strftime("%-d %B %Y")
    assert f"work on it by {due}" in html
    # No applicant's name on a page outside the MFA-guarded review pages.
    assert practitioner.full_name not in html


def test_staff_see_what_needs_a_decision(admin_client, practitioner, framework):
    submit(practitioner, framework, level=1)
    html = admin_client.get(URL).content.decode()
    # Only what is waiting is listed: no line of noughts.
    assert "applications with a moderator" not in html
    assert "1 application not yet claimed by a reviewer" in html


def test_staff_with_nothing_waiting_are_told_so(admin_client):
    html = admin_client.get(URL).content.decode()
    assert "Nothing is waiting for a decision" in html
    assert "0 appeals" not in html


def test_a_reviewer_without_claims_is_pointed_to_the_queue(
    reviewer_client, practitioner, framework
):
    submit(practitioner, framework, level=1)
    html = reviewer_client.get(URL).content.decode()
    assert "You have no applications claimed." in html
    assert "Claim one from the review queue" in html


def test_a_higher_app_adds_a_panel_without_the_dashboard_importing_it(
    practitioner_client, practitioner, framework, monkeypatch
):
    monkeypatch.setattr(panels, "_panels", dict(panels._panels))

    @panels.panel(
        "test-team", section=panels.PRACTITIONER, template="dashboard/_messages.html", order=1
    )
    def team(request):
        return {"notifications": []} if request.user == practitioner else None

    html = practitioner_client.get(URL).content.decode()
    assert html.index("Recent messages") < html.index("Next step")


def test_panels_refuse_an_unknown_section():
    with pytest.raises(ValueError, match="Unknown dashboard section"):
        panels.panel("x", section="elsewhere", template="x.html")


def test_dashboard_query_budget_does_not_grow_with_the_framework(
    practitioner_client, practitioner, sized_framework, django_assert_num_queries
):
    make_ready_applicant(practitioner, sized_framework, level=1)
    practitioner_client.get(URL)
    # session, user; profile, applications, register entries, assessment,
    # domains, progress counts, evidence counts, achieved ratings; CPD hours;
    # messages; teams the person leads (workforce's panel).
    with django_assert_num_queries(13):
        practitioner_client.get(URL)


@pytest.fixture(params=["shipped", "generated"])
def sized_framework(request, db):
    if request.param == "shipped":
        return request.getfixturevalue("shipped_framework")
    return build_framework(domains=7, competencies_per_domain=30)


def test_completed_assessment_only_is_asked_to_start_the_next(
    practitioner_client, practitioner, framework
):
    make_profile(practitioner)
    assessment = assess.assessment_start(user=practitioner)
    assess.assessment_complete(assessment=assessment, target_level=1)
    Assessment.objects.filter(user=practitioner, status="in_progress").delete()
    assert _next_step(practitioner_client) == "Start your next self-assessment"
