"""Every account and two-factor page a person can reach speaks in the site's voice.

allauth ships its own wording ("Deactivate Authenticator App", "Bad Token",
"Successfully signed in as ..."). The site replaces every template that carries
words; allauth's own files may still be used only where they hold none (the
layout chain: base_entrance.html, base_manage.html and the like). Each case
below reaches a page, or a flash message, the way a person would, and fails if
any template that rendered it is allauth's and has text to translate.
"""

from pathlib import Path

import allauth
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from tests.accounts.helpers import ENTRANCE_PAGES, current_totp_code, link_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

STOCK = Path(allauth.__file__).parent
PROJECT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TRANSLATABLE = ("{% trans ", "{% translate ", "{% blocktrans")


def stock_wording(response) -> list[str]:
    """allauth's own templates with words in them that took part in the response."""
    found = []
    for template in response.templates:
        origin = getattr(template, "origin", None)
        path = Path(origin.name) if origin and origin.name else None
        if path is None or not path.is_relative_to(STOCK):
            continue
        source = path.read_text()
        if any(tag in source for tag in TRANSLATABLE):
            found.append(template.name)
    return sorted(set(found))


def assert_own_voice(response, status=200) -> str:
    assert response.status_code == status, response
    assert stock_wording(response) == []
    return response.content.decode()


def reauthenticated(user) -> Client:
    client = Client()
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def test_project_overrides_are_where_the_test_looks():
    # Guards the test itself: a wrong folder would make every case pass.
    assert (PROJECT_TEMPLATES / "mfa" / "totp" / "deactivate_form.html").exists()
    assert (STOCK / "templates" / "mfa" / "totp" / "deactivate_form.html").exists()


def test_the_check_catches_a_stock_page():
    # Signing up is never closed here, so allauth's "signup closed" page is not replaced;
    # rendering it shows the check would fail on a stock page.
    class Rendered:
        templates = []

    def grab(sender, template, context, **kwargs):
        Rendered.templates.append(template)

    template_rendered.connect(grab)
    try:
        render_to_string("account/signup_closed.html")
    finally:
        template_rendered.disconnect(grab)

    assert stock_wording(Rendered) == ["account/signup_closed.html"]


@pytest.mark.parametrize(
    "name",
    [*ENTRANCE_PAGES, "account_reset_password_from_key_done", "account_inactive"],
)
def test_entrance_pages(anon_client, name):
    assert_own_voice(anon_client.get(reverse(name)))


def test_inactive_account_page_says_what_to_do(anon_client):
    html = assert_own_voice(anon_client.get(reverse("account_inactive")))

    assert "This account is closed" in html
    assert "Account Inactive" not in html


def test_password_reset_link_pages(anon_client, practitioner):
    anon_client.post(reverse("account_reset_password"), {"email": practitioner.email})
    link = link_in(mail.outbox[0], "/accounts/password/reset/key/")

    form = anon_client.get(link, follow=True)
    html = assert_own_voice(form)
    assert "Choose a new password" in html

    done = anon_client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "a-new-long-passphrase-77", "password2": "a-new-long-passphrase-77"},
        follow=True,
    )
    html = assert_own_voice(done)
    assert "Your password is changed" in html
    assert reverse("account_login") in html


def test_a_used_password_reset_link_says_so_and_offers_a_new_one(anon_client):
    html = assert_own_voice(
        anon_client.get("/accounts/password/reset/key/1-not-a-real-key/", follow=True)
    )

    assert "This link no longer works" in html
    assert "Bad Token" not in html
    assert reverse("account_reset_password") in html


def test_expired_confirmation_link(anon_client):
    html = assert_own_voice(anon_client.get("/accounts/confirm-email/not-a-key/"))

    assert "expired" in html


@pytest.mark.parametrize(
    "name",
    ["account_email", "account_change_password", "account_logout", "account_reauthenticate"],
)
def test_account_pages(practitioner_client, name):
    assert_own_voice(practitioner_client.get(reverse(name)))


def test_signing_in_and_out_flash_the_sites_own_messages(anon_client, practitioner):
    signed_in = anon_client.post(
        reverse("account_login"), {"login": practitioner.email, "password": PASSWORD}, follow=True
    )
    html = assert_own_voice(signed_in)
    assert signed_in.redirect_chain[-1][0] == reverse("dashboard:home")
    assert "You are signed in as" in html
    assert "Successfully" not in html

    signed_out = anon_client.post(reverse("account_logout"), follow=True)
    assert "You are signed out." in assert_own_voice(signed_out)


