"""The register's state machine, through its services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from evidence import services as evidence_services
from evidence.errors import EvidenceError
from register.errors import RegisterError, TransitionNotAllowed
from register.models import Application, AuditEvent, DossierEvidence, Notification, RegisterEntry
from register.selectors.notifications import pending_notification_ids
from register.services import applying, entries, notifications, reviewing
from tests.factories import UserFactory, build_framework
from tests.register import helpers


@pytest.fixture
def version(db):
    return build_framework(domains=7, competencies_per_domain=2)


def _actions(application):
    return list(application.audit_events.values_list("action", "from_status", "to_status"))


def test_submit_freezes_the_dossier_and_audits(application, practitioner):
    assert application.status == Application.Status.SUBMITTED
    assert application.dossier_statements.filter(round=1).count() == 14  # 7 x 2 at level 1
    assert application.dossier_evidence.count() == 1
    assert _actions(application) == [("submit", "", "submitted")]
    assert Notification.objects.filter(recipient=practitioner, application=application).count() == 1


def test_submit_is_refused_when_not_ready(other_practitioner, version):
    with pytest.raises(RegisterError, match="not ready"):
        applying.application_submit(
            applicant=other_practitioner, level=1, declarations=helpers.DECLARED
        )
    assert not Application.objects.exists()


def test_submit_needs_every_declaration(practitioner, version):
    helpers.make_ready_applicant(practitioner, version)
    with pytest.raises(RegisterError, match="declaration"):
        applying.application_submit(
            applicant=practitioner, level=1, declarations={"declared_accuracy": True}
        )


def test_second_submit_while_one_is_open_is_refused(application, practitioner):
    with pytest.raises(RegisterError, match="already have an application"):
        applying.application_submit(applicant=practitioner, level=1, declarations=helpers.DECLARED)
    assert Application.objects.count() == 1


def test_later_evidence_edits_never_change_the_dossier_and_deletion_is_refused(application):
    frozen = DossierEvidence.objects.get(application=application)
    item = frozen.evidence_item
    evidence_services.evidence_item_update(item=item, data={"title": "Renamed later"})
    frozen.refresh_from_db()
    assert frozen.title == "Infant mental health foundation course"
    with pytest.raises(EvidenceError, match="submitted"):
        evidence_services.evidence_item_delete(item=item)


def test_two_reviewers_agreeing_decide_with_one_entry_and_one_email(
    application, reviewer, second_reviewer
):
    helpers.approve(application, reviewer, second_reviewer)
    assert helpers.status_now(application) == Application.Status.APPROVED
    entry = RegisterEntry.objects.get(application=application)
    assert entry.status == RegisterEntry.Status.ACTIVE
    assert entry.valid_until == timezone.localdate() + timedelta(days=365)
    approved = Notification.objects.filter(
        application=application, dedupe_key__startswith="decision:"
    )
    assert approved.count() == 1
    for notification_id in pending_notification_ids():
        notifications.notification_send(notification_id=notification_id)
    assert [m.subject for m in mail.outbox].count("[IMHCF] You are recognised at Level 1") == 1
    assert [a for a, _f, _t in _actions(application)] == [
        "submit",
        "claim",
        "claim",
        "recommend",
        "recommend",
    ]


def test_a_third_reviewer_cannot_claim(application, reviewer, second_reviewer):
    third = UserFactory(groups=["Reviewers"])
    reviewing.application_claim(application=application, reviewer=reviewer)
    reviewing.application_claim(application=application, reviewer=second_reviewer)
    with pytest.raises(RegisterError, match="already has its reviewers"):
        reviewing.application_claim(application=application, reviewer=third)


def test_reviewers_cannot_review_their_own_or_their_organisations_application(
    application, reviewer, version
):
    helpers.make_profile(reviewer, organisation="  riverside   health visiting ")
    with pytest.raises(RegisterError, match="own organisation"):
        reviewing.application_claim(application=application, reviewer=reviewer)
    own = helpers.submit(reviewer, version)
    with pytest.raises(RegisterError, match="own application"):
        reviewing.application_claim(application=own, reviewer=reviewer)


def test_declaring_a_conflict_releases_and_bars_a_second_claim(application, reviewer):
    assignment = reviewing.application_claim(application=application, reviewer=reviewer)
    reviewing.assignment_release(
        assignment=assignment, actor=reviewer, reason="conflict", note="I supervised her."
    )
    assert helpers.status_now(application) == Application.Status.SUBMITTED
    with pytest.raises(RegisterError, match="conflict"):
        reviewing.application_claim(application=application, reviewer=reviewer)


def test_recommending_before_every_statement_is_reviewed_is_refused(application, reviewer):
    assignment = reviewing.application_claim(application=application, reviewer=reviewer)
    with pytest.raises(RegisterError, match="every statement"):
        reviewing.application_recommend(assignment=assignment, recommendation="approve", reasons="")


def test_disagreement_goes_to_an_admin_who_decides(
    application, reviewer, second_reviewer, admin_user
):
    helpers.decide(application, reviewer, second_reviewer, "approve", "reject")
    assert helpers.status_now(application) == Application.Status.MODERATION
    reviewing.application_moderate(
        application=application,
        moderator=admin_user,
        outcome="approve",
        reasons="Evidence is sound.",
    )
    assert helpers.status_now(application) == Application.Status.APPROVED
    assert application.decided_by == admin_user


def test_changes_requested_then_resubmitted_continues_with_the_same_reviewers(
    application, practitioner, reviewer, second_reviewer
):
    helpers.decide(application, reviewer, second_reviewer, "changes", "changes")
    assert helpers.status_now(application) == Application.Status.CHANGES_REQUESTED
    applying.application_resubmit(
        application=application, applicant=practitioner, note="Added more."
    )
    assert helpers.status_now(application) == Application.Status.IN_REVIEW
    assert application.round == 2
    assert application.dossier_statements.filter(round=2).count() == 14
    assert set(
        application.assignments.filter(released_at__isnull=True, round=2).values_list(
            "reviewer", flat=True
        )
    ) == {
        reviewer.pk,
        second_reviewer.pk,
    }
    helpers.recommend(application, reviewer, "approve")
    helpers.recommend(application, second_reviewer, "approve")
    assert helpers.status_now(application) == Application.Status.APPROVED


def test_illegal_transitions_are_refused_and_leave_no_audit(application, practitioner, admin_user):
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionNotAllowed):
        applying.application_resubmit(application=application, applicant=practitioner)
    with pytest.raises(TransitionNotAllowed):
        applying.application_appeal(
            application=application,
            applicant=practitioner,
            statement="I disagree with this decision.",
        )
    with pytest.raises(RegisterError):
        reviewing.application_moderate(
            application=application, moderator=admin_user, outcome="approve", reasons="x"
        )
    assert AuditEvent.objects.count() == before


def test_withdraw_before_a_decision_only(application, practitioner, reviewer, second_reviewer):
    applying.application_withdraw(application=application, applicant=practitioner, reason="Not now")
    assert helpers.status_now(application) == Application.Status.WITHDRAWN
    with pytest.raises(TransitionNotAllowed):
        applying.application_withdraw(application=application, applicant=practitioner)


def test_appeal_within_the_window_is_heard_by_an_admin_who_did_not_review(
    application, practitioner, reviewer, second_reviewer, admin_user
):
    helpers.decide(application, reviewer, second_reviewer, "reject", "reject")
    applying.application_appeal(
        application=application,
        applicant=practitioner,
        statement="The reviewers missed my evidence.",
    )
    assert helpers.status_now(application) == Application.Status.APPEALED
    reviewer.is_staff = True
    reviewer.save()
    with pytest.raises(RegisterError, match="someone else"):
        reviewing.appeal_decide(application=application, admin=reviewer, upheld=True, reasons="x")
    reviewing.appeal_decide(
        application=application, admin=admin_user, upheld=True, reasons="Missed."
    )
    assert helpers.status_now(application) == Application.Status.APPROVED
    assert RegisterEntry.objects.filter(application=application).exists()


def test_appeal_after_the_window_is_refused(
    application, practitioner, reviewer, second_reviewer, settings
):
    helpers.decide(application, reviewer, second_reviewer, "reject", "reject")
    Application.objects.filter(pk=application.pk).update(
        decided_at=timezone.now() - timedelta(days=settings.IMHCF_APPEAL_WINDOW_DAYS + 1)
    )
    with pytest.raises(RegisterError, match="has passed"):
        applying.application_appeal(
            application=application, applicant=practitioner, statement="Too late but trying anyway."
        )


def test_suspend_remove_reinstate_with_reasons_in_the_audit(
    application, reviewer, second_reviewer, admin_user
):
    helpers.approve(application, reviewer, second_reviewer)
    entry = application.register_entry
    with pytest.raises(RegisterError, match="reason"):
        entries.entry_suspend(
            entry=entry, admin=admin_user, restriction="Supervised only", reason=""
        )
    entries.entry_suspend(
        entry=entry, admin=admin_user, restriction="Supervised practice only", reason="Panel"
    )
    entries.entry_reinstate(entry=entry, admin=admin_user, reason="Panel lifted it")
    entries.entry_remove(entry=entry, admin=admin_user, reason="Left the profession")
    assert helpers.status_now(entry) == RegisterEntry.Status.REMOVED
    assert list(entry.audit_events.values_list("action", "reason")) == [
        ("suspend", "Panel"),
        ("reinstate", "Panel lifted it"),
        ("remove", "Left the profession"),
    ]
    with pytest.raises(TransitionNotAllowed):
        entries.entry_suspend(entry=entry, admin=admin_user, restriction="x", reason="y")


def test_audit_events_cannot_be_changed_or_deleted_through_the_app(application):
    event = application.audit_events.get()
    event.reason = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_audit_table_refuses_raw_updates_on_postgresql(application):
    from tests.realservices import require_postgresql

    require_postgresql()
    from django.db import DatabaseError, transaction

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE register_auditevent SET reason = 'x'")
