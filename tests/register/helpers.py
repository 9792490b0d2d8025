"""Shared set-up for register tests: a practitioner ready to apply, applications, renewals,
CPD audits and concerns."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from evidence.models import EvidenceFile, EvidenceItem, EvidenceLink
from imhcf.models import Statement
from register.models import Application, Concern, CpdAudit, Renewal
from register.services import applying, concerns, reviewing
from selfassess.models import Assessment, Rating
from tests.factories import make_profile

DECLARED = dict.fromkeys(applying.DECLARATIONS, True)


def make_ready_applicant(
    user, version, *, level: int = 1, organisation: str = "Riverside Health Visiting"
):
    """Profile, every statement up to ``level`` rated Achieved, and one item evidencing them all."""
    make_profile(user, organisation=organisation)
    assessment = Assessment.objects.create(user=user, version=version)
    statements = list(Statement.objects.filter(competency__domain__version=version))
    Rating.objects.bulk_create(
        Rating(
            assessment=assessment,
            statement=s,
            value=Rating.Value.ACHIEVED if s.level <= level else Rating.Value.NOT_STARTED,
        )
        for s in statements
    )
    item = EvidenceItem.objects.create(
        owner=user,
        kind=EvidenceItem.Kind.TRAINING,
        title="Infant mental health foundation course",
        start_date=date(2026, 2, 3),
        hours=Decimal("12"),
        provider="Regional IMH network",
        description="Six sessions on attachment and attunement.",
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(item=item, statement=s, justification="Covered in the course")
        for s in statements
        if s.level <= level
    )
    return item


def submit(user, version, *, level: int = 1) -> Application:
    make_ready_applicant(user, version, level=level)
    return applying.application_submit(applicant=user, level=level, declarations=DECLARED)


def review_all(assignment, *, met: bool = True, comment: str = "") -> None:
    application = assignment.application
    for dossier_statement in application.dossier_statements.filter(round=application.round):
        reviewing.statement_review_save(
            assignment=assignment, dossier_statement=dossier_statement, met=met, comment=comment
        )


def recommend(
    application, reviewer, recommendation: str, reasons: str = "Reasons given."
) -> Application:
    application.refresh_from_db()
    assignment = application.assignments.get(reviewer=reviewer, released_at__isnull=True)
    review_all(
        assignment,
        met=recommendation == "approve",
        comment="" if recommendation == "approve" else "Needs more",
    )
    return reviewing.application_recommend(
        assignment=assignment, recommendation=recommendation, reasons=reasons
    )


def decide(
    application, first_reviewer, second_reviewer, first: str, second: str, reasons=None
) -> Application:
    """Both reviewers claim ``application`` and recommend ``first`` and ``second``."""
    for reviewer in (first_reviewer, second_reviewer):
        reviewing.application_claim(application=application, reviewer=reviewer)
    given = {} if reasons is None else {"reasons": reasons}
    recommend(application, first_reviewer, first, **given)
    return recommend(application, second_reviewer, second, **given)


def disagree(application, approving, rejecting, reasons: str) -> Application:
    """Both reviewers claim ``application``; ``approving`` approves it and ``rejecting`` rejects
    it for ``reasons``, so it goes to a moderator."""
    for reviewer in (approving, rejecting):
        reviewing.application_claim(application=application, reviewer=reviewer)
    recommend(application, approving, "approve")
    return recommend(application, rejecting, "reject", reasons)


def approve(application, first_reviewer, second_reviewer) -> Application:
    return decide(application, first_reviewer, second_reviewer, "approve", "approve")


def attach_file(item, *, name: str = "certificate.pdf", content: bytes = b"%PDF-1.4 test"):
    """A stored file on ``item``, written straight to storage (no upload checks needed here)."""
    evidence_file = EvidenceFile(
        item=item,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    evidence_file.file.save("upload", ContentFile(content), save=True)
    return evidence_file


def renewal_made(entry, *, status, days_ago: int = 0, cpd_hours: str = "16", **fields) -> Renewal:
    """A renewal of ``entry`` sent ``days_ago``, for the year before then, both declarations
    made (unless ``fields`` say otherwise)."""
    sent = timezone.localdate() - timedelta(days=days_ago)
    return Renewal.objects.create(
        **{
            "entry": entry,
            "submitted_at": timezone.now() - timedelta(days=days_ago),
            "period_start": sent - timedelta(days=365),
            "period_end": sent,
            "cpd_hours": Decimal(cpd_hours),
            "equality_hours": Decimal("1"),
            "declared_accuracy": True,
            "declared_conduct": True,
            "status": status,
            **fields,
        }
    )


def audit_drawn(renewal, *, draw: int, **fields) -> CpdAudit:
    """A CPD audit of ``renewal``, asked for now with 28 days to answer unless ``fields`` say."""
    return CpdAudit.objects.create(
        **{
            "renewal": renewal,
            "draw": draw,
            "threshold": 2500,
            "out_of": 100_000,
            "requested_at": timezone.now(),
            "due_on": timezone.localdate() + timedelta(days=28),
            **fields,
        }
    )


def status_now(row):
    """``row``'s status as the database has it now; ``row`` is read again."""
    row.refresh_from_db()
    return row.status


def referee_answer(domains, **overrides) -> dict:
    """A referee's complete answer, as the form posts it: who they are to the applicant, and
    "yes" for each of the ``domains`` (numbers); ``overrides`` change any field."""
    return {
        "answer-identity_confirmed": "on",
        "answer-known_capacity": "I have supervised her monthly since 2022.",
        "answer-known_for": "3_5",
        "answer-comments": "Thoughtful with families; keeps the baby in mind.",
        **{f"answer-domain_{number}": "yes" for number in domains},
        **overrides,
    }


# A parent's concern, as the public form raises one; tests change what they need.
CONCERN = {
    "raiser_name": "Pat Parent",
    "raiser_email": "pat@example.org",
    "raiser_relationship": "A parent",
    "description": "Left the baby crying through a visit.",
}


def raise_concern(entry, **fields) -> Concern:
    """A concern about ``entry`` (or about whoever the text names), just received."""
    named = entry if isinstance(entry, str) else entry.registration_number
    return concerns.concern_raise(registrant_named=named, **{**CONCERN, **fields})


def concern_taken_forward(entry, admin, handler=None, *, invite: bool = True, **fields) -> Concern:
    """A concern about ``entry`` that ``admin`` took forward with ``handler`` (the admin unless
    told) as case handler, the registrant invited to respond unless ``invite=False``."""
    handler = handler or admin
    concern = concerns.concern_triage(
        concern=raise_concern(entry, **fields),
        admin=admin,
        take_forward=True,
        handler=handler,
        reasons="Serious.",
    )
    return concerns.concern_invite_response(concern=concern, handler=handler) if invite else concern
