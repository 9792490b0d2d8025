"""The practitioner's page for one of their applications: what it shows, read in one place.

Twelve queries whatever the dossier's size (the test in
``tests/register/test_application_page.py`` lists them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from register import dossier_html, states
from register.extensions import entry_panels
from register.models import (
    Appeal,
    Application,
    AuditEvent,
    Notification,
    Reference,
    RegisterEntry,
)
from register.selectors import references as reference_selectors
from register.selectors.dossier import DomainGroup, EvidenceRow, submitted_dossier
from register.services import applying, renewals
from register.transitions import APPLICATION_RULES

A = Application.Status


def open_application(user) -> Application | None:
    """The applicant's application still in progress, if any (there is at most one)."""
    return Application.objects.filter(applicant=user, status__in=states.OPEN).first()


def feedback_visible(application: Application, round_number: int) -> bool:
    # An earlier round always ended with changes requested; the current one once decided.
    return round_number < application.round or application.status in states.FEEDBACK


def round_dates(application: Application) -> list[tuple[int, datetime | None]]:
    """Each round with when it was sent: the submit and every resubmit in the audit trail."""
    sent = list(
        AuditEvent.objects.filter(application=application, action__in=["submit", "resubmit"])
        .order_by("created_at", "id")
        .values_list("created_at", flat=True)
    )
    return [
        (number, sent[number - 1] if number <= len(sent) else None)
        for number in range(1, application.round + 1)
    ]


@dataclass
class ApplicationPage:
    """The template's context: each field is a name the template reads."""

    application: Application
    round: int
    rounds: list[tuple[int, datetime | None]]
    domains: list[DomainGroup]
    evidence: list[EvidenceRow]
    statement_count: int
    not_met_count: int
    with_feedback: bool
    show_reasons: bool
    notifications: list[Notification]
    entry: RegisterEntry | None
    appeal: Appeal | None
    appeal_deadline: datetime | None
    can_withdraw: bool
    can_resubmit: bool
    can_appeal: bool
    reviewers_needed: int
    renewal_opens: date | None
    renewal_open: bool
    # Templates the apps above the register add under the entry (register.extensions).
    entry_panels: list[str]
    # The referees and where each stands, never what they wrote.
    references: list[Reference]
    # The round as sent, rendered, while it shows no feedback: from the cache after the first
    # visit; then ``domains`` and ``evidence`` are left empty and the counts 0 (only the
    # feedback, which is absent, reads them).
    dossier_html: str = ""

    def context(self) -> dict:
        return dict(vars(self))


def application_page(application: Application, round_number: int) -> ApplicationPage:
    """Round ``round_number`` of the applicant's own ``application``, with what they may do next."""
    with_feedback = feedback_visible(application, round_number)
    html = ""
    if with_feedback:
        # Reviewers' comments show in it: read afresh each time.
        domains, evidence = submitted_dossier(application, round_number, with_feedback=True)
    else:
        # Frozen when sent, and no feedback in it yet: the same for every visit in a language.
        domains, evidence = [], []
        html = dossier_html.frozen_section(
            ("application", application.pk, round_number),
            lambda: _dossier_as_sent(application, round_number),
        )
    notifications = list(
        Notification.objects.filter(recipient_id=application.applicant_id)
        .filter(Q(application=application) | Q(entry__application=application))
        .order_by("-created_at", "-id")
    )
    entry = (
        RegisterEntry.objects.filter(application=application).first()
        if application.status == A.APPROVED
        else None
    )
    appeal = (
        Appeal.objects.filter(application=application).first()
        if application.status in (A.REJECTED, A.APPEALED, A.APPROVED)
        else None
    )
    return ApplicationPage(
        application=application,
        round=round_number,
        rounds=round_dates(application),
        domains=domains,
        evidence=evidence,
        statement_count=sum(len(d.rows) for d in domains),
        not_met_count=sum(d.not_met_count for d in domains),
        with_feedback=with_feedback,
        show_reasons=round_number == application.round
        and application.status in states.FEEDBACK
        and bool(application.decision_reasons),
        notifications=notifications,
        entry=entry,
        appeal=appeal,
        appeal_deadline=applying.appeal_deadline(application),
        can_withdraw=application.status in APPLICATION_RULES["withdraw"],
        can_resubmit=application.status in APPLICATION_RULES["resubmit"],
        can_appeal=applying.appeal_state(application, appealed=appeal is not None) == "open",
        reviewers_needed=settings.IMHCF_REVIEWERS_PER_APPLICATION,
        renewal_opens=renewals.renewal_window(entry)[0] if entry is not None else None,
        renewal_open=entry is not None and renewals.renewal_state(entry) == "open",
        entry_panels=entry_panels(),
        references=reference_selectors.for_applicant(application),
        dossier_html=html,
    )


def _dossier_as_sent(application: Application, round_number: int) -> str:
    domains, evidence = submitted_dossier(application, round_number, with_feedback=False)
    return render_to_string(
        "register/practitioner/_dossier_as_sent.html",
        {
            "domains": domains,
            "evidence": evidence,
            "statement_count": sum(len(d.rows) for d in domains),
        },
    )


def applications_page(user) -> dict:
    """The practitioner's applications and register entries, newest first."""
    applications = list(Application.objects.filter(applicant=user).order_by("-submitted_at", "-id"))
    register_entries = list(
        RegisterEntry.objects.filter(practitioner=user).order_by("-recognised_on", "-id")
    )
    today = timezone.localdate()
    for entry in register_entries:
        entry.renewal_opens, entry.renewal_closes = renewals.renewal_window(entry)
        entry.renewal_open = renewals.renewal_state(entry, today) == "open"
    return {
        "applications": applications,
        "entries": register_entries,
        "has_open": any(a.is_open for a in applications),
    }
