"""Sign-in limits that stop guessing without locking people out (README, "Sign-in limits").

Failures count per account and client address together, so wrong passwords from a
stranger lock out only the stranger's address; and the per-address limits leave room for
a whole training room signing in through one NHS address. The limits themselves are
``ACCOUNT_RATE_LIMITS`` in ``imhcf/settings.py``.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import current_totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
MFA = reverse("mfa_authenticate")
TOO_MANY = "Too many failed attempts to sign in"
NHS_TRUST = "192.0.2.44"


def _log_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_a_stranger_guessing_a_reviewers_password_cannot_lock_the_reviewer_out(reviewer):
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    guesses = [_log_in(stranger, reviewer.email, f"guess-{n}") for n in range(8)]
    assert TOO_MANY not in guesses[4].content.decode()
    assert TOO_MANY in guesses[5].content.decode()
    # The stranger's address stays locked even if it now tries the right password...
    assert TOO_MANY in _log_in(stranger, reviewer.email, PASSWORD).content.decode()

    # ...while the reviewer, at work, signs in, and still has to give a code.
    at_work = Client(REMOTE_ADDR="198.51.100.20")
    response = _log_in(at_work, reviewer.email, PASSWORD)
    assert response.status_code == 302
    assert response.url == MFA
    assert "_auth_user_id" not in at_work.session

    response = at_work.post(MFA, {"code": current_totp_code(reviewer.totp_secret)})
    assert response.status_code == 302
    assert int(at_work.session["_auth_user_id"]) == reviewer.pk


def test_five_wrong_passwords_from_one_address_lock_that_account_there(practitioner):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert TOO_MANY not in _log_in(client, practitioner.email, "nope").content.decode()

    locked = _log_in(client, practitioner.email, PASSWORD)

    assert TOO_MANY in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_room_of_sixty_behind_one_address_all_sign_in_even_with_typos():
    # The worst case of "within two minutes": the whole room inside one minute, and a
    # third of them mistyping their password once first.
    room = UserFactory.create_batch(60)
    signed_in = 0
    for n, person in enumerate(room):
        client = Client(REMOTE_ADDR=NHS_TRUST)
        if n % 3 == 0:
            typo = _log_in(client, person.email, PASSWORD + "x")
            assert typo.status_code == 200
            assert TOO_MANY not in typo.content.decode()
        response = _log_in(client, person.email, PASSWORD)
        assert response.status_code == 302, (n, response.status_code)
        signed_in += int(client.session["_auth_user_id"]) == person.pk

    assert signed_in == 60


def test_password_guessing_from_the_room_address_is_still_limited():
    # Behind the same address, someone trying passwords on many accounts is stopped
    # after 30 failures in a minute; the room's typos above are well inside that.
    people = UserFactory.create_batch(31)
    answers = [_log_in(Client(REMOTE_ADDR=NHS_TRUST), p.email, "Summer2026!") for p in people]

    assert all(TOO_MANY not in a.content.decode() for a in answers[:30])
    assert TOO_MANY in answers[30].content.decode()
