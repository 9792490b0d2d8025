"""The CPD audit at renewal (issue 14, part 3): the draw, its log, the record, the decision."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.roles import REVIEWERS_GROUP
from evidence.models import DocumentJob
from register.errors import RegisterError
from register.models import AuditEvent, CpdAudit, Notification, Renewal
from register.services import cpd_audit_draw, cpd_audits, entries, renewals
from tests.conftest import client_for
from tests.evidence.factories import EvidenceItemFactory
from tests.register import helpers

DECLARED = {"declared_accuracy": True, "declared_conduct": True}
CA = CpdAudit.Status


@pytest.fixture
def entry(settings, due_entry):
    settings.IMHCF_RENEWAL_CPD_HOURS = 15
    settings.IMHCF_RENEWAL_EQUALITY_HOURS = 1
    return due_entry


def _renewed_before(entry) -> Renewal:
    """A renewal approved a year ago: the next one is not the first."""
    return helpers.renewal_made(
        entry,
        status=Renewal.Status.APPROVED,
        days_ago=365,
        decided_at=timezone.now() - timedelta(days=365),
    )


def _log_cpd(owner, *, with_file: bool = False):
    items = [
        EvidenceItemFactory(
            owner=owner,
            title="Video feedback course",
            start_date=timezone.localdate() - timedelta(days=40),
            hours=Decimal("14"),
        ),
        EvidenceItemFactory(
            owner=owner,
            title="Equality in perinatal care",
            start_date=timezone.localdate() - timedelta(days=20),
            hours=Decimal("2"),
            equality_inclusion=True,
        ),
    ]
    if with_file:
        helpers.attach_file(items[0], name="certificate.pdf")
    return items


def _draws(entry) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(entry=entry, action="cpd_audit_draw").order_by("id"))


def _audited(entry, practitioner, settings) -> Renewal:
    settings.IMHCF_CPD_AUDIT_PERCENT = Decimal(100)
    _renewed_before(entry)
    return renewals.renewal_submit(entry=entry, practitioner=practitioner, declarations=DECLARED)


# --- The draw ---------------------------------------------------------------------------------


def test_the_share_setting_becomes_a_threshold_out_of_one_hundred_thousand(settings):
    settings.IMHCF_CPD_AUDIT_PERCENT = Decimal("2.5")
    assert cpd_audit_draw.threshold() == 2500
    settings.IMHCF_CPD_AUDIT_PERCENT = Decimal("0.125")
    assert cpd_audit_draw.threshold() == 125


def test_nobody_is_audited_at_their_first_renewal_even_when_every_renewal_is(
    entry, practitioner, settings
):
    settings.IMHCF_CPD_AUDIT_PERCENT = Decimal(100)
    _log_cpd(practitioner)
    renewal = renewals.renewal_submit(entry=entry, practitioner=practitioner, declarations=DECLARED)
    assert renewal.status == Renewal.Status.APPROVED
    assert not CpdAudit.objects.exists()
    (draw,) = _draws(entry)
    assert draw.detail["first_renewal"] is True
    assert draw.detail["draw"] is None and draw.detail["chosen"] is False


def test_a_later_renewal_is_chosen_the_practitioner_is_asked_and_the_entry_waits(
    entry, practitioner, settings
):
    _log_cpd(practitioner)
    before = entry.valid_until
    renewal = _audited(entry, practitioner, settings)
    entry.refresh_from_db()
    assert renewal.status == Renewal.Status.AUDIT
    assert entry.valid_until == before  # not extended until the audit is decided
    audit = renewal.cpd_audit
    assert audit.status == CA.REQUESTED
    assert audit.due_on == timezone.localdate() + timedelta(days=settings.IMHCF_CPD_AUDIT_DAYS)
    assert Notification.objects.filter(
        recipient=practitioner, dedupe_key=f"cpd-audit-requested:{audit.pk}"
    ).exists()
    # Waiting on the audit holds the entry past its date, as a renewal with a reviewer does.
    today = entry.valid_until + timedelta(days=settings.IMHCF_LAPSE_GRACE_DAYS + 5)
    assert entries.entries_lapse(today=today) == 0
    with pytest.raises(RegisterError, match="already waiting"):
        renewals.renewal_submit(entry=entry, practitioner=practitioner, declarations=DECLARED)


def test_with_a_share_of_nothing_no_renewal_is_chosen_and_the_draw_is_still_logged(
    entry, practitioner, settings
):
    settings.IMHCF_CPD_AUDIT_PERCENT = Decimal(0)
    _renewed_before(entry)
    _log_cpd(practitioner)
    renewal = renewals.renewal_submit(entry=entry, practitioner=practitioner, declarations=DECLARED)
    assert renewal.status == Renewal.Status.APPROVED
    (draw,) = _draws(entry)
    assert draw.detail["threshold"] == 0 and draw.detail["chosen"] is False
    assert 0 <= draw.detail["draw"] < cpd_audit_draw.OUT_OF


@pytest.mark.parametrize("percent", [Decimal("0"), Decimal("50"), Decimal("100")])
def test_every_choice_can_be_checked_from_the_log_alone(entry, practitioner, settings, percent):
    """The log holds the draw, the threshold and the result: chosen exactly when below it."""
    settings.IMHCF_CPD_AUDIT_PERCENT = percent
    _renewed_before(entry)
    _log_cpd(practitioner)
    renewal = renewals.renewal_submit(entry=entry, practitioner=practitioner, declarations=DECLARED)
    (draw,) = _draws(entry)
    detail = draw.detail
    assert detail["renewal"] == renewal.pk
    assert detail["percent"] == str(percent)
    assert detail["chosen"] == (detail["draw"] < detail["threshold"])
    assert detail["chosen"] == CpdAudit.objects.filter(renewal=renewal).exists()
    if detail["chosen"]:
        audit = renewal.cpd_audit
        assert (audit.draw, audit.threshold, audit.out_of) == (
            detail["draw"],
            detail["threshold"],
            detail["out_of"],
        )


# --- The record and the decision --------------------------------------------------------------


def test_the_practitioner_sends_their_record_and_it_is_frozen_with_its_files(
    entry, practitioner, reviewer, settings, private_storage
):
    items = _log_cpd(practitioner, with_file=True)
    audit = _audited(entry, practitioner, settings).cpd_audit
    cpd_audits.cpd_audit_submit(audit=audit, practitioner=practitioner, statement="  All logged. ")
    assert helpers.status_now(audit) == CA.SUBMITTED
    assert audit.statement == "All logged."
    # The applicant's earlier evidence in the period is in the log too, by date.
    sent = {activity["item"]: activity for activity in audit.record}
    assert [a["start"] for a in audit.record] == sorted(a["start"] for a in audit.record)
    assert sent[items[0].pk]["title"] == "Video feedback course"
    assert sent[items[1].pk]["equality"] is True
    assert sent[items[0].pk]["files"][0]["name"] == "certificate.pdf"
    assert audit.files.filter(evidence_file=items[0].files.get()).exists()
    assert audit.record_document.kind == DocumentJob.Kind.CPD_RECORD
    assert audit.record_document.owner == practitioner
    # Editing the log afterwards does not change what was sent.
    items[0].title = "Renamed"
    items[0].save()
    audit.refresh_from_db()
    assert {a["item"]: a for a in audit.record}[items[0].pk]["title"] == "Video feedback course"
    assert Notification.objects.filter(
        recipient=reviewer, dedupe_key=f"cpd-audit-reviewer:{audit.pk}:{reviewer.pk}"
    ).exists()


def test_an_empty_log_cannot_be_sent_and_someone_else_cannot_send_it(
    entry, practitioner, other_practitioner, settings
):
    _log_cpd(practitioner)
    audit = _audited(entry, practitioner, settings).cpd_audit
    with pytest.raises(RegisterError, match="Only the practitioner"):
        cpd_audits.cpd_audit_submit(audit=audit, practitioner=other_practitioner, statement="")
    # A period in which nothing was logged.
    Renewal.objects.filter(pk=audit.renewal_id).update(
        period_start=timezone.localdate() - timedelta(days=3000),
        period_end=timezone.localdate() - timedelta(days=2900),
    )
    audit = CpdAudit.objects.get(pk=audit.pk)
    with pytest.raises(RegisterError, match="no activities"):
        cpd_audits.cpd_audit_submit(audit=audit, practitioner=practitioner, statement="")
    assert helpers.status_now(audit) == CA.REQUESTED


def _submitted(entry, practitioner, settings) -> CpdAudit:
    audit = _audited(entry, practitioner, settings).cpd_audit
    return cpd_audits.cpd_audit_submit(audit=audit, practitioner=practitioner, statement="")


def test_a_passed_audit_renews_and_a_failed_one_refuses_with_the_reasons(
    entry, practitioner, reviewer, second_reviewer, settings
):
    _log_cpd(practitioner)
    audit = _submitted(entry, practitioner, settings)
    before = entry.valid_until
    with pytest.raises(RegisterError, match="Take the audit"):
        cpd_audits.cpd_audit_decide(audit=audit, reviewer=reviewer, passed=True, reasons="Fine.")
    cpd_audits.cpd_audit_claim(audit=audit, reviewer=reviewer)
    with pytest.raises(RegisterError, match="Another reviewer"):
        cpd_audits.cpd_audit_claim(audit=audit, reviewer=second_reviewer)
    cpd_audits.cpd_audit_decide(
        audit=audit, reviewer=reviewer, passed=True, reasons="Certificates match."
    )
    audit.refresh_from_db()
    entry.refresh_from_db()
    assert audit.status == CA.PASSED
    assert audit.renewal.status == Renewal.Status.APPROVED
    assert audit.renewal.decision_reasons == "Certificates match."
    assert entry.valid_until == before + timedelta(days=365)
    assert AuditEvent.objects.filter(
        entry=entry, action="renewal_decide", detail__cpd_audit=audit.pk
    ).exists()
    assert list(
        AuditEvent.objects.filter(subject=f"cpd_audit:{audit.pk}")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["cpd_audit_submit", "cpd_audit_claim", "cpd_audit_decide"]


def test_a_failed_audit_refuses_the_renewal_and_tells_the_practitioner(
    entry, practitioner, reviewer, settings
):
    _log_cpd(practitioner)
    audit = _submitted(entry, practitioner, settings)
    cpd_audits.cpd_audit_claim(audit=audit, reviewer=reviewer)
    cpd_audits.cpd_audit_decide(
        audit=audit, reviewer=reviewer, passed=False, reasons="No evidence of the course."
    )
    assert helpers.status_now(audit) == CA.FAILED
    assert audit.renewal.status == Renewal.Status.REFUSED
    message = Notification.objects.get(dedupe_key=f"renewal-refused:{audit.renewal.pk}")
    assert "No evidence of the course." in message.body


def test_a_reviewer_never_checks_their_own_audit(entry, practitioner, settings):
    _log_cpd(practitioner)
    audit = _submitted(entry, practitioner, settings)
    practitioner.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    with pytest.raises(RegisterError, match="your own CPD"):
        cpd_audits.cpd_audit_claim(audit=audit, reviewer=practitioner)


def test_an_unanswered_audit_may_be_decided_only_after_its_due_date(
    entry, practitioner, reviewer, settings
):
    _log_cpd(practitioner)
    audit = _audited(entry, practitioner, settings).cpd_audit
    with pytest.raises(RegisterError):
        cpd_audits.cpd_audit_claim(audit=audit, reviewer=reviewer)
    CpdAudit.objects.filter(pk=audit.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    audit.refresh_from_db()
    cpd_audits.cpd_audit_claim(audit=audit, reviewer=reviewer)
    cpd_audits.cpd_audit_decide(
        audit=audit, reviewer=reviewer, passed=False, reasons="Nothing was sent by the date."
    )
    assert helpers.status_now(audit) == CA.FAILED
    assert audit.renewal.status == Renewal.Status.REFUSED


# --- Pages ------------------------------------------------------------------------------------


def test_only_the_reviewer_who_took_the_audit_reads_its_files(
    entry, practitioner, reviewer, second_reviewer, settings, private_storage
):
    items = _log_cpd(practitioner, with_file=True)
    audit = _submitted(entry, practitioner, settings)
    file_url = reverse("evidence:file_download", args=[items[0].files.get().pk])
    taker, other = client_for(reviewer), client_for(second_reviewer)
    assert taker.get(file_url).status_code == 404
    response = taker.post(reverse("register:cpd_audit_claim", args=[audit.pk]))
    assert response.status_code == 302
    assert taker.get(file_url).status_code == 200
    assert other.get(file_url).status_code == 404
    page = taker.get(reverse("register:cpd_audit_review", args=[audit.pk]))
    assert file_url in page.content.decode()
    # The frozen record's dates read as the site's other dates do ("2 Nov 2026"), not ISO.
    started = items[0].start_date
    assert f"{started.day} {started:%b %Y}" in page.content.decode()
    assert started.isoformat() not in page.content.decode()
    assert (
        file_url
        not in other.get(reverse("register:cpd_audit_review", args=[audit.pk])).content.decode()
    )
    # Once decided, the files close again.
    taker.post(
        reverse("register:cpd_audit_decide", args=[audit.pk]),
        {"decision": "pass", "reasons": "Certificate matches."},
    )
    assert taker.get(file_url).status_code == 404


def test_the_practitioner_sends_from_their_page_and_must_confirm(
    entry, practitioner, practitioner_client, settings
):
    _log_cpd(practitioner)
    audit = _audited(entry, practitioner, settings).cpd_audit
    url = reverse("register:cpd_audit", args=[audit.pk])
    page = practitioner_client.get(url)
    assert page.status_code == 200
    assert "Video feedback course" in page.content.decode()
    refused = practitioner_client.post(url, {"statement": "Here it is."})
    assert refused.status_code == 400
    assert "Confirm that the record is true" in refused.content.decode()
    assert helpers.status_now(audit) == CA.REQUESTED
    sent = practitioner_client.post(url, {"statement": "Here it is.", "confirm": "on"})
    assert sent.status_code == 302
    assert helpers.status_now(audit) == CA.SUBMITTED
    # The renew page says where the audit stands.
    renew = practitioner_client.get(reverse("register:renew", args=[entry.pk]))
    assert url in renew.content.decode()