def test_changing_the_password_speaks_plainly(practitioner_client):
    response = practitioner_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase-77",
            "password2": "a-new-long-passphrase-77",
        },
        follow=True,
    )

    html = assert_own_voice(response)
    assert "Your password is changed." in html


@pytest.mark.parametrize(
    "name", ["mfa_index", "mfa_activate_totp", "mfa_add_webauthn", "mfa_list_webauthn"]
)
def test_two_factor_pages_before_it_is_on(practitioner, name):
    assert_own_voice(reauthenticated(practitioner).get(reverse(name)))


@pytest.mark.django_db(transaction=True)
def test_turning_on_the_app_flashes_the_sites_message(practitioner):
    # A real transaction: allauth adds this message once the new authenticator commits.
    client = reauthenticated(practitioner)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    response = client.post(
        reverse("mfa_activate_totp"), {"code": current_totp_code(secret)}, follow=True
    )

    html = assert_own_voice(response)
    assert "Two-factor authentication is on." in html


@pytest.mark.parametrize(
    "name",
    [
        "mfa_index",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
    ],
)
def test_two_factor_pages_once_it_is_on(reviewer, name):
    RecoveryCodes.activate(reviewer)

    assert_own_voice(reauthenticated(reviewer).get(reverse(name)))


def test_turning_off_the_app_says_what_follows(reviewer):
    RecoveryCodes.activate(reviewer)
    client = reauthenticated(reviewer)

    html = assert_own_voice(client.get(reverse("mfa_deactivate_totp")))
    assert "Turn off the authenticator app" in html
    assert "Deactivate" not in html


@pytest.mark.django_db(transaction=True)
def test_new_recovery_codes_warn_that_the_old_ones_stop_working(reviewer):
    RecoveryCodes.activate(reviewer)
    client = reauthenticated(reviewer)

    html = assert_own_voice(client.get(reverse("mfa_generate_recovery_codes")))
    assert "Your 10 unused codes stop working" in html

    made = client.post(reverse("mfa_generate_recovery_codes"), follow=True)
    html = assert_own_voice(made)
    assert "New recovery codes are ready" in html
    # The codes page leads on: to the dashboard when nothing else was waiting.
    assert reverse("dashboard:home") in html


def test_one_unused_recovery_code_is_one_code(reviewer):
    codes = RecoveryCodes.activate(reviewer)
    for code in codes.get_unused_codes()[:-1]:
        codes.validate_code(code)
    client = reauthenticated(reviewer)

    html = assert_own_voice(client.get(reverse("mfa_generate_recovery_codes")))

    assert "Your 1 unused code stops working" in html


def test_downloaded_recovery_codes_say_what_they_are(reviewer):
    codes = RecoveryCodes.activate(reviewer)
    client = reauthenticated(reviewer)

    response = client.get(reverse("mfa_download_recovery_codes"))

    text = assert_own_voice(response)
    assert text.startswith("IMHCF Register: recovery codes")
    for code in codes.get_unused_codes():
        assert code in text


def test_code_at_sign_in(reviewer):
    client = Client()
    client.post(reverse("account_login"), {"login": reviewer.email, "password": PASSWORD})

    assert_own_voice(client.get(reverse("mfa_authenticate")))
    done = client.post(
        reverse("mfa_authenticate"), {"code": current_totp_code(reviewer.totp_secret)}, follow=True
    )
    assert_own_voice(done)
    assert done.redirect_chain[-1][0] == reverse("dashboard:home")


def test_security_key_pages_with_a_key(reviewer):
    key = Authenticator.objects.create(
        user=reviewer,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Work laptop", "credential": {}},
    )
    client = reauthenticated(reviewer)

    listing = assert_own_voice(client.get(reverse("mfa_list_webauthn")))
    assert "Work laptop" in listing
    assert "Rename" in listing
    assert_own_voice(client.get(reverse("mfa_edit_webauthn", args=[key.pk])))
    assert "Remove this key?" in assert_own_voice(
        client.get(reverse("mfa_remove_webauthn", args=[key.pk]))
    )
    removed = client.post(reverse("mfa_remove_webauthn", args=[key.pk]), follow=True)
    assert_own_voice(removed)
    assert not Authenticator.objects.filter(pk=key.pk).exists()
