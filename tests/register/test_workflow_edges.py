"""The register's edges, as its administrators walk them (issue 14, part 6).

Each test names a fault that was found and the rule that now holds.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from register.errors import RegisterError
from register.models import (
    Application,
    AuditEvent,
    Notification,
    NotificationPreference,
    RegisterEntry,
    Renewal,
)
from register.services import applying, entries, notifications, renewals, reviewing
from tests.factories import build_framework
from tests.register import helpers
from tests.register.test_staff_views import client_for, make_admin

E = RegisterEntry.Status
DECLARED = {"declared_accuracy": True, "declared_conduct": True}


@pytest.fixture
def version(db):
    return build_framework(domains=2, competencies_per_domain=2)


def _due_in(entry, days: int) -> RegisterEntry:
    RegisterEntry.objects.filter(pk=entry.pk).update(
        valid_until=timezone.localdate() + timedelta(days=days)
    )
    entry.refresh_from_db()
    return entry


def _waiting_renewal(entry, practitioner) -> Renewal:
    """A renewal below the CPD requirement, sent in time, now with a reviewer."""
    return renewals.renewal_submit(
        entry=entry,
        practitioner=practitioner,
        declarations=DECLARED,
        explanation="I was on parental leave for seven months of the year.",
    )


@pytest.fixture
def renewal(entry, practitioner, settings) -> Renewal:
    """``entry`` due in ten days and renewed in time, below the CPD requirement of 15 hours, so
    the renewal is with a reviewer."""
    settings.IMHCF_RENEWAL_CPD_HOURS = 15
    return _waiting_renewal(_due_in(entry, 10), practitioner)


def _rejected_and_appealed(application, moderator, practitioner, *, reasons, statement):
    """``moderator`` rejects ``application`` (in moderation) for ``reasons``, and the
    practitioner appeals with ``statement``."""
    reviewing.application_moderate(
        application=application, moderator=moderator, outcome="reject", reasons=reasons
    )
    applying.application_appeal(
        application=application, applicant=practitioner, statement=statement
    )


# --- Appeal conflict ---


def test_the_moderator_who_rejected_cannot_hear_the_appeal(
    application, practitioner, reviewer, second_reviewer
):
    moderator = make_admin("Morag Moderator")
    helpers.disagree(application, reviewer, second_reviewer, "No applied practice")
    _rejected_and_appealed(
        application,
        moderator,
        practitioner,
        reasons="Too thin.",
        statement="The moderator did not read my supervision log, which covers it.",
    )
    application.refresh_from_db()

    with pytest.raises(RegisterError, match="You made the decision under appeal"):
        reviewing.appeal_decide(
            application=application, admin=moderator, upheld=False, reasons="Still thin."
        )
    page = client_for(moderator).get(reverse("register:staff_application", args=[application.pk]))
    assert "You made the decision under appeal" in page.content.decode()
    assert 'name="appeal-reasons"' not in page.content.decode()

    other_admin = make_admin("Oona Other-Admin")
    reviewing.appeal_decide(
        application=application, admin=other_admin, upheld=True, reasons="The log covers it."
    )
    assert helpers.status_now(application) == Application.Status.APPROVED


# --- Renewals that lapse while waiting ---


def test_a_renewal_sent_in_time_holds_the_entry_until_it_is_decided(
    entry, renewal, reviewer, settings
):
    settings.IMHCF_LAPSE_GRACE_DAYS = 30
    long_after = entry.valid_until + timedelta(days=90)

    assert entries.entries_lapse(today=long_after) == 0
    assert helpers.status_now(entry) == E.ACTIVE

    before = entry.valid_until
    renewals.renewal_decide(renewal=renewal, reviewer=reviewer, approve=True, reasons="Fair.")
    entry.refresh_from_db()
    assert entry.valid_until == before + timedelta(days=365)
    assert entry.status == E.ACTIVE


def test_a_renewal_left_waiting_on_an_entry_that_already_lapsed_can_still_be_decided(
    entry, renewal, reviewer
):
    """Entries lapsed under the old rule: approval restores them, nothing sits in the queue."""
    RegisterEntry.objects.filter(pk=entry.pk).update(status=E.LAPSED)

    renewals.renewal_decide(renewal=renewal, reviewer=reviewer, approve=True, reasons="Fair.")
    assert helpers.status_now(entry) == E.ACTIVE
    assert AuditEvent.objects.filter(
        entry=entry, action="renewal_decide", from_status=E.LAPSED, to_status=E.ACTIVE
    ).exists()


def test_a_refused_renewal_lets_the_entry_lapse_after_the_grace_period(
    entry, renewal, reviewer, settings
):
    renewals.renewal_decide(renewal=renewal, reviewer=reviewer, approve=False, reasons="No CPD.")
    today = entry.valid_until + timedelta(days=settings.IMHCF_LAPSE_GRACE_DAYS + 1)
    assert entries.entries_lapse(today=today) == 1


# --- Reminders on or after their day, never twice -------------------------------------------------


def _reminders(entry) -> list[str]:
    return sorted(
        Notification.objects.filter(dedupe_key__startswith=f"reminder:{entry.pk}:").values_list(
            "dedupe_key", flat=True
        )
    )


def test_a_reminder_whose_day_was_missed_goes_on_the_next_run(entry, settings):
    settings.IMHCF_RENEWAL_REMINDER_DAYS = [60, 30, 7]
    entry = _due_in(entry, 27)  # the 30-day run was missed three days ago
    assert renewals.renewal_reminders_send() == 1
    assert _reminders(entry) == [f"reminder:{entry.pk}:{entry.valid_until.isoformat()}:30"]


def test_each_reminder_goes_once_and_only_the_nearest_when_several_are_due(entry, settings):
    settings.IMHCF_RENEWAL_REMINDER_DAYS = [60, 30, 7]
    entry = _due_in(entry, 5)  # every run was missed: only the 7-day one goes
    assert renewals.renewal_reminders_send() == 1
    assert renewals.renewal_reminders_send() == 0
    today = timezone.localdate()
    assert renewals.renewal_reminders_send(today=today + timedelta(days=1)) == 0
    assert _reminders(entry) == [f"reminder:{entry.pk}:{entry.valid_until.isoformat()}:7"]


def test_the_next_reminder_goes_when_its_own_day_comes(entry, settings):
    settings.IMHCF_RENEWAL_REMINDER_DAYS = [30, 7]
    entry = _due_in(entry, 30)
    today = timezone.localdate()
    assert renewals.renewal_reminders_send(today=today) == 1
    assert renewals.renewal_reminders_send(today=today + timedelta(days=10)) == 0
    assert renewals.renewal_reminders_send(today=today + timedelta(days=24)) == 1
    assert len(_reminders(entry)) == 2


def test_nobody_whose_renewal_is_with_a_reviewer_is_reminded(entry, practitioner, settings):
    settings.IMHCF_RENEWAL_CPD_HOURS = 15
    settings.IMHCF_RENEWAL_REMINDER_DAYS = [30, 7]
    entry = _due_in(entry, 20)
    _waiting_renewal(entry, practitioner)
    assert renewals.renewal_reminders_send() == 0


# --- TRUNCATE ---


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_the_audit_table_refuses_truncate(application):
    assert AuditEvent.objects.exists()
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        # The test database allows it (tests/conftest.py); a real one does not.
        # Check the rows' deferred foreign keys now: TRUNCATE refuses to run before they are.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER DATABASE {name} RESET imhcf.audit_truncate")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE register_auditevent")
        # A setting made in the session is not the database owner's: still refused.
        cursor.execute("SET imhcf.audit_truncate = 'allowed'")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE register_auditevent")
        cursor.execute("RESET imhcf.audit_truncate")
        cursor.execute(f"ALTER DATABASE {name} SET imhcf.audit_truncate = 'allowed'")
    assert AuditEvent.objects.exists()


# --- Restriction text kept ---


def test_the_published_restriction_stays_in_the_audit_after_reinstatement(entry, admin_user):
    entries.entry_suspend(
        entry=entry,
        admin=admin_user,
        restriction="Must not work unsupervised with families until 1 March.",
        reason="Concern under investigation.",
    )
    entries.entry_reinstate(entry=entry, admin=admin_user, reason="Investigation closed.")
    entry.refresh_from_db()
    assert entry.restriction == ""
    suspend, reinstate = AuditEvent.objects.filter(
        entry=entry, action__in=["suspend", "reinstate"]
    ).order_by("id")
    text = "Must not work unsupervised with families until 1 March."
    assert suspend.detail == {"restriction_before": "", "restriction_after": text}
    assert reinstate.detail == {"restriction_before": text, "restriction_after": ""}


# --- Suspension and renewal ---


def test_a_suspended_practitioner_can_renew_and_stays_suspended(
    entry, practitioner, admin_user, settings
):
    settings.IMHCF_RENEWAL_CPD_HOURS = 0
    settings.IMHCF_RENEWAL_EQUALITY_HOURS = 0
    entries.entry_suspend(entry=entry, admin=admin_user, restriction="Suspended.", reason="R.")
    entry = _due_in(entry, 10)
    before = entry.valid_until
    renewal = renewals.renewal_submit(entry=entry, practitioner=practitioner, declarations=DECLARED)
    entry.refresh_from_db()
    assert renewal.status == Renewal.Status.APPROVED
    assert (entry.status, entry.valid_until) == (E.SUSPENDED, before + timedelta(days=365))


def test_a_suspension_past_the_valid_until_date_stays_public_and_does_not_lapse(
    entry, admin_user, client, settings
):
    entries.entry_suspend(
        entry=entry, admin=admin_user, restriction="Suspended pending a hearing.", reason="R."
    )
    entry = _due_in(entry, -(settings.IMHCF_LAPSE_GRACE_DAYS + 5))
    assert entries.entries_lapse() == 0
    assert helpers.status_now(entry) == E.SUSPENDED
    body = client.get(reverse("register:entry", args=[entry.registration_number])).content.decode()
    assert "Suspended pending a hearing." in body

    # Ended after the recognition ran out: the entry lapses rather than coming back.
    entries.entry_reinstate(entry=entry, admin=admin_user, reason="Hearing: no case.")
    assert helpers.status_now(entry) == E.LAPSED


def test_a_suspension_ended_within_the_grace_period_leaves_time_to_renew(entry, admin_user):
    entries.entry_suspend(entry=entry, admin=admin_user, restriction="Suspended.", reason="R.")
    entry = _due_in(entry, -3)
    entries.entry_reinstate(entry=entry, admin=admin_user, reason="Ended.")
    assert helpers.status_now(entry) == E.ACTIVE


# --- Grace-period wording ---


def test_verify_in_the_grace_period_says_the_practitioner_can_still_renew(entry, client, settings):
    settings.IMHCF_LAPSE_GRACE_DAYS = 30
    entry = _due_in(entry, -3)
    body = client.get(reverse("register:verify", args=[entry.registration_number])).content.decode()
    closes = entry.valid_until + timedelta(days=30)
    assert "Not currently registered" in body
    assert "can still renew until" in body
    assert f"{closes.day} {closes:%B %Y}" in body
    assert "lapsed or been removed" not in body
    assert entry.display_name not in body


# --- Notifications ---


def test_reviewers_hear_of_a_new_application_but_not_the_applicant(
    practitioner, reviewer, second_reviewer, version
):
    application = helpers.submit(practitioner, version)
    told = set(
        Notification.objects.filter(
            dedupe_key__startswith=f"new-application:{application.pk}:"
        ).values_list("recipient__email", flat=True)
    )
    assert told == {reviewer.email, second_reviewer.email}


def test_staff_hear_of_moderation_and_appeals(application, practitioner, reviewer, second_reviewer):
    admin = make_admin("Ada Staff")
    helpers.disagree(application, reviewer, second_reviewer, "Thin.")
    assert Notification.objects.filter(
        recipient=admin, dedupe_key__startswith=f"moderation:{application.pk}:"
    ).exists()
    _rejected_and_appealed(
        application,
        admin,
        practitioner,
        reasons="Thin.",
        statement="Please look again at my supervision records for domain two.",
    )
    assert Notification.objects.filter(
        recipient=admin, dedupe_key=f"appeal-staff:{application.pk}:{admin.pk}"
    ).exists()


def test_a_renewal_sent_to_a_reviewer_emails_the_practitioner_as_the_page_promises(
    renewal, practitioner, reviewer
):
    mine = Notification.objects.get(dedupe_key=f"renewal-waiting:{renewal.pk}")
    assert mine.recipient == practitioner
    assert "stay on the register meanwhile" in mine.body
    assert Notification.objects.filter(
        recipient=reviewer, dedupe_key=f"renewal-reviewer:{renewal.pk}:{reviewer.pk}"
    ).exists()
    assert mine.email_status == Notification.EmailStatus.PENDING
    assert notifications.notification_send(notification_id=mine.pk)
    assert any(practitioner.email in m.to for m in mail.outbox)


def test_a_reviewer_who_chose_the_digest_gets_one_email_a_day(
    practitioner, reviewer, second_reviewer, other_practitioner, version, settings
):
    notifications.preference_set(user=reviewer, daily_digest=True)
    helpers.submit(practitioner, version)
    helpers.submit(other_practitioner, version)
    held = Notification.objects.filter(recipient=reviewer)
    assert {n.email_status for n in held} == {Notification.EmailStatus.HELD}
    assert held.count() == 2
    mail.outbox.clear()

    assert notifications.digests_send() == 1
    assert notifications.digests_send() == 0  # nothing held any more
    (digest,) = [m for m in mail.outbox if reviewer.email in m.to]
    assert "2 notices" in digest.subject
    assert digest.body.count("If you have time, and no conflict of interest") == 2
    assert set(held.values_list("email_status", flat=True)) == {Notification.EmailStatus.SENT}


def test_the_email_settings_page_saves_the_choice(reviewer):
    client = client_for(reviewer)
    url = reverse("register:notification_settings")
    assert client.get(url).status_code == 200
    assert client.post(url, {"how": "nonsense"}).status_code == 400
    response = client.post(url, {"how": "digest"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=reviewer).daily_digest is True


def test_a_practitioner_has_no_email_settings_page(practitioner):
    response = client_for(practitioner).get(reverse("register:notification_settings"))
    assert response.status_code == 404
