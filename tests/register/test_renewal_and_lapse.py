from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from register.errors import RegisterError
from register.models import Notification, RegisterEntry, Renewal
from register.services import entries, renewals
from tests.evidence.factories import EvidenceItemFactory


@pytest.fixture
def entry(due_entry):
    return due_entry


def _log_hours(owner, hours: str, *, equality: bool = False):
    EvidenceItemFactory(
        owner=owner,
        start_date=timezone.localdate() - timedelta(days=10),
        hours=Decimal(hours),
        equality_inclusion=equality,
    )


DECLARED = {"declared_accuracy": True, "declared_conduct": True}


def test_renewal_meeting_the_cpd_requirement_extends_by_a_year(entry, practitioner, settings):
    settings.IMHCF_RENEWAL_CPD_HOURS = 15
    settings.IMHCF_RENEWAL_EQUALITY_HOURS = 1
    _log_hours(practitioner, "14")
    _log_hours(practitioner, "1.5", equality=True)
    before = entry.valid_until
    renewal = renewals.renewal_submit(entry=entry, practitioner=practitioner, declarations=DECLARED)
    entry.refresh_from_db()
    assert renewal.status == Renewal.Status.APPROVED
    assert entry.valid_until == before + timedelta(days=365)


def test_renewal_below_the_requirement_needs_an_explanation_then_a_reviewer(
    entry, practitioner, reviewer, settings
):
    settings.IMHCF_RENEWAL_CPD_HOURS = 15
    _log_hours(practitioner, "3")
    with pytest.raises(RegisterError, match="Explain"):
        renewals.renewal_submit(entry=entry, practitioner=practitioner, declarations=DECLARED)
    renewal = renewals.renewal_submit(
        entry=entry,
        practitioner=practitioner,
        declarations=DECLARED,
        explanation="Maternity leave.",
    )
    assert renewal.status == Renewal.Status.NEEDS_JUDGEMENT
    before = entry.valid_until
    renewals.renewal_decide(renewal=renewal, reviewer=reviewer, approve=True, reasons="Fair.")
    entry.refresh_from_db()
    assert entry.valid_until == before + timedelta(days=365)


def test_renewal_is_refused_before_the_window_opens(entry, practitioner, settings):
    entry.valid_until = timezone.localdate() + timedelta(days=settings.IMHCF_RENEWAL_OPENS_DAYS + 5)
    entry.save()
    with pytest.raises(RegisterError, match="opens on"):
        renewals.renewal_submit(entry=entry, practitioner=practitioner, declarations=DECLARED)


def test_reminders_go_at_the_configured_days_once_each(entry, settings):
    settings.IMHCF_RENEWAL_REMINDER_DAYS = [60, 30, 20, 7]
    assert renewals.renewal_reminders_send() == 1
    assert renewals.renewal_reminders_send() == 0  # asked again: already sent, nothing new
    assert Notification.objects.filter(dedupe_key__startswith=f"reminder:{entry.pk}:").count() == 1


def test_unrenewed_entries_lapse_after_the_grace_period_and_leave_the_register(entry, settings):
    settings.IMHCF_LAPSE_GRACE_DAYS = 30
    today = entry.valid_until + timedelta(days=31)
    assert entries.entries_lapse(today=today) == 1
    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.LAPSED
    assert not entry.is_publicly_listed
    assert entries.entries_lapse(today=today) == 0


def test_entries_inside_the_grace_period_do_not_lapse(entry, settings):
    settings.IMHCF_LAPSE_GRACE_DAYS = 30
    assert entries.entries_lapse(today=entry.valid_until + timedelta(days=10)) == 0


def test_renewal_period_boundaries(entry, settings):
    opens, closes = renewals.renewal_window(entry)
    assert opens == entry.valid_until - timedelta(days=settings.IMHCF_RENEWAL_OPENS_DAYS)
    assert closes == entry.valid_until + timedelta(days=settings.IMHCF_LAPSE_GRACE_DAYS)
    assert isinstance(opens, date)
