"""Resetting a forgotten password, without revealing who has an account."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.helpers import link_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-77"


def test_password_reset_by_email_link_sets_a_new_password(client, practitioner):
    response = client.post(reverse("account_reset_password"), {"email": practitioner.email})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [practitioner.email]

    # The emailed link stores the key in the session and redirects to a URL
    # without it, so the key does not leak through the Referer header.
    response = client.get(link_in(mail.outbox[0], "/accounts/password/reset/key/"))
    assert response.status_code == 302
    form_url = response.url
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.check_password(NEW_PASSWORD)
    login = client.post(
        reverse("account_login"), {"login": practitioner.email, "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert int(client.session["_auth_user_id"]) == practitioner.pk


def test_a_reset_link_works_only_once(client, practitioner):
    client.post(reverse("account_reset_password"), {"email": practitioner.email})
    link = link_in(mail.outbox[0], "/accounts/password/reset/key/")
    form_url = client.get(link).url
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    response = client.get(link, follow=True)

    assert response.context["token_fail"]


def test_reset_for_an_unknown_email_answers_as_for_a_known_one(client, practitioner):
    known = client.post(reverse("account_reset_password"), {"email": practitioner.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url
    # The unknown address is told there is no account, privately, by email.
    assert [m.to for m in mail.outbox] == [[practitioner.email], ["nobody@example.org"]]
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body
    assert "no account" in mail.outbox[1].body
