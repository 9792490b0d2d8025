"""Signing in by email, and what a wrong password or a flood of attempts gets."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _log_in(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def test_practitioner_signs_in_with_email_and_password(client, practitioner):
    response = _log_in(client, practitioner.email, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("dashboard:home")
    assert int(client.session["_auth_user_id"]) == practitioner.pk


def test_email_is_matched_whatever_its_case(client, practitioner):
    response = _log_in(client, practitioner.email.upper(), PASSWORD)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == practitioner.pk


def test_wrong_password_shows_an_error_and_does_not_sign_in(client, practitioner):
    response = _log_in(client, practitioner.email, "not-the-password")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "The email address or password is not right." in html
    assert "error-summary" in html


def test_unknown_email_gets_the_same_error_as_a_wrong_password(client, practitioner):
    wrong_password = _log_in(client, practitioner.email, "not-the-password")
    unknown = _log_in(client, "nobody@example.org", "not-the-password")

    assert unknown.status_code == wrong_password.status_code == 200
    assert (
        unknown.context["form"].non_field_errors()
        == wrong_password.context["form"].non_field_errors()
    )


def test_repeated_failed_logins_lock_out_even_the_right_password(client, practitioner):
    # 5 failures per account and address within 5 minutes (accounts.adapter).
    for _ in range(5):
        assert _log_in(client, practitioner.email, "not-the-password").status_code == 200

    response = _log_in(client, practitioner.email, PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed attempts to sign in" in response.content.decode()


def test_failed_logins_from_one_address_do_not_lock_out_another_account(
    client, practitioner, other_practitioner
):
    for _ in range(5):
        _log_in(client, practitioner.email, "not-the-password")

    response = _log_in(client, other_practitioner.email, PASSWORD)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == other_practitioner.pk


def test_many_login_posts_from_one_ip_are_refused(client, practitioner):
    # 300 sign-in posts in 5 minutes from one address (settings.ACCOUNT_RATE_LIMITS).
    responses = [
        _log_in(client, f"person{n}@example.org", "x", REMOTE_ADDR="203.0.113.9")
        for n in range(301)
    ]

    assert responses[0].status_code == 200
    assert responses[-1].status_code == 429
