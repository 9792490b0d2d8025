"""The demo accounts the run command creates on every start."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.roles import REVIEWERS_GROUP, is_admin, is_reviewer
from tests.conftest import enable_totp

pytestmark = pytest.mark.django_db

EMAILS = {
    "demo-practitioner@example.org",
    "demo-reviewer@example.org",
    "demo-admin@example.org",
}


def _run(capsys) -> str:
    call_command("create_demo_accounts")
    return capsys.readouterr().out


def test_demo_accounts_are_verified_with_their_roles_and_printed(capsys, monkeypatch):
    monkeypatch.delenv("IMHCF_DEMO_PASSWORD", raising=False)

    out = _run(capsys)

    users = {u.email: u for u in get_user_model().objects.all()}
    assert set(users) == EMAILS
    for email, user in users.items():
        assert user.check_password("demo-password-123")
        assert user.full_name
        assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True)
        assert email in out
    assert not is_reviewer(users["demo-practitioner@example.org"])
    assert not is_admin(users["demo-practitioner@example.org"])
    assert users["demo-reviewer@example.org"].groups.filter(name=REVIEWERS_GROUP).exists()
    assert not users["demo-reviewer@example.org"].is_staff
    assert users["demo-admin@example.org"].is_staff
    assert users["demo-admin@example.org"].is_superuser
    assert "demo-password-123" in out
    assert "two-factor authentication" in out


def test_running_twice_changes_nothing_and_keeps_their_mfa(capsys):
    _run(capsys)
    reviewer = get_user_model().objects.get(email="demo-reviewer@example.org")
    enable_totp(reviewer)

    _run(capsys)

    assert get_user_model().objects.count() == 3
    assert EmailAddress.objects.count() == 3
    assert reviewer.groups.count() == 1
    assert Authenticator.objects.filter(user=reviewer).exists()


def test_password_comes_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("IMHCF_DEMO_PASSWORD", "another-demo-secret-9")

    out = _run(capsys)

    admin = get_user_model().objects.get(email="demo-admin@example.org")
    assert admin.check_password("another-demo-secret-9")
    assert "another-demo-secret-9" in out


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("create_demo_accounts")

    assert not get_user_model().objects.exists()
