"""Referees who vouch (issue 14, part 1): naming them, the link, answers, replacing, waiving."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent
from register.errors import RegisterError
from register.models import (
    Application,
    AuditEvent,
    Notification,
    Reference,
    ReferenceLink,
)
from register.services import applying, notifications, reference_links, references, reviewing
from tests.factories import build_framework
from tests.register import helpers
from tests.security.scenes import REFEREES, logged_in

pytestmark = pytest.mark.referees

R = Reference.Status
A = Application.Status


@pytest.fixture
def version(db):
    return build_framework(domains=3, competencies_per_domain=1)


@pytest.fixture
def application(practitioner, version):
    helpers.make_ready_applicant(practitioner, version)
    return applying.application_submit(
        applicant=practitioner,
        level=1,
        declarations=helpers.DECLARED,
        referees=[references.Referee(*referee) for referee in REFEREES],
    )


def _send(reference) -> str:
    """Send the reference's pending emails as the worker would; the link in the last one."""
    sent = []
    for notification in Notification.objects.filter(reference=reference, email_status="pending"):
        notifications.notification_send(notification_id=notification.pk)
        sent.append(notification)
    assert sent, "an email should be waiting"
    body = mail.outbox[-1].body
    return re.search(r"http://\S+/references/(\S+)/", body).group(1)


