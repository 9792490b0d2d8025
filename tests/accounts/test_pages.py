"""Every account and two-factor page renders inside the site's layout, with
labelled fields, and nothing the Content-Security-Policy would block."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import ENTRANCE_PAGES, link_in
from tests.conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def assert_site_page(response) -> str:
    assert response.status_code == 200, response
    html = response.content.decode()
    assert 'class="navbar-brand' in html, "not rendered inside base.html"
    assert '<main id="main"' in html
    assert "accounts/css/accounts.css" in html
    assert html.count("<h1") == 1
    # style-src 'self': no style attributes or <style> blocks.
    assert " style=" not in html
    assert "<style" not in html
    # script-src 'self': every script is a file, or inert JSON data.
    for attrs in SCRIPT_TAG.findall(html):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    # Every visible input has a label pointing at it.
    for input_id in re.findall(r'<input(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html):
        assert f'for="{input_id}"' in html, f"no label for #{input_id}"
    return html


def _reauthenticated(user) -> Client:
    client = client_for(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


@pytest.mark.parametrize(
    "name",
    [*ENTRANCE_PAGES, "account_email_verification_sent"],
)
def test_entrance_pages_use_the_site_layout(anon_client, name):
    assert_site_page(anon_client.get(reverse(name)))


def test_reauthentication_page_uses_the_site_layout(practitioner_client):
    html = assert_site_page(practitioner_client.get(reverse("account_reauthenticate")))

    assert 'for="id_password"' in html


@pytest.mark.parametrize(
    "name",
    [
        "account_email",
        "account_change_password",
        "account_logout",
        "mfa_index",
    ],
)
def test_account_pages_use_the_site_layout_with_the_account_menu(practitioner_client, name):
    html = assert_site_page(practitioner_client.get(reverse(name)))

    assert 'aria-label="Your account"' in html


@pytest.mark.parametrize(
    "name",
    ["mfa_activate_totp", "mfa_add_webauthn", "mfa_list_webauthn"],
)
def test_mfa_setup_pages_use_the_site_layout(practitioner, name):
    assert_site_page(_reauthenticated(practitioner).get(reverse(name)))


def test_totp_setup_shows_the_qr_code_as_a_data_image(practitioner):
    html = assert_site_page(_reauthenticated(practitioner).get(reverse("mfa_activate_totp")))

    assert 'src="data:image/svg+xml' in html
    assert 'for="id_code"' in html


@pytest.mark.parametrize(
    "name", ["mfa_deactivate_totp", "mfa_view_recovery_codes", "mfa_generate_recovery_codes"]
)
def test_pages_for_a_user_with_mfa_use_the_site_layout(reviewer, name):
    RecoveryCodes.activate(reviewer)

    assert_site_page(_reauthenticated(reviewer).get(reverse(name)))


def test_mfa_code_page_at_login_uses_the_site_layout(reviewer):
    client = Client()
    client.post(reverse("account_login"), {"login": reviewer.email, "password": PASSWORD})

    html = assert_site_page(client.get(reverse("mfa_authenticate")))

    assert 'for="id_code"' in html


def test_mfa_code_page_shows_an_error_summary_for_a_wrong_code(reviewer):
    client = Client()
    client.post(reverse("account_login"), {"login": reviewer.email, "password": PASSWORD})

    html = assert_site_page(client.post(reverse("mfa_authenticate"), {"code": "000000"}))

    assert "error-summary" in html


def test_email_confirmation_page_uses_the_site_layout(anon_client):
    anon_client.post(
        reverse("account_signup"),
        {
            "full_name": "Sam Example",
            "email": "sam@example.org",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
        },
    )

    assert_site_page(anon_client.get(link_in(mail.outbox[0], "/accounts/confirm-email/")))


def test_password_reset_from_key_page_uses_the_site_layout(anon_client, practitioner):
    anon_client.post(reverse("account_reset_password"), {"email": practitioner.email})
    link = link_in(mail.outbox[0], "/accounts/password/reset/key/")

    response = anon_client.get(link, follow=True)

    assert_site_page(response)
    assert "id_password1" in response.content.decode()


def test_email_page_with_a_pending_change_has_no_inline_style(practitioner_client):
    practitioner_client.post(
        reverse("account_email"), {"action_add": "", "email": "priya.new@example.org"}
    )
    assert EmailAddress.objects.filter(email="priya.new@example.org").exists()

    assert_site_page(practitioner_client.get(reverse("account_email")))


def test_signup_form_labels_every_field_without_placeholders(anon_client):
    html = assert_site_page(anon_client.get(reverse("account_signup")))

    for field in ("id_full_name", "id_email", "id_password1", "id_password2"):
        assert f'for="{field}"' in html
    assert "placeholder=" not in html
