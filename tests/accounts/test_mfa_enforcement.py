"""Reviewers and staff cannot reach reviewer or admin pages without two-factor
authentication, and /admin/ signs in through allauth, MFA step included."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.roles import REVIEWERS_GROUP
from tests.accounts.helpers import current_totp_code
from tests.conftest import client_for, enable_totp
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_without_mfa(db):
    return UserFactory(email="rene@example.org", groups=[REVIEWERS_GROUP])


@pytest.fixture
def staff_without_mfa(db):
    return UserFactory(email="sid@example.org", is_staff=True)


def _client_for(user) -> Client:
    client = client_for(user)
    return client


@pytest.mark.parametrize(
    "path", ["/review/", "/review/applications/123/", "/review/no-such-page", "/admin/", "/staff/"]
)
def test_reviewer_without_mfa_is_sent_to_set_it_up(reviewer_without_mfa, path):
    client = _client_for(reviewer_without_mfa)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == reverse("mfa_index")
    [message] = list(get_messages(response.wsgi_request))
    assert "must turn on two-factor authentication" in str(message)


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", "/review/"])
def test_staff_without_mfa_is_sent_to_set_it_up(staff_without_mfa, path):
    response = _client_for(staff_without_mfa).post(path)

    assert response.status_code == 302
    assert response.url == reverse("mfa_index")


def test_mfa_setup_pages_stay_reachable_without_mfa(reviewer_without_mfa):
    client = _client_for(reviewer_without_mfa)

    assert client.get(reverse("mfa_index")).status_code == 200
    # Setting up asks for the password again first (allauth), not for MFA.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_reviewer_who_turns_on_totp_gets_through(reviewer_without_mfa):
    client = _client_for(reviewer_without_mfa)
    assert client.get("/review/").status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=reviewer_without_mfa, type=Authenticator.Type.TOTP
    ).exists()
    # Past the middleware: whatever /review/ is, it is not the MFA redirect.
    response = client.get("/review/")
    assert not (response.status_code == 302 and response.url == reverse("mfa_index"))


def test_reviewer_with_totp_is_not_redirected(reviewer_client):
    response = reviewer_client.get("/review/")

    assert not (response.status_code == 302 and response.url == reverse("mfa_index"))


def test_staff_with_totp_reaches_the_admin(admin_client):
    response = admin_client.get("/admin/")

    assert response.status_code == 200


def test_practitioner_is_never_asked_for_mfa(practitioner_client):
    response = practitioner_client.get("/review/")

    assert not (response.status_code == 302 and response.url == reverse("mfa_index"))


def test_anonymous_admin_visit_goes_to_allauth_login(anon_client):
    response = anon_client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response.redirect_chain[-1][0]


def test_admin_password_login_then_totp_code_reaches_the_admin_index(admin_user):
    client = Client()

    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": admin_user.email, "password": PASSWORD, "next": "/admin/"},
    )

    # The password alone does not sign in: allauth asks for the second factor.
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302

    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(
        reverse("mfa_authenticate"), {"code": current_totp_code(admin_user.totp_secret)}
    )

    assert response.status_code == 302
    assert response.url == "/admin/"
    index = client.get("/admin/")
    assert index.status_code == 200
    assert b"Site administration" in index.content


def test_staff_without_mfa_logging_in_to_admin_is_led_to_set_it_up(staff_without_mfa):
    client = Client()

    response = client.post(
        reverse("account_login"),
        {"login": staff_without_mfa.email, "password": PASSWORD, "next": "/admin/"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("mfa_index")
    assert response.status_code == 200


def test_practitioner_login_skips_the_mfa_step(practitioner):
    client = Client()

    response = client.post(
        reverse("account_login"), {"login": practitioner.email, "password": PASSWORD}
    )

    assert response.url == reverse("dashboard:home")
    assert int(client.session["_auth_user_id"]) == practitioner.pk


@pytest.mark.parametrize("client_fixture", ["practitioner_client", "reviewer_client"])
def test_non_staff_users_get_no_admin(request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403


def test_practitioner_who_opts_into_mfa_is_asked_for_it_at_login(practitioner):
    secret = enable_totp(practitioner)
    client = Client()

    response = client.post(
        reverse("account_login"), {"login": practitioner.email, "password": PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == practitioner.pk


def test_mfa_setup_straight_after_signing_in_does_not_ask_for_the_password_again(
    reviewer_without_mfa,
):
    client = Client()
    client.post(
        reverse("account_login"), {"login": reviewer_without_mfa.email, "password": PASSWORD}
    )
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_mfa_setup_in_an_older_session_still_asks_for_the_password(reviewer_without_mfa, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the sign-in is no longer recent
    client = Client()
    client.post(
        reverse("account_login"), {"login": reviewer_without_mfa.email, "password": PASSWORD}
    )
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_mfa_set_up_ends_by_leading_back_to_where_the_reviewer_was_going(reviewer_without_mfa):
    client = Client()
    client.post(
        reverse("account_login"), {"login": reviewer_without_mfa.email, "password": PASSWORD}
    )
    assert client.get("/review/").url == reverse("mfa_index")
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(
        reverse("mfa_activate_totp"), {"code": current_totp_code(secret)}, follow=True
    )
    html = response.content.decode()
    assert "Your recovery codes" in html
    assert 'href="/review/">Done: continue where you were going' in html
