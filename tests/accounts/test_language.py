"""Choosing Welsh or English: the browser first, then the switcher, the cookie and the account."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from register.services.notifications import notify
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
ENTRY = SimpleNamespace(pk=1, registration_number="IMH-000001", valid_until=date(2027, 1, 31))


def _html_lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_first_visit_follows_accept_language(client):
    assert _html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="cy,en;q=0.5")) == "cy"
    assert _html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")) == "en-gb"


def test_every_page_offers_the_other_language_named_in_itself(client):
    english = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in english
    assert 'value="cy" lang="cy"' in english and ">Cymraeg</button>" in english
    client.cookies[COOKIE] = "cy"
    welsh = client.get("/").content.decode()
    assert 'value="en-gb" lang="en-gb"' in welsh and ">English</button>" in welsh


def test_the_switcher_sets_the_cookie_and_goes_back_safely(client):
    response = client.post(reverse("set_language"), {"language": "cy", "next": "/framework/"})
    assert response.status_code == 302 and response.url == "/framework/"
    assert response.cookies[COOKIE].value == "cy"
    assert _html_lang(client.get("/framework/", HTTP_ACCEPT_LANGUAGE="en")) == "cy"

    away = client.post(
        reverse("set_language"), {"language": "en-gb", "next": "https://elsewhere.example/"}
    )
    assert away.status_code == 302 and not away.url.startswith("https://elsewhere")
    assert client.get(reverse("set_language")).status_code == 405


def test_the_switcher_needs_the_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("set_language"), {"language": "cy"}).status_code == 403


def test_a_signed_in_choice_is_kept_on_the_account_and_follows_them(client, practitioner):
    client.force_login(practitioner)
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    practitioner.refresh_from_db()
    assert practitioner.language == "cy"

    # Another browser, which asks for English: once signed in, the account's Welsh wins
    # and the cookie is brought into line, so it stays after signing out.
    other = type(client)()
    other.post(reverse("account_login"), {"login": practitioner.email, "password": PASSWORD})
    response = other.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert _html_lang(response) == "cy"
    assert response.cookies[COOKIE].value == "cy"


def test_an_unknown_language_changes_nothing(client, practitioner):
    client.force_login(practitioner)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    practitioner.refresh_from_db()
    assert practitioner.language == ""


def test_signing_up_in_welsh_writes_to_the_person_in_welsh(client):
    client.cookies[COOKIE] = "cy"
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Gwen Jones",
            "email": "gwen@example.org",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
        },
    )
    assert get_user_model().objects.get(email="gwen@example.org").language == "cy"
    with translation.override("cy"):
        subject = translation.gettext("Confirm your email address")
    assert subject != "Confirm your email address"
    assert subject in mail.outbox[-1].subject


def test_notifications_go_out_in_the_recipients_language(practitioner, other_practitioner):
    practitioner.language = "cy"
    practitioner.save()
    with translation.override("en-gb"):  # whoever's request it is
        welsh = notify(
            recipient=practitioner,
            template="renewal_reminder",
            context={"entry": ENTRY, "days": 30},
            dedupe_key="t-cy",
        )
        english = notify(
            recipient=other_practitioner,
            template="renewal_reminder",
            context={"entry": ENTRY, "days": 30},
            dedupe_key="t-en",
        )
    assert english.subject == "Your recognition runs out in 30 days"
    with translation.override("cy"):
        expected = translation.ngettext(
            "Your recognition runs out in %(days)s day",
            "Your recognition runs out in %(days)s days",
            30,
        ) % {"days": 30}
    assert welsh.subject == expected != english.subject
