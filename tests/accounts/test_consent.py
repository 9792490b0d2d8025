"""Consents are rows: what was agreed, when, and when it was withdrawn."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Consent
from accounts.selectors import consent_active, consents_of
from accounts.services import consent_give, consent_withdraw

SHARING = Consent.Purpose.ORGANISATION_SHARING


@pytest.mark.django_db
def test_giving_consent_records_the_terms_and_wording(practitioner):
    consent = consent_give(
        user=practitioner,
        purpose=SHARING,
        scope="organisation:7",
        terms={"assessment": True, "cpd": False},
        wording="Share my self-assessment summary with Leeds Health Visiting.",
    )
    assert consent_active(practitioner, SHARING, "organisation:7") == consent
    assert consent.terms == {"assessment": True, "cpd": False}
    assert consent.wording.startswith("Share my self-assessment")
    assert consent_active(practitioner, SHARING, "organisation:8") is None


@pytest.mark.django_db
def test_agreeing_again_to_the_same_terms_keeps_the_standing_consent(practitioner):
    first = consent_give(user=practitioner, purpose=SHARING, scope="organisation:7", wording="x")
    again = consent_give(user=practitioner, purpose=SHARING, scope="organisation:7", wording="x")
    assert again.pk == first.pk
    assert Consent.objects.filter(user=practitioner).count() == 1


@pytest.mark.django_db
def test_changed_terms_withdraw_the_old_consent_and_keep_it(practitioner):
    old = consent_give(
        user=practitioner, purpose=SHARING, scope="o:1", terms={"cpd": True}, wording="a"
    )
    new = consent_give(
        user=practitioner, purpose=SHARING, scope="o:1", terms={"cpd": False}, wording="b"
    )
    old.refresh_from_db()
    assert old.withdrawn_at is not None
    assert new.withdrawn_at is None
    assert [c.pk for c in consents_of(practitioner)] == [new.pk, old.pk]


@pytest.mark.django_db
def test_withdrawal_takes_effect_at_once_and_is_kept(practitioner, other_practitioner):
    consent_give(user=practitioner, purpose=SHARING, scope="o:1", wording="a")
    consent_give(user=other_practitioner, purpose=SHARING, scope="o:1", wording="a")
    assert consent_withdraw(user=practitioner, purpose=SHARING, scope="o:1") == 1
    assert consent_active(practitioner, SHARING, "o:1") is None
    assert consent_active(other_practitioner, SHARING, "o:1") is not None
    assert consent_withdraw(user=practitioner, purpose=SHARING, scope="o:1") == 0
    assert Consent.objects.filter(user=practitioner).count() == 1


@pytest.mark.django_db
def test_database_refuses_two_active_consents_for_one_scope(practitioner):
    consent_give(user=practitioner, purpose=SHARING, scope="o:1", wording="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            user=practitioner,
            purpose=SHARING,
            scope="o:1",
            wording="a",
            given_at=consent_active(practitioner, SHARING, "o:1").given_at,
        )
