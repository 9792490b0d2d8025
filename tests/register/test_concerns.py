"""Concerns that are heard and shown (issue 14, part 2; PSA Standards 2 and 5)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from register.errors import RegisterError
from register.models import AuditEvent, Concern, Notification, RegisterEntry
from register.services import applying, concern_appeals, concerns
from tests.factories import UserFactory, build_framework
from tests.register import helpers
from tests.register.test_staff_views import client_for, make_admin

C = Concern.Status


@pytest.fixture
def version(db):
    return build_framework(domains=2, competencies_per_domain=1)


@pytest.fixture
def entry(practitioner, reviewer, second_reviewer, version):
    helpers.approve(helpers.submit(practitioner, version), reviewer, second_reviewer)
    return RegisterEntry.objects.get(practitioner=practitioner)


@pytest.fixture
def handler(db):
    return make_admin("Hana Handler")


FORM = {
    "registrant_named": "",
    "description": "She shouted at a mother during a home visit and left the baby crying.",
    "raiser_name": "Pat Parent",
    "raiser_email": "pat@example.org",
    "raiser_relationship": "A parent she visited",
    "website": "",
}


def _raise(client, entry, **overrides):
    return client.post(
        reverse("register:concern_start"),
        {**FORM, "registrant_named": entry.registration_number, **overrides},
    )


def _investigating(entry, admin, handler) -> Concern:
    return helpers.concern_taken_forward(
        entry,
        admin,
        handler,
        invite=False,
        description="Left the baby crying through the whole visit.",
    )


# --- The public form ----------------------------------------------------------------------------


def test_anyone_can_raise_a_concern_and_is_acknowledged(client, entry, admin_user):
    page = client.get(reverse("register:concern_start"))
    assert page.status_code == 200
    assert "What happens to your concern" in page.content.decode()

    response = _raise(client, entry)
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert (concern.entry, concern.status) == (entry, C.RECEIVED)
    ack = Notification.objects.get(dedupe_key=f"concern-ack:{concern.pk}")
    assert ack.to_email == "pat@example.org" and concern.reference in ack.subject
    assert Notification.objects.filter(
        recipient=admin_user, dedupe_key__startswith=f"concern-staff:{concern.pk}"
    ).exists()
    assert AuditEvent.objects.filter(subject=f"concern:{concern.pk}", action="concern_raise")


def test_a_concern_found_by_name_when_only_one_listed_entry_has_it(client, entry):
    _raise(client, entry, registrant_named=f"  {entry.display_name.upper()} ")
    assert Concern.objects.get().entry == entry


def test_the_honeypot_takes_the_spam_and_keeps_nothing(client, entry):
    response = _raise(client, entry, website="http://cheap-pills.example")
    assert response.status_code == 302  # the same answer a person gets
    assert not Concern.objects.exists()
    assert not Notification.objects.filter(to_email="pat@example.org").exists()


def test_the_form_is_rate_limited_per_address(client, entry, settings):
    settings.IMHCF_CONCERN_RATE = "2/h"
    cache.clear()
    answers = [_raise(client, entry).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    assert Concern.objects.count() == 2
    cache.clear()


def test_a_concern_needs_a_description_and_a_way_to_reply(client, entry):
    response = _raise(client, entry, description="", raiser_email="not an address")
    assert response.status_code == 400
    assert not Concern.objects.exists()


# --- Handling a case ------------------------------------------------------------------------------


def test_the_case_handler_must_be_staff_with_mfa(entry, admin_user):
    concern = helpers.raise_concern(entry, description="Something happened.")
    without_mfa = UserFactory(is_staff=True)
    with pytest.raises(RegisterError, match="two-factor"):
        concerns.concern_triage(
            concern=concern, admin=admin_user, take_forward=True, handler=without_mfa, reasons="R"
        )


def test_a_concern_not_taken_forward_is_closed_and_the_raiser_told_why(entry, admin_user):
    concern = helpers.raise_concern(
        entry, raiser_relationship="Neighbour", description="I do not like her car."
    )
    concerns.concern_triage(
        concern=concern, admin=admin_user, take_forward=False, reasons="Not about practice."
    )
    concern.refresh_from_db()
    assert concern.status == C.CLOSED
    told = Notification.objects.get(dedupe_key=f"concern-closed:{concern.pk}")
    assert "Not about practice." in told.body


def test_no_outcome_before_the_registrant_is_invited_to_respond(entry, admin_user, handler):
    concern = _investigating(entry, admin_user, handler)
    with pytest.raises(RegisterError, match="must be heard"):
        concerns.concern_decide(
            concern=concern, handler=handler, outcome="advice", reasons="Reflect on it."
        )


def test_conditions_reach_the_public_entry_and_verify_with_dates(
    entry, practitioner, admin_user, handler, client
):
    concern = _investigating(entry, admin_user, handler)
    concerns.concern_invite_response(concern=concern, handler=handler)
    assert Notification.objects.filter(
        recipient=practitioner, dedupe_key__startswith=f"concern-invite:{concern.pk}"
    ).exists()
    concerns.concern_record_response(
        concern=concern, handler=handler, response="I was exhausted; I have since had supervision."
    )
    concerns.concern_decide(
        concern=concern,
        handler=handler,
        outcome="conditions",
        reasons="A lapse, acknowledged; supervision should continue.",
        public_text="Must have monthly clinical supervision until 1 June 2027.",
    )
    entry.refresh_from_db()
    assert (entry.status, entry.restriction) == (
        RegisterEntry.Status.ACTIVE,
        "Must have monthly clinical supervision until 1 June 2027.",
    )
    page = client.get(reverse("register:entry", args=[entry.registration_number]))
    body = page.content.decode()
    assert "Registered with conditions on practice" in body
    assert "Must have monthly clinical supervision until 1 June 2027." in body
    assert "Conditions on practice</span>, decided on" in body
    verify = client.get(reverse("register:verify", args=[entry.registration_number]))
    assert "with conditions on their practice" in verify.content.decode()
    actions = list(
        AuditEvent.objects.filter(subject=f"concern:{concern.pk}").values_list("action", flat=True)
    )
    assert actions == [
        "concern_raise",
        "concern_triage",
        "concern_invite",
        "concern_response",
        "concern_decide",
    ]
    assert AuditEvent.objects.filter(entry=entry, action="conditions").exists()


def test_the_registrant_appeals_to_someone_uninvolved_who_lifts_the_conditions(
    entry, practitioner, admin_user, handler, client
):
    concern = _investigating(entry, admin_user, handler)
    concerns.concern_invite_response(concern=concern, handler=handler)
    concerns.concern_decide(
        concern=concern, handler=handler, outcome="conditions", reasons="R.", public_text="Cond."
    )
    mine = client_for(practitioner)
    url = reverse("register:my_concern", args=[concern.pk])
    assert "Appeal the outcome" in mine.get(url).content.decode()
    mine.post(url, {"statement": "The visit notes show the baby was settled when I left."})
    concern.refresh_from_db()
    assert concern.status == C.APPEALED

    for involved in (admin_user, handler):
        with pytest.raises(RegisterError, match="took part"):
            concern_appeals.concern_appeal_decide(
                concern=concern, admin=involved, upheld=True, reasons="Fine."
            )
    outsider = make_admin("Olu Outsider")
    concern_appeals.concern_appeal_decide(
        concern=concern, admin=outsider, upheld=True, reasons="The notes bear her out."
    )
    entry.refresh_from_db()
    assert entry.restriction == ""
    body = client.get(reverse("register:entry", args=[entry.registration_number])).content
    assert b"Decisions on concerns" not in body


def test_another_practitioner_cannot_see_the_concern(
    entry, other_practitioner, admin_user, handler
):
    concern = _investigating(entry, admin_user, handler)
    concerns.concern_invite_response(concern=concern, handler=handler)
    url = reverse("register:my_concern", args=[concern.pk])
    assert client_for(other_practitioner).get(url).status_code == 404


def test_a_removed_registrant_needs_a_staff_decision_to_apply_again(
    entry, practitioner, admin_user, handler, version
):
    concern = _investigating(entry, admin_user, handler)
    concerns.concern_invite_response(concern=concern, handler=handler)
    concerns.concern_decide(concern=concern, handler=handler, outcome="removal", reasons="Grave.")
    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.REMOVED
    with pytest.raises(RegisterError, match="removed from the register"):
        applying.application_submit(applicant=practitioner, level=1, declarations=helpers.DECLARED)

    response = client_for(admin_user).post(
        reverse("register:staff_entry_action", args=[entry.pk, "readmit"]),
        {"readmit-reason": "Three years on, with retraining evidence."},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.readmission_allowed
    applying.application_submit(applicant=practitioner, level=1, declarations=helpers.DECLARED)


def test_outcomes_older_than_the_published_period_are_not_shown(
    entry, admin_user, handler, client, settings
):
    settings.IMHCF_CONCERN_PUBLISH_YEARS = 5
    concern = _investigating(entry, admin_user, handler)
    concerns.concern_invite_response(concern=concern, handler=handler)
    concerns.concern_decide(
        concern=concern, handler=handler, outcome="conditions", reasons="R.", public_text="Old."
    )
    url = reverse("register:entry", args=[entry.registration_number])
    assert b"Decisions on concerns" in client.get(url).content
    Concern.objects.filter(pk=concern.pk).update(
        decided_at=timezone.now() - timedelta(days=365 * 5 + 1)
    )
    assert b"Decisions on concerns" not in client.get(url).content


def test_staff_pages_walk_a_case(entry, admin_user, handler):
    concern = helpers.raise_concern(entry, description="Something happened at the clinic.")
    staff = client_for(admin_user)
    assert concern.reference in staff.get(reverse("register:staff_concerns")).content.decode()
    url = reverse("register:staff_concern_action", args=[concern.pk, "triage"])
    refused = staff.post(url, {"triage-take_forward": "yes", "triage-reasons": "Serious."})
    assert refused.status_code == 400  # no handler chosen
    staff.post(
        url,
        {"triage-take_forward": "yes", "triage-handler": handler.pk, "triage-reasons": "Serious."},
    )
    concern.refresh_from_db()
    assert (concern.status, concern.handler) == (C.INVESTIGATING, handler)
    mine = client_for(handler)
    mine.post(reverse("register:staff_concern_action", args=[concern.pk, "invite"]))
    mine.post(
        reverse("register:staff_concern_action", args=[concern.pk, "decide"]),
        {"decide-outcome": "advice", "decide-reasons": "Advice on record keeping."},
    )
    concern.refresh_from_db()
    assert (concern.status, concern.outcome) == (C.DECIDED, "advice")
