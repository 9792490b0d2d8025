"""The registrant answers a concern from their own page (issue 14, part 2; PSA Standard 5)."""

import pytest
from django.urls import reverse

from register.errors import RegisterError
from register.models import AuditEvent, Concern, Notification, RegisterEntry
from register.services import concerns
from tests.factories import build_framework
from tests.register import helpers
from tests.register.test_staff_views import client_for, make_admin

C = Concern.Status


@pytest.fixture
def entry(practitioner, reviewer, second_reviewer, db):
    version = build_framework(domains=2, competencies_per_domain=1)
    helpers.approve(helpers.submit(practitioner, version), reviewer, second_reviewer)
    return RegisterEntry.objects.get(practitioner=practitioner)


@pytest.fixture
def handler(db):
    return make_admin("Hana Handler")


@pytest.fixture
def concern(entry, admin_user, handler) -> Concern:
    return helpers.concern_taken_forward(
        entry, admin_user, handler, description="Left the baby crying through the whole visit."
    )


def _respond_url(concern) -> str:
    return reverse("register:my_concern_respond", args=[concern.pk])


def test_the_registrant_responds_on_their_page_and_the_handler_is_told(
    concern, practitioner, practitioner_client, handler
):
    page = practitioner_client.get(reverse("register:my_concern", args=[concern.pk]))
    assert page.status_code == 200
    assert _respond_url(concern) in page.content.decode()

    response = practitioner_client.post(
        _respond_url(concern), {"response": "  The baby was settled before I left.  "}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.response == "The baby was settled before I left."
    assert concern.response_recorded_at is not None
    event = AuditEvent.objects.get(subject=f"concern:{concern.pk}", action="concern_response")
    assert event.actor == practitioner and event.detail == {"by": "registrant"}
    assert Notification.objects.filter(
        recipient=handler, dedupe_key__startswith=f"concern-response:{concern.pk}:"
    ).exists()
    # The handler reads it on the case page.
    case = client_for(handler).get(reverse("register:staff_concern", args=[concern.pk]))
    assert "The baby was settled before I left." in case.content.decode()


def test_an_empty_response_is_refused_and_nothing_is_kept(concern, practitioner_client):
    response = practitioner_client.post(_respond_url(concern), {"response": "   "})
    assert response.status_code == 400
    assert "Write your response" in response.content.decode()
    concern.refresh_from_db()
    assert concern.response == "" and concern.response_recorded_at is None


def test_nobody_else_can_respond_or_learn_the_concern_exists(
    concern, other_client, admin_client, reviewer_client
):
    for client in (other_client, admin_client, reviewer_client):
        assert client.post(_respond_url(concern), {"response": "Not mine."}).status_code == 404
    concern.refresh_from_db()
    assert concern.response == ""


def test_responding_needs_a_post(concern, practitioner_client):
    assert practitioner_client.get(_respond_url(concern)).status_code == 405


def test_no_response_once_the_outcome_is_decided(concern, practitioner, handler):
    concerns.concern_decide(concern=concern, handler=handler, outcome="advice", reasons="Advice.")
    concern.refresh_from_db()
    with pytest.raises(RegisterError):
        concerns.concern_respond(concern=concern, registrant=practitioner, response="Late.")
    page = client_for(practitioner).post(_respond_url(concern), {"response": "Late."})
    assert page.status_code == 400
    concern.refresh_from_db()
    assert concern.response == ""


def test_before_the_invitation_the_concern_is_not_theirs_to_see(
    entry, admin_user, handler, practitioner_client
):
    raised = helpers.raise_concern(entry, description="Left the baby crying.")
    assert practitioner_client.post(_respond_url(raised), {"response": "Hm."}).status_code == 404
