"""Changing the sign-in email address: the new address must be confirmed first."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.accounts.helpers import link_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_new_email_becomes_the_login_only_after_it_is_confirmed(practitioner_client, practitioner):
    response = practitioner_client.post(
        reverse("account_email"), {"action_add": "", "email": "priya.new@example.org"}
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["priya.new@example.org"]
    practitioner.refresh_from_db()
    assert practitioner.email == "priya@example.org"
    pending = EmailAddress.objects.get(email="priya.new@example.org")
    assert not pending.verified and not pending.primary

    confirm_path = link_in(mail.outbox[0], "/accounts/confirm-email/")
    practitioner_client.post(confirm_path)

    practitioner.refresh_from_db()
    assert practitioner.email == "priya.new@example.org"
    new = EmailAddress.objects.get(user=practitioner, email="priya.new@example.org")
    assert new.verified and new.primary
    assert not EmailAddress.objects.filter(email="priya@example.org").exists()

    practitioner_client.logout()
    login = practitioner_client.post(
        reverse("account_login"), {"login": "priya.new@example.org", "password": PASSWORD}
    )
    assert login.status_code == 302
    assert int(practitioner_client.session["_auth_user_id"]) == practitioner.pk


def test_email_page_shows_the_pending_change(practitioner_client):
    practitioner_client.post(
        reverse("account_email"), {"action_add": "", "email": "priya.new@example.org"}
    )

    response = practitioner_client.get(reverse("account_email"))

    html = response.content.decode()
    assert "priya@example.org" in html
    assert "priya.new@example.org" in html
    assert "waiting to be confirmed" in html


def test_changing_to_an_invalid_address_shows_the_error_summary(practitioner_client):
    response = practitioner_client.post(
        reverse("account_email"), {"action_add": "", "email": "not-an-address"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert 'aria-invalid="true"' in html
    assert len(mail.outbox) == 0
