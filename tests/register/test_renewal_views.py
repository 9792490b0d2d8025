"""Renewing recognition: the window, CPD hours against the requirement, and the outcome."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.models import EvidenceItem
from register.models import RegisterEntry, Renewal
from tests.factories import build_framework
from tests.register.helpers import approve, submit


@pytest.fixture(autouse=True)
def requirements(settings):
    settings.IMHCF_RENEWAL_CPD_HOURS = 15
    settings.IMHCF_RENEWAL_EQUALITY_HOURS = 1
    settings.IMHCF_RENEWAL_OPENS_DAYS = 60
    settings.IMHCF_LAPSE_GRACE_DAYS = 30
    settings.IMHCF_REGISTRATION_VALID_DAYS = 365


@pytest.fixture
def entry(practitioner, reviewer, second_reviewer):
    version = build_framework(domains=7, competencies_per_domain=1)
    application = approve(submit(practitioner, version), reviewer, second_reviewer)
    # The application's own evidence may fall outside "the past year"; the tests log their own.
    EvidenceItem.objects.filter(owner=practitioner).update(
        start_date=timezone.localdate() - timedelta(days=400)
    )
    return application.register_entry


def expiring_in(entry, days: int) -> RegisterEntry:
    RegisterEntry.objects.filter(pk=entry.pk).update(
        valid_until=timezone.localdate() + timedelta(days=days)
    )
    entry.refresh_from_db()
    return entry


def log_cpd(owner, hours: str, *, equality: bool = False, days_ago: int = 30) -> EvidenceItem:
    return EvidenceItem.objects.create(
        owner=owner,
        kind=EvidenceItem.Kind.TRAINING,
        title=f"{'Equality and inclusion' if equality else 'Attachment'} training",
        start_date=timezone.localdate() - timedelta(days=days_ago),
        hours=Decimal(hours),
        equality_inclusion=equality,
    )


def renew_url(entry) -> str:
    return reverse("register:renew", args=[entry.pk])


DECLARED = {"declared_accuracy": "on", "declared_conduct": "on"}


def test_outside_the_window_the_page_says_when_renewal_opens(practitioner_client, entry):
    opens = entry.valid_until - timedelta(days=60)

    page = practitioner_client.get(renew_url(entry)).content.decode()

    assert f"Renewal opens on {opens:%-d %B %Y}." in page
    assert 'name="declared_accuracy"' not in page


def test_inside_the_window_the_page_shows_hours_against_the_requirement(
    practitioner, practitioner_client, entry
):
    entry = expiring_in(entry, 30)
    log_cpd(practitioner, "12")
    log_cpd(practitioner, "0.5", equality=True)

    response = practitioner_client.get(renew_url(entry))

    page = response.content.decode()
    assert response.status_code == 200
    # The equality and inclusion hours count towards the total too.
    assert '<strong class="fs-5">12.5 hours</strong> logged; 15 hours needed' in page
    assert '<strong class="fs-5">0.5 hours</strong> logged; 1 hour needed' in page
    assert page.count(">Below<") == 2
    assert reverse("evidence:cpd") in page
    assert 'name="declared_accuracy"' in page and 'name="declared_conduct"' in page
    assert 'name="explanation"' in page


def test_one_hour_is_one_hour_on_the_renewal_page(practitioner, practitioner_client, entry):
    entry = expiring_in(entry, 30)
    log_cpd(practitioner, "1", equality=True)

    page = practitioner_client.get(renew_url(entry)).content.decode()

    assert '<strong class="fs-5">1 hour</strong> logged; 15 hours needed' in page
    assert '<strong class="fs-5">1 hour</strong> logged; 1 hour needed' in page
    assert "1 hours" not in page


def test_renewing_with_enough_hours_extends_the_entry_by_a_year(
    practitioner, practitioner_client, entry
):
    entry = expiring_in(entry, 30)
    old_until = entry.valid_until
    log_cpd(practitioner, "14")
    log_cpd(practitioner, "1", equality=True)

    page = practitioner_client.get(renew_url(entry)).content.decode()
    response = practitioner_client.post(renew_url(entry), DECLARED, follow=True)

    assert 'name="explanation"' not in page
    entry.refresh_from_db()
    assert entry.valid_until == old_until + timedelta(days=365)
    renewal = entry.renewals.get()
    assert (renewal.status, renewal.cpd_hours) == (Renewal.Status.APPROVED, Decimal("15"))
    assert response.redirect_chain == [(renew_url(entry), 302)]
    assert f"It is now valid until {entry.valid_until:%-d %B %Y}." in response.content.decode()


def test_below_the_requirement_an_explanation_is_needed_and_a_reviewer_decides(
    practitioner, practitioner_client, entry
):
    entry = expiring_in(entry, 30)
    old_until = entry.valid_until
    log_cpd(practitioner, "6")

    refused = practitioner_client.post(renew_url(entry), DECLARED)
    sent = practitioner_client.post(
        renew_url(entry), {**DECLARED, "explanation": "Six months of parental leave."}, follow=True
    )

    assert refused.status_code == 400
    assert "Explain why your hours are below the requirement" in refused.content.decode()
    renewal = entry.renewals.get()
    assert renewal.status == Renewal.Status.NEEDS_JUDGEMENT
    assert renewal.explanation == "Six months of parental leave."
    entry.refresh_from_db()
    assert (entry.valid_until, entry.status) == (old_until, RegisterEntry.Status.ACTIVE)
    page = sent.content.decode()
    assert "Your renewal has gone to a reviewer" in page
    assert "a reviewer is reading your explanation" in page
    assert 'name="declared_accuracy"' not in page


def test_a_setting_changes_the_hours_required(practitioner, practitioner_client, entry, settings):
    settings.IMHCF_RENEWAL_CPD_HOURS = 5
    settings.IMHCF_RENEWAL_EQUALITY_HOURS = 0
    entry = expiring_in(entry, 30)
    log_cpd(practitioner, "6")

    practitioner_client.post(renew_url(entry), DECLARED)

    assert entry.renewals.get().status == Renewal.Status.APPROVED


def test_renewal_without_the_declarations_is_refused(practitioner, practitioner_client, entry):
    entry = expiring_in(entry, 30)
    log_cpd(practitioner, "20")
    log_cpd(practitioner, "2", equality=True)

    response = practitioner_client.post(renew_url(entry), {"declared_accuracy": "on"})

    assert response.status_code == 400
    assert 'href="#id_declared_conduct"' in response.content.decode()
    assert not entry.renewals.exists()


def test_renewing_before_the_window_opens_is_refused_with_the_date(
    practitioner, practitioner_client, entry
):
    log_cpd(practitioner, "20")
    log_cpd(practitioner, "2", equality=True)
    opens = entry.valid_until - timedelta(days=60)

    response = practitioner_client.post(renew_url(entry), DECLARED, follow=True)

    assert f"Renewal opens on {opens:%-d %B %Y}." in response.content.decode()
    assert not entry.renewals.exists()


def test_after_the_grace_period_the_page_says_renewal_has_closed(practitioner_client, entry):
    entry = expiring_in(entry, -31)

    page = practitioner_client.get(renew_url(entry)).content.decode()

    assert "The renewal period ended on" in page
    assert 'name="declared_accuracy"' not in page


def test_a_suspended_entry_can_be_renewed_and_is_told_the_suspension_stays(
    practitioner_client, entry
):
    """A sanction does not end by lapse: a suspended practitioner renews (README: the rules)."""
    entry = expiring_in(entry, 30)
    RegisterEntry.objects.filter(pk=entry.pk).update(status=RegisterEntry.Status.SUSPENDED)

    page = practitioner_client.get(renew_url(entry)).content.decode()

    assert "cannot be renewed" not in page
    assert 'name="declared_accuracy"' in page
    assert "Your suspension stays in place" in page


def test_a_removed_entry_cannot_be_renewed(practitioner_client, entry):
    entry = expiring_in(entry, 30)
    RegisterEntry.objects.filter(pk=entry.pk).update(status=RegisterEntry.Status.REMOVED)

    page = practitioner_client.get(renew_url(entry)).content.decode()

    assert "This entry is Removed, so it cannot be renewed." in page
    assert 'name="declared_accuracy"' not in page


def test_the_application_page_links_to_renewal_once_the_window_opens(practitioner_client, entry):
    detail = reverse("register:application_detail", args=[entry.application_id])
    before = practitioner_client.get(detail).content.decode()
    expiring_in(entry, 30)
    during = practitioner_client.get(detail).content.decode()

    assert "Renewal opens on" in before
    assert "Renew your recognition" not in before
    assert "Renew your recognition" in during


def test_other_practitioner_gets_404_for_renewal(other_client, entry):
    entry = expiring_in(entry, 30)
    assert other_client.get(renew_url(entry)).status_code == 404
    assert other_client.post(renew_url(entry), DECLARED).status_code == 404
    assert not entry.renewals.exists()


def test_anonymous_renewal_is_sent_to_sign_in(anon_client, entry):
    for response in (anon_client.get(renew_url(entry)), anon_client.post(renew_url(entry))):
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_renewal_by_put_is_405(practitioner_client, entry):
    assert practitioner_client.put(renew_url(entry)).status_code == 405
