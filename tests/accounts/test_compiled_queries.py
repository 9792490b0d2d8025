"""The session and the signed-in user load through SQL compiled once, with Django's answers."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.backends import RoleAwareAuthenticationBackend
from accounts.roles import REVIEWERS_GROUP
from accounts.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_live_session_loads_and_an_expired_or_unknown_one_does_not():
    store = SessionStore()
    store["kept"] = "yes"
    store.save()
    assert SessionStore(store.session_key).load() == {"kept": "yes"}

    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None


def test_the_user_loads_with_the_reviewer_flag_and_an_inactive_one_does_not():
    backend = RoleAwareAuthenticationBackend()
    user = UserFactory()
    loaded = backend.get_user(str(user.pk))
    assert (loaded.pk, loaded.email, loaded.in_reviewers_group) == (user.pk, user.email, False)
    user.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    assert backend.get_user(user.pk).in_reviewers_group is True
    assert backend.get_user(user.pk + 1000) is None
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None
