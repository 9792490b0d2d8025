"""Sign up with name, email and password; the address must be confirmed first."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.accounts.helpers import link_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-enough-passphrase-42"


def _sign_up(client, email="sam@example.org", full_name="  Sam   Example "):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": full_name,
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def test_signup_sends_verification_and_signs_in_only_after_the_link_is_followed(client):
    response = _sign_up(client)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.org"]
    assert "Confirm your email address" in message.subject

    # Not signed in yet: an account page sends the visitor to sign in.
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))

    confirm_path = link_in(message, "/accounts/confirm-email/")
    # Following the link shows a confirmation page; only the POST confirms,
    # so mail scanners that open links do not confirm addresses.
    assert client.get(confirm_path).status_code == 200
    assert not EmailAddress.objects.filter(email="sam@example.org", verified=True).exists()
    response = client.post(confirm_path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="sam@example.org").verified
    assert client.get(reverse("account_email")).status_code == 200
    user = get_user_model().objects.get(email="sam@example.org")
    assert user.full_name == "Sam Example"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signing_in_before_verifying_resends_the_link_and_does_not_sign_in(client):
    _sign_up(client)
    mail.outbox.clear()

    response = client.post(
        reverse("account_login"), {"login": "sam@example.org", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("account_email")).status_code == 302


def test_signup_requires_a_name(client):
    response = _sign_up(client, full_name="   ")

    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]
    assert not get_user_model().objects.filter(email="sam@example.org").exists()


def test_signup_with_a_registered_email_looks_the_same_and_emails_the_owner(client, practitioner):
    new_response = _sign_up(client, email="new-person@example.org")
    mail.outbox.clear()
    client.logout()

    taken_response = _sign_up(client, email=practitioner.email.upper())

    assert taken_response.status_code == new_response.status_code == 302
    assert taken_response.url == new_response.url
    followed = client.get(taken_response.url)
    assert followed.status_code == 200
    assert b"Check your email" in followed.content
    # The owner hears about it; nobody learns from the page that the address is taken.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [practitioner.email]
    assert "already has one" in mail.outbox[0].body
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert get_user_model().objects.filter(email__iexact=practitioner.email).count() == 1
    # The existing account's password is untouched.
    practitioner.refresh_from_db()
    assert practitioner.check_password(PASSWORD)


def test_signup_form_shows_an_error_summary_linked_to_the_fields(client):
    response = client.post(
        reverse("account_signup"),
        {"full_name": "Sam", "email": "not-an-email", "password1": "x", "password2": "y"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="alert alert-danger error-summary"' in html
    assert 'href="#id_email"' in html
    assert 'for="id_email"' in html
