"""Closing an account: what goes, what stays, and that nothing is left in storage."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent
from credentials import services as credential_services
from credentials.models import IssuedCredential
from evidence import services as evidence_services
from evidence.models import DocumentJob
from privacy import erasure, retention
from privacy.inventory import EXPORTED
from privacy.models import DataRequest
from register.models import Application, AuditEvent, Notification, RegisterEntry
from tests.conftest import enable_totp
from tests.privacy.test_inventory import _user_foreign_keys

# What an erasure keeps (pseudonymised); every other exported model must be empty after it.
KEPT_MODELS = {
    "accounts.User",
    "accounts.Consent",
    "register.Application",
    "register.ReviewAssignment",
    "register.StatementReview",
    "register.RegisterEntry",
    "register.Renewal",
    "register.Appeal",
    "register.AuditEvent",
    "credentials.IssuedCredential",
    "privacy.DataRequest",
    "workforce.Invite",
    "admin.LogEntry",
    "imhcf.WordingRevision",
    "training.Course",
    "training.CourseEvent",
}


def _files_in(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _due(data_request: DataRequest):
    return data_request.due_at + timedelta(seconds=1)


def test_every_foreign_key_to_the_user_has_an_erasure_decision():
    missing = sorted(_user_foreign_keys() - set(erasure.DECISIONS))
    assert not missing, "Say in privacy/erasure.py DECISIONS what erasure does with: " + ", ".join(
        missing
    )


def test_asking_starts_the_cooling_off_and_emails_a_confirmation(registered, settings):
    settings.IMHCF_ERASURE_COOLING_OFF_HOURS = 48
    practitioner = registered.practitioner

    data_request = erasure.erasure_request(subject=practitioner, requested_by=practitioner)

    assert data_request.due_at - timezone.now() > timedelta(hours=47)
    message = Notification.objects.get(recipient=practitioner, dedupe_key__startswith="account")
    assert "close your account" in message.subject
    assert erasure.erasure_request(subject=practitioner, requested_by=practitioner) == data_request
    assert erasure.account_erase(data_request_id=data_request.pk) is False


def test_erasure_leaves_only_the_named_records_and_no_file(
    registered, private_storage, django_capture_on_commit_callbacks, client
):
    practitioner = registered.practitioner
    pk, email, name = practitioner.pk, practitioner.email, practitioner.full_name
    credential = credential_services.credential_for_entry(
        entry=registered, practitioner=practitioner
    )
    job = evidence_services.document_request(
        owner=practitioner, kind=DocumentJob.Kind.CERTIFICATE, params={"entry_id": registered.pk}
    )
    evidence_services.document_render(job_id=job.pk)
    enable_totp(practitioner)
    client.force_login(practitioner)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _files_in(private_storage), "the set-up stores files"
    data_request = erasure.erasure_request(subject=practitioner, requested_by=practitioner)

    with django_capture_on_commit_callbacks(execute=True):
        assert erasure.account_erase(data_request_id=data_request.pk, now=_due(data_request))

    assert _files_in(private_storage) == []
    user = get_user_model().objects.get(pk=pk)
    for entry in EXPORTED:
        if entry.label not in KEPT_MODELS:
            assert not entry.rows(user).exists(), entry.label
    assert email not in user.email and user.full_name != name
    assert not user.has_usable_password() and not user.is_active
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not Authenticator.objects.filter(user_id=pk).exists()
    entry = RegisterEntry.objects.get(pk=registered.pk)
    assert entry.status == RegisterEntry.Status.REMOVED and name not in entry.display_name
    removal = AuditEvent.objects.filter(entry=entry, action="remove").get()
    assert removal.reason == "Removed at the registrant's request."
    assert IssuedCredential.objects.get(pk=credential.pk).revoked_at is not None
    application = Application.objects.get(applicant=user)
    assert application.status == Application.Status.APPROVED
    assert name not in application.applicant_name and application.organisation == ""
    assert not application.dossier_evidence.exists()
    assert not Consent.objects.filter(user=user, withdrawn_at__isnull=True).exists()
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.DONE
    assert "register decisions" in data_request.outcome["kept"]
    assert mail.outbox[-1].to == [email]


def test_erasure_runs_once(registered, private_storage):
    practitioner = registered.practitioner
    data_request = erasure.erasure_request(subject=practitioner, requested_by=practitioner)

    assert erasure.account_erase(data_request_id=data_request.pk, now=_due(data_request))
    assert not erasure.account_erase(data_request_id=data_request.pk, now=_due(data_request))


def test_cancelling_keeps_the_account(registered):
    practitioner = registered.practitioner
    data_request = erasure.erasure_request(subject=practitioner, requested_by=practitioner)

    erasure.erasure_cancel(subject=practitioner)

    assert not erasure.account_erase(data_request_id=data_request.pk, now=_due(data_request))
    practitioner.refresh_from_db()
    assert practitioner.is_active


def test_the_daily_run_erases_what_is_due(registered, private_storage):
    practitioner = registered.practitioner
    data_request = erasure.erasure_request(subject=practitioner, requested_by=practitioner)

    counts = retention.retention_run(now=_due(data_request))

    assert counts["accounts_erased"] == 1


def test_the_daily_run_schedules_long_unused_accounts_without_an_entry(db, other_practitioner):
    long_ago = timezone.now() - timedelta(days=365 * 7)
    type(other_practitioner).objects.filter(pk=other_practitioner.pk).update(
        last_login=long_ago, date_joined=long_ago
    )

    counts = retention.retention_run()

    assert counts["inactive_accounts_scheduled"] == 1
    assert DataRequest.objects.filter(subject=other_practitioner, kind="erasure").exists()


def test_old_messages_are_deleted_by_the_schedule(registered, settings):
    settings.IMHCF_RETAIN_MESSAGES_DAYS = 30
    Notification.objects.update(created_at=timezone.now() - timedelta(days=31), email_status="sent")

    assert retention.messages_delete_old() > 0
    assert not Notification.objects.exists()


def test_closing_from_the_page_needs_the_box_ticked_and_can_be_cancelled(
    registered, practitioner_client
):
    url = reverse("privacy:erasure_create")

    refused = practitioner_client.post(url, {})
    assert refused.status_code == 400
    assert "This field is required" in refused.content.decode()

    practitioner_client.post(url, {"understood": "on"})
    page = practitioner_client.get(reverse("privacy:my_data")).content.decode()
    assert "Keep my account" in page

    practitioner_client.post(reverse("privacy:erasure_cancel"))
    assert not DataRequest.objects.filter(status="pending", kind="erasure").exists()


@pytest.mark.parametrize("other", ["other_practitioner"])
def test_only_the_person_can_close_their_account(registered, request, other):
    from privacy.errors import PrivacyError

    with pytest.raises(PrivacyError):
        erasure.erasure_request(
            subject=registered.practitioner, requested_by=request.getfixturevalue(other)
        )


def test_staff_enter_a_postal_erasure_which_the_person_is_told_of(registered, admin_client):
    practitioner = registered.practitioner

    response = admin_client.post(
        reverse("privacy:staff_requests"),
        {"kind": "erasure", "email": practitioner.email, "reference": "Letter of 2 December"},
        follow=True,
    )

    assert "emailed to confirm" in response.content.decode()
    data_request = DataRequest.objects.get(subject=practitioner, kind="erasure")
    assert (data_request.channel, data_request.reference) == ("post", "Letter of 2 December")
    assert Notification.objects.filter(
        recipient=practitioner, dedupe_key=f"account-closing:{data_request.pk}"
    ).exists()
