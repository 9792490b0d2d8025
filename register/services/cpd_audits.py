"""A CPD audit, once a renewal is chosen (``cpd_audit_draw``): record sent, checked, decided.

The practitioner sends their CPD log for the renewal's period with a covering
note. It is frozen on the audit (each activity, its hours, the competencies it
covers and its files), the files are kept from deletion, and the CPD record PDF
for the period is made by the document pipeline so they hold a copy of what
they sent. A reviewer (not the practitioner) takes the audit, reads the record
and its files, and passes or fails it with reasons; that is the renewal's
decision, through ``renewals.renewal_decide``, which extends the entry or tells
the practitioner why not.

A practitioner who sends nothing by the due date is not left on the register
for ever: once the date has passed, a reviewer may take the audit and decide it
on what there is (nothing), as HCPC does for an audit that is not answered.
Every step runs through the transition engine with ``states.CPD_AUDIT_RULES``.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_admin, is_reviewer
from evidence.cpd import cpd_params
from evidence.models import DocumentJob, EvidenceFile
from evidence.selectors import cpd_summary
from evidence.services import document_request
from register import states
from register.errors import RegisterError
from register.models import CpdAudit, CpdAuditFile, Renewal
from register.services import renewals
from register.services.notifications import notify_reviewers
from register.transitions import CPD_AUDITS

CA = CpdAudit.Status


def overdue(audit: CpdAudit, today=None) -> bool:
    return audit.status == CA.REQUESTED and (today or timezone.localdate()) > audit.due_on


def _frozen_record(practitioner, renewal: Renewal) -> tuple[list[dict], list[EvidenceFile]]:
    """The period's CPD log as JSON, and its files: three queries."""
    summary = cpd_summary(practitioner, renewal.period_start, renewal.period_end)
    files = list(
        EvidenceFile.objects.filter(item__in=[item.pk for item in summary.items]).order_by(
            "item_id", "id"
        )
    )
    by_item: dict[int, list[EvidenceFile]] = {}
    for evidence_file in files:
        by_item.setdefault(evidence_file.item_id, []).append(evidence_file)
    record = [
        {
            "item": item.pk,
            "kind": item.kind,
            "kind_label": item.get_kind_display(),
            "title": item.title,
            "start": item.start_date.isoformat(),
            "end": item.end_date.isoformat() if item.end_date else None,
            "hours": str(item.hours) if item.hours is not None else None,
            "provider": item.provider,
            "description": item.description,
            "equality": item.equality_inclusion,
            "competencies": sorted({link.statement.competency.code for link in item.links.all()}),
            "files": [
                {"id": f.pk, "name": f.original_name, "size": f.size, "sha256": f.sha256}
                for f in by_item.get(item.pk, [])
            ],
        }
        for item in summary.items
    ]
    return record, files


def cpd_audit_submit(*, audit: CpdAudit, practitioner, statement: str) -> CpdAudit:
    """The practitioner sends their CPD record and the evidence behind it."""
    renewal = audit.renewal
    if renewal.entry.practitioner_id != practitioner.pk:
        raise RegisterError(_("Only the practitioner being audited can send their record."))

    def effect(locked: CpdAudit) -> str:
        record, files = _frozen_record(practitioner, renewal)
        if not record:
            raise RegisterError(
                _(
                    "Your CPD log has no activities in the renewal period. Add them in "
                    "Evidence and CPD, then send your record."
                )
            )
        locked.record = record
        locked.statement = statement.strip()[:5000]
        locked.submitted_at = timezone.now()
        locked.record_document = document_request(
            owner=practitioner,
            kind=DocumentJob.Kind.CPD_RECORD,
            params=cpd_params(renewal.period_start, renewal.period_end),
        )
        locked.status = CA.SUBMITTED
        locked.save()
        CpdAuditFile.objects.bulk_create(
            CpdAuditFile(
                audit=locked, evidence_file=f, original_name=f.original_name, sha256=f.sha256
            )
            for f in files
        )
        notify_reviewers(
            template="cpd_audit_reviewer",
            context={"audit": locked},
            dedupe_key=f"cpd-audit-reviewer:{locked.pk}",
            exclude=[practitioner.pk],
            entry=renewal.entry,
        )
        return locked.status

    return CPD_AUDITS.move(audit.pk, "cpd_audit_submit", effect, actor=practitioner)


def _require_reviewer(audit: CpdAudit, user) -> None:
    if not (is_reviewer(user) or is_admin(user)):
        raise RegisterError(_("Only reviewers can check CPD audits."))
    if audit.renewal.entry.practitioner_id == user.pk:
        raise RegisterError(_("You cannot check your own CPD."))


def _rules_now(audit: CpdAudit) -> dict[str, frozenset[str]]:
    """An unanswered audit past its due date may be taken and decided as it stands."""
    if overdue(audit):
        return {
            action: allowed | {CA.REQUESTED} for action, allowed in states.CPD_AUDIT_RULES.items()
        }
    return states.CPD_AUDIT_RULES


def cpd_audit_claim(*, audit: CpdAudit, reviewer) -> CpdAudit:
    """A reviewer takes the audit: from now only they may read its files and decide it."""
    _require_reviewer(audit, reviewer)

    def effect(locked: CpdAudit) -> str:
        if locked.reviewer_id not in (None, reviewer.pk):
            raise RegisterError(_("Another reviewer has taken this audit."))
        locked.reviewer = reviewer
        locked.claimed_at = timezone.now()
        locked.save(update_fields=["reviewer", "claimed_at"])
        return locked.status

    return CPD_AUDITS.move(
        audit.pk, "cpd_audit_claim", effect, actor=reviewer, rules=_rules_now(audit)
    )


def cpd_audit_decide(*, audit: CpdAudit, reviewer, passed: bool, reasons: str) -> CpdAudit:
    """Pass or fail, with reasons; the renewal is approved or refused with them."""
    _require_reviewer(audit, reviewer)
    reasons = reasons.strip()
    if not reasons:
        raise RegisterError(_("Give the reasons for the audit's outcome."))

    def effect(locked: CpdAudit) -> str:
        if locked.reviewer_id != reviewer.pk:
            raise RegisterError(_("Take the audit before deciding it."))
        locked.status = CA.PASSED if passed else CA.FAILED
        locked.decided_at = timezone.now()
        locked.reasons = reasons
        locked.save(update_fields=["status", "decided_at", "reasons"])
        renewals.renewal_decide(
            renewal=locked.renewal,
            reviewer=reviewer,
            approve=passed,
            reasons=reasons,
            waiting_as=Renewal.Status.AUDIT,
            detail={"cpd_audit": locked.pk},
        )
        return locked.status

    return CPD_AUDITS.move(
        audit.pk,
        "cpd_audit_decide",
        effect,
        actor=reviewer,
        reason=reasons,
        detail={"passed": passed},
        rules=_rules_now(audit),
    )
