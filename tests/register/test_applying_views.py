"""Applying for recognition: the task list, "check your answers" and submitting."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Consent
from accounts.selectors import consent_active
from evidence import services as evidence_services
from evidence.models import EvidenceItem
from register.models import Application, DossierEvidence, DossierFile, DossierStatement
from selfassess.models import Rating
from tests.conftest import refused_page
from tests.factories import build_framework
from tests.register.helpers import attach_file, make_profile, make_ready_applicant, submit

pytestmark = pytest.mark.usefixtures("private_storage")


APPLY = reverse("register:apply")
ALL_DECLARATIONS = {
    "declared_accuracy": "on",
    "declared_conduct": "on",
    "consented_review": "on",
    "consented_publication": "on",
}


@pytest.fixture
def framework(db):
    # 7 domains x 2 competencies: 14 statements at each level.
    return build_framework(domains=7, competencies_per_domain=2)


@pytest.fixture
def ready(practitioner, framework):
    item = make_ready_applicant(practitioner, framework, level=1)
    attach_file(item, name="course-certificate.pdf")
    return item


def check_url(level: int = 1) -> str:
    return reverse("register:apply_check", args=[level])


def submit_url(level: int = 1) -> str:
    return reverse("register:apply_submit", args=[level])


def refused_submit(client, applicant, declarations: dict) -> str:
    """Submitting at Level 1 with ``declarations`` is refused (400) and makes no application for
    ``applicant``; returns the page it answers with."""
    page = refused_page(client.post(submit_url(1), declarations))
    assert not Application.objects.filter(applicant=applicant).exists()
    return page


# The task list ------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_from_the_apply_page(anon_client, framework):
    response = anon_client.get(APPLY)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_apply_page_refuses_post(practitioner_client, framework):
    assert practitioner_client.post(APPLY).status_code == 405


def test_fresh_practitioner_sees_exactly_what_is_missing_and_where_to_fix_it(
    practitioner_client, framework
):
    response = practitioner_client.get(APPLY)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your profile has not been filled in." in page
    assert "Start a self-assessment against the current framework." in page
    assert "14 statements have no evidence linked:" in page
    assert "1.01 L1" in page
    # Each unmet task links to where it is fixed; the profile comes back here afterwards.
    assert f'href="{reverse("selfassess:profile")}?next=' in page
    assert f'href="{reverse("selfassess:overview")}"' in page
    assert f'href="{reverse("evidence:list")}"' in page
    assert page.count("Not done yet") == 3
    assert "Cannot start yet" in page
    assert check_url(1) not in page


def test_task_list_names_the_statements_not_yet_rated_achieved(
    practitioner, practitioner_client, framework
):
    make_ready_applicant(practitioner, framework, level=1)
    Rating.objects.filter(
        assessment__user=practitioner, statement__competency__code="3.02", statement__level=1
    ).update(value=Rating.Value.WORKING_TOWARDS)

    page = practitioner_client.get(APPLY).content.decode()

    assert "1 statement is not rated Achieved (or needs re-confirming):" in page
    # The statement links to its competency in the grid, where it is rated.
    assert f'href="{reverse("selfassess:grid", args=[3])}#c-3.02">3.02 L1</a>' in page
    assert page.count("Not done yet") == 1


def test_task_list_defaults_to_the_profile_target_level_and_can_be_switched(
    practitioner, practitioner_client, framework
):
    profile = make_profile(practitioner)
    profile.target_level = 2
    profile.save()

    default = practitioner_client.get(APPLY).content.decode()
    chosen = practitioner_client.get(APPLY, {"level": 3}).content.decode()
    nonsense = practitioner_client.get(APPLY, {"level": "9"}).content.decode()

    assert "What Level 2 needs" in default
    assert "28 statements have no evidence linked:" in default
    assert "What Level 3 needs" in chosen
    assert "42 statements have no evidence linked:" in chosen
    assert "What Level 2 needs" in nonsense


def test_ready_practitioner_sees_every_task_done_and_can_continue(practitioner_client, ready):
    page = practitioner_client.get(APPLY).content.decode()

    assert page.count(">Done<") == 3
    assert "Not done yet" not in page
    assert "Ready to start" in page
    assert f'href="{check_url(1)}"' in page


def test_apply_page_says_so_and_links_to_an_open_application(
    practitioner, practitioner_client, framework
):
    application = submit(practitioner, framework)

    page = practitioner_client.get(APPLY).content.decode()

    assert "You already have an application in progress" in page
    assert reverse("register:application_detail", args=[application.pk]) in page
    assert check_url(1) not in page


# Check your answers ---------------------------------------------------------------------------


def test_check_page_shows_statements_by_domain_with_rating_and_evidence_details(
    practitioner_client, ready
):
    response = practitioner_client.get(check_url(1))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Check your answers before applying" in page
    assert "1. Domain 1" in page and "7. Domain 7" in page
    assert "Statement 1.01 level 1." in page
    assert "Statement 1.01 level 2." not in page
    assert page.count("Your rating:") == 14
    assert "Achieved" in page
    # The evidence item with its date, hours and file name.
    assert "Infant mental health foundation course" in page
    assert "3 February 2026" in page
    assert "12 hours" in page
    assert "course-certificate.pdf" in page
    assert "Supports 14 statements here." in page


def test_check_page_has_the_four_declarations_with_explanations_and_submits_by_post(
    practitioner_client, ready
):
    page = practitioner_client.get(check_url(1)).content.decode()

    for name in ALL_DECLARATIONS:
        assert f'name="{name}"' in page
    assert "The information in my application is accurate" in page
    assert "code of conduct" in page
    assert "two reviewers reading my application" in page
    assert "published on the register" in page
    assert "Nothing else about you is published." in page
    assert f'method="post" action="{submit_url(1)}"' in page


def test_check_page_sends_an_unready_practitioner_back_to_the_task_list(
    practitioner_client, framework
):
    response = practitioner_client.get(check_url(2), follow=True)

    assert response.redirect_chain[-1][0] == f"{APPLY}?level=2"
    assert "Your application is not ready yet." in response.content.decode()


def test_check_page_for_a_level_that_does_not_exist_is_404(practitioner_client, ready):
    assert practitioner_client.get(check_url(4)).status_code == 404
    assert practitioner_client.post(submit_url(0), ALL_DECLARATIONS).status_code == 404


def test_check_page_with_an_open_application_goes_to_that_application(
    practitioner, practitioner_client, framework
):
    application = submit(practitioner, framework)

    response = practitioner_client.get(check_url(1))

    assert response.status_code == 302
    assert response["Location"] == reverse("register:application_detail", args=[application.pk])


def test_anonymous_visitor_is_sent_to_sign_in_from_the_check_page(anon_client, framework):
    response = anon_client.get(check_url(1))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_check_page_refuses_post(practitioner_client, ready):
    assert practitioner_client.post(check_url(1), ALL_DECLARATIONS).status_code == 405


# Submitting -----------------------------------------------------------------------------------


def test_submitting_creates_one_application_with_a_frozen_dossier(
    practitioner, practitioner_client, ready
):
    response = practitioner_client.post(submit_url(1), ALL_DECLARATIONS, follow=True)

    application = Application.objects.get(applicant=practitioner)
    assert response.redirect_chain == [
        (reverse("register:application_detail", args=[application.pk]), 302)
    ]
    assert "Your application for Level 1 is submitted." in response.content.decode()
    assert application.status == Application.Status.SUBMITTED
    assert application.level == 1
    assert application.consented_publication and application.declared_conduct
    assert DossierStatement.objects.filter(application=application, round=1).count() == 14
    frozen = DossierEvidence.objects.get(application=application)
    assert frozen.title == "Infant mental health foundation course"
    assert DossierFile.objects.get(evidence=frozen).original_name == "course-certificate.pdf"


def test_submit_without_every_declaration_is_refused_and_keeps_the_ticked_ones(
    practitioner, practitioner_client, ready
):
    ticked = {k: v for k, v in ALL_DECLARATIONS.items() if k != "consented_publication"}

    page = refused_submit(practitioner_client, practitioner, ticked)

    assert "There is a problem" in page
    assert 'href="#id_consented_publication"' in page
    assert page.count("checked") == 3


def test_a_submit_the_service_refuses_returns_to_the_check_page_with_the_message(
    practitioner, practitioner_client, ready
):
    # Between opening the check page and submitting, a rating changed.
    Rating.objects.filter(assessment__user=practitioner, statement__level=1).filter(
        statement__competency__code="2.01"
    ).update(value=Rating.Value.WORKING_TOWARDS)

    page = refused_submit(practitioner_client, practitioner, ALL_DECLARATIONS)

    assert "The application is not ready yet" in page
    assert "Check your answers before applying" in page
    assert page.count("checked") == 4


def test_double_submit_makes_one_application_and_shows_it(practitioner, practitioner_client, ready):
    first = practitioner_client.post(submit_url(1), ALL_DECLARATIONS)
    second = practitioner_client.post(submit_url(1), ALL_DECLARATIONS, follow=True)

    application = Application.objects.get(applicant=practitioner)
    detail = reverse("register:application_detail", args=[application.pk])
    assert first["Location"] == detail
    assert second.redirect_chain == [(detail, 302)]
    assert "You already have an application in progress" in second.content.decode()


def test_submit_by_get_is_405(practitioner_client, ready):
    assert practitioner_client.get(submit_url(1)).status_code == 405


def test_anonymous_submit_is_sent_to_sign_in(anon_client, framework):
    response = anon_client.post(submit_url(1), ALL_DECLARATIONS)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Application.objects.exists()


def test_submit_applies_for_the_signed_in_practitioner_only(
    practitioner, other_practitioner, other_client, ready
):
    # The other practitioner has nothing ready; the practitioner's readiness never counts for them.
    response = other_client.post(submit_url(1), ALL_DECLARATIONS)

    assert response.status_code == 400
    assert not Application.objects.exists()


# The frozen dossier afterwards ------------------------------------------------------------------


def test_editing_evidence_after_submit_does_not_change_the_dossier(
    practitioner, practitioner_client, ready
):
    practitioner_client.post(submit_url(1), ALL_DECLARATIONS)
    application = Application.objects.get(applicant=practitioner)

    evidence_services.evidence_item_update(
        item=ready, data={"title": "Renamed afterwards", "hours": Decimal("99")}
    )

    frozen = DossierEvidence.objects.get(application=application)
    assert (frozen.title, frozen.hours) == ("Infant mental health foundation course", Decimal("12"))
    page = practitioner_client.get(
        reverse("register:application_detail", args=[application.pk])
    ).content.decode()
    assert "Infant mental health foundation course" in page
    assert "Renamed afterwards" not in page


def test_deleting_evidence_in_a_submitted_dossier_is_refused_with_a_message(
    practitioner, practitioner_client, ready
):
    practitioner_client.post(submit_url(1), ALL_DECLARATIONS)

    response = practitioner_client.post(
        reverse("evidence:item_delete", args=[ready.pk]), follow=True
    )

    assert "part of an application you have submitted" in response.content.decode()
    assert EvidenceItem.objects.filter(pk=ready.pk).exists()
    assert ready.files.count() == 1


def test_submitting_records_consent_to_publication_with_its_wording(db, practitioner):
    submit(practitioner, build_framework(domains=1, competencies_per_domain=1))

    consent = consent_active(practitioner, Consent.Purpose.REGISTER_PUBLICATION)
    assert consent is not None
    assert "published on the register" in consent.wording
    assert "registration_number" in consent.terms["published"]