def _open(token: str) -> Client:
    client = Client()
    response = client.get(reverse("register:referee_link", args=[token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("register:referee_respond")
    return client


def _answer_data(version, **overrides) -> dict:
    # The framework's three domains, the second one the referee cannot say about.
    return helpers.referee_answer(range(1, 4), **{"answer-domain_2": "cant_say", **overrides})


def _respond(application, reference, version) -> Client:
    client = _open(_send(reference))
    response = client.post(reverse("register:referee_respond"), _answer_data(version))
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


# --- Submitting with referees --------------------------------------------------------------


def test_an_application_with_referees_waits_for_them_and_records_consent(application, practitioner):
    assert application.status == A.AWAITING_REFERENCES
    refs = list(application.references.order_by("pk"))
    assert [(r.kind, r.status) for r in refs] == [
        ("line_manager", R.REQUESTED),
        ("supervisor", R.REQUESTED),
    ]
    consent = Consent.objects.get(
        user=practitioner, purpose=Consent.Purpose.REFERENCES, scope=f"application:{application.pk}"
    )
    assert consent.terms == {"referees": ["mo@example.org", "sue@example.org"]}
    # Not in the queue yet.
    with pytest.raises(RegisterError):
        reviewing.application_claim(application=application, reviewer=_reviewer_for(application))


def _reviewer_for(application):
    from tests.factories import UserFactory

    return UserFactory(groups=["Reviewers"])


def test_the_same_person_cannot_be_both_referees(practitioner, version):
    helpers.make_ready_applicant(practitioner, version)
    twice = [references.Referee(kind, "Mo", "x", "mo@example.org", "y") for kind, *_ in REFEREES]
    with pytest.raises(RegisterError, match="different person"):
        applying.application_submit(
            applicant=practitioner, level=1, declarations=helpers.DECLARED, referees=twice
        )
    assert not Application.objects.exists()


def test_the_check_page_asks_for_each_referee_and_submits(practitioner, version):
    helpers.make_ready_applicant(practitioner, version)
    client = logged_in(practitioner)
    page = client.get(reverse("register:apply_check", args=[1])).content.decode()
    assert "Line manager" in page and "Clinical or reflective supervisor" in page
    data = dict.fromkeys(applying.DECLARATIONS, "on")
    for kind, name, role, email, relationship in REFEREES:
        data.update(
            {
                f"{kind}-name": name,
                f"{kind}-role": role,
                f"{kind}-email": email,
                f"{kind}-relationship": relationship,
            }
        )
    refused = client.post(reverse("register:apply_submit", args=[1]), data)
    assert refused.status_code == 400  # the consent to contact them is missing
    data["consent_references"] = "on"
    response = client.post(reverse("register:apply_submit", args=[1]), data)
    assert response.status_code == 302
    application = Application.objects.get(applicant=practitioner)
    assert application.status == A.AWAITING_REFERENCES
    assert application.references.count() == 2


# --- The link ------------------------------------------------------------------------------


def test_only_the_hash_of_the_link_is_stored_and_no_stored_email_holds_it(application):
    reference = application.references.order_by("pk").first()
    token = _send(reference)
    link = ReferenceLink.objects.get(reference=reference)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Notification.objects.filter(body__contains=token).exists()
    assert not AuditEvent.objects.filter(reason__contains=token).exists()
    assert "[[reference-link]]" in Notification.objects.get(reference=reference).body


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature broken
        lambda t: "1" + t,  # another reference id, same signature
        lambda t: t.split(":")[0] + ":AAAAAA:" + t.split(":")[-1],  # timestamp altered
        lambda t: "x" * 400,
    ],
)
def test_a_guessed_or_altered_link_answers_404(application, tamper):
    token = _send(application.references.first())
    response = Client().get(reverse("register:referee_link", args=[tamper(token)]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_an_expired_link_answers_404(application, settings):
    token = _send(application.references.first())
    ReferenceLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(reverse("register:referee_link", args=[token])).status_code == 404


def test_the_link_works_once(application, version):
    reference = application.references.order_by("pk").first()
    token = _send(reference)
    client = _open(token)
    assert (
        client.post(reverse("register:referee_respond"), _answer_data(version)).status_code == 302
    )
    # Reused: the link, the session and a replayed form are all dead.
    assert Client().get(reverse("register:referee_link", args=[token])).status_code == 404
    assert client.get(reverse("register:referee_respond")).status_code == 404
    replay = client.post(reverse("register:referee_respond"), _answer_data(version))
    assert replay.status_code == 404
    assert (
        AuditEvent.objects.filter(
            subject=f"reference:{reference.pk}", action="reference_respond"
        ).count()
        == 1
    )


def test_the_referee_pages_are_rate_limited(application, settings):
    settings.IMHCF_REFERENCE_RATE = "3/h"
    cache.clear()
    client = Client()
    answers = [
        client.get(reverse("register:referee_link", args=["nonsense"])).status_code
        for _ in range(4)
    ]
    assert answers == [404, 404, 404, 429]
    cache.clear()


# --- The referee answers ------------------------------------------------------------------


def test_the_referee_answers_each_domain_and_the_application_joins_the_queue(
    application, version, reviewer
):
    first, second = application.references.order_by("pk")
    _respond(application, first, version)
    first.refresh_from_db()
    assert first.status == R.RECEIVED
    assert [a["answer"] for a in first.answers] == ["yes", "cant_say", "yes"]
    application.refresh_from_db()
    assert application.status == A.AWAITING_REFERENCES

    _respond(application, second, version)
    application.refresh_from_db()
    assert application.status == A.SUBMITTED
    assert AuditEvent.objects.filter(application=application, action="references_complete").exists()
    assert Notification.objects.filter(
        recipient=reviewer, dedupe_key__startswith=f"new-application:{application.pk}"
    ).exists()
    reviewing.application_claim(application=application, reviewer=reviewer)


def test_a_form_missing_a_domain_is_refused_with_the_answers_kept(application, version):
    client = _open(_send(application.references.first()))
    data = _answer_data(version)
    del data["answer-domain_3"]
    response = client.post(reverse("register:referee_respond"), data)
    assert response.status_code == 400
    assert "Choose yes, no or can" in response.content.decode()
    assert "I have supervised her monthly since 2022." in response.content.decode()


def test_the_applicant_sees_each_status_but_never_the_content(application, version, practitioner):
    first = application.references.order_by("pk").first()
    _respond(application, first, version)
    page = logged_in(practitioner).get(
        reverse("register:application_detail", args=[application.pk])
    )
    body = page.content.decode()
    assert "Reference received on" in body
    assert "no answer yet" in body
    assert "Thoughtful with families" not in body
    assert "I have supervised her monthly" not in body


def test_reviewers_read_the_references_beside_the_dossier(application, version, reviewer):
    for reference in application.references.all():
        _respond(application, reference, version)
    reviewing.application_claim(application=application, reviewer=reviewer)
    page = logged_in(reviewer).get(reverse("register:review_detail", args=[application.pk]))
    body = page.content.decode()
    assert "Thoughtful with families; keeps the baby in mind." in body
    assert "Can\u2019t say" in body


# --- Declining, replacing, waiving ---------------------------------------------------------


def test_a_referee_who_declines_is_replaced_by_the_applicant(application, practitioner, version):
    first = application.references.order_by("pk").first()
    client = _open(_send(first))
    response = client.post(reverse("register:referee_decline"), {"decline-reason": "On leave."})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == R.DECLINED
    told = Notification.objects.get(dedupe_key=f"reference-status:{first.pk}:declined")
    assert "On leave." not in told.body  # the reason is for staff

    applicant = logged_in(practitioner)
    url = reverse("register:reference_replace", args=[application.pk, first.pk])
    assert applicant.get(url).status_code == 200
    response = applicant.post(
        url,
        {
            "name": "Nia Newmanager",
            "role": "Service lead",
            "email": "nia@example.org",
            "relationship": "Leads the service I work in",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    new = first.replaced_by
    assert (first.status, new.status, new.kind) == (R.REPLACED, R.REQUESTED, "line_manager")
    consent = Consent.objects.get(
        user=practitioner,
        purpose=Consent.Purpose.REFERENCES,
        scope=f"application:{application.pk}",
        withdrawn_at__isnull=True,
    )
    assert "nia@example.org" in consent.terms["referees"]


def test_a_referee_who_has_not_answered_can_be_replaced_only_after_the_last_reminder(
    application, practitioner
):
    first = application.references.order_by("pk").first()
    new = references.Referee("line_manager", "Nia", "Lead", "nia@example.org", "Lead")
    with pytest.raises(RegisterError, match="replace a referee once"):
        references.reference_replace(reference=first, applicant=practitioner, referee=new)
    Reference.objects.filter(pk=first.pk).update(requested_at=timezone.now() - timedelta(days=15))
    first.refresh_from_db()
    references.reference_replace(reference=first, applicant=practitioner, referee=new)


def test_staff_waive_a_reference_with_an_audited_reason(application, version, admin_user):
    first, second = application.references.order_by("pk")
    _respond(application, first, version)
    admin = logged_in(admin_user)
    url = reverse("register:staff_reference_waive", args=[application.pk, second.pk])
    refused = admin.post(url, {f"waive-{second.pk}-reason": ""})
    assert refused.status_code == 400
    assert "Give a reason; it is kept in the audit trail." in refused.content.decode()
    second.refresh_from_db()
    assert second.status == R.REQUESTED
    admin.post(url, {f"waive-{second.pk}-reason": "Supervisor on long-term sick leave."})
    second.refresh_from_db()
    application.refresh_from_db()
    assert (second.status, application.status) == (R.WAIVED, A.SUBMITTED)
    event = AuditEvent.objects.get(subject=f"reference:{second.pk}", action="reference_waive")
    assert (event.actor, event.reason) == (admin_user, "Supervisor on long-term sick leave.")


# --- Reminders -------------------------------------------------------------------------------


def test_referees_are_reminded_at_7_and_14_days_once_each_with_a_fresh_link(application):
    first = application.references.order_by("pk").first()
    first_token = _send(first)
    sent_at = max(r.requested_at for r in application.references.all())
    assert reference_links.reference_reminders_send(now=sent_at + timedelta(days=6)) == 0
    assert reference_links.reference_reminders_send(now=sent_at + timedelta(days=7)) == 2
    assert reference_links.reference_reminders_send(now=sent_at + timedelta(days=8)) == 0
    second_token = _send(first)
    assert second_token != first_token
    assert _open(second_token) and _open(first_token)  # both links work until it is answered
    assert reference_links.reference_reminders_send(now=sent_at + timedelta(days=14)) == 2
    assert reference_links.reference_reminders_send(now=sent_at + timedelta(days=30)) == 0
    keys = set(
        Notification.objects.filter(dedupe_key__startswith="reference-reminder:").values_list(
            "dedupe_key", flat=True
        )
    )
    assert len(keys) == 4
    # After the last reminder the applicant is told they may replace the referee.
    assert Notification.objects.filter(dedupe_key=f"reference-status:{first.pk}:silent").exists()


def test_the_kinds_a_setting_may_name_are_the_kinds_the_model_knows():
    assert set(settings.REFEREE_KINDS_KNOWN) == set(Reference.Kind.values)
