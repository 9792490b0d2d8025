"""The user admin, for a user model whose login is the email address."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.roles import REVIEWERS_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_list_searches_by_name_and_email(admin_client, practitioner, other_practitioner):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "Priya"})

    assert response.status_code == 200
    html = response.content.decode()
    assert practitioner.email in html
    assert other_practitioner.email not in html


def test_user_list_shows_who_has_two_factor(admin_client, reviewer, practitioner):
    response = admin_client.get(reverse("admin:accounts_user_changelist"))

    rows = {row.email: row for row in response.context["cl"].result_list}
    assert rows[reviewer.email]._has_mfa is True
    assert rows[practitioner.email]._has_mfa is False


def test_user_list_queries_do_not_grow_with_users(admin_client, django_assert_max_num_queries):
    UserFactory.create_batch(20)
    # session, user, authenticator check (middleware), the page's count and
    # list queries and the filters' group list; not one per row.
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200


def test_admin_adds_a_user_with_email_and_name(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.reviewer@example.org",
            "full_name": "New Reviewer",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
        },
    )

    assert response.status_code == 302
    user = get_user_model().objects.get(email="new.reviewer@example.org")
    assert user.full_name == "New Reviewer"
    assert user.check_password("a-long-enough-passphrase-42")


def test_admin_rejects_an_email_that_differs_only_in_case(admin_client, practitioner):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": practitioner.email.upper(),
            "full_name": "Copy",
            "usable_password": "false",
        },
    )

    assert response.status_code == 200
    assert get_user_model().objects.filter(email__iexact=practitioner.email).count() == 1


def test_admin_puts_a_user_in_the_reviewers_group(admin_client, practitioner):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name=REVIEWERS_GROUP)
    url = reverse("admin:accounts_user_change", args=[practitioner.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "groups": [group.pk],
            "user_permissions": [],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert practitioner.groups.filter(name=REVIEWERS_GROUP).exists()
