"""The admins' lists of applications and register entries, and their audit trails."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext as _

from register import states
from register.models import (
    Appeal,
    Application,
    AuditEvent,
    Notification,
    RegisterEntry,
    Renewal,
    ReviewAssignment,
    StatementReview,
)
from register.selectors.review import Dossier, Verdict, group_by_domain, statement_rows
from selfassess.models import region_label

A = Application.Status


def staff_applications(status: str = "", page: int | str = 1):
    """Every application; the ones waiting for an admin (moderation, appeals) first."""
    return Paginator(applications_for_staff(status), 50).get_page(page)


def applications_for_staff(status: str = ""):
    """The staff list's applications, in its order, unpaged: for the page and its CSV."""
    applications = Application.objects.annotate(
        needs_admin=Case(
            When(status=A.MODERATION, then=Value(0)),
            When(status=A.APPEALED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        active_reviewers=Count("assignments", filter=Q(assignments__released_at__isnull=True)),
    ).order_by("needs_admin", "-submitted_at", "-id")
    if status:
        applications = applications.filter(status=status)
    return applications


def status_counts() -> dict[str, int]:
    return dict(
        Application.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


@dataclass
class StaffApplication:
    application: Application
    dossier: Dossier
    assignments: list[ReviewAssignment]
    audit: list[AuditEvent]
    notifications: list[Notification]
    appeal: Appeal | None
    entry: RegisterEntry | None
    rounds: list[int]
    reviewers: set[int] = field(default_factory=set)


def staff_application(
    application: Application, round_number: int | None = None
) -> StaffApplication:
    """The admin's page: dossier with every reviewer's verdicts side by side, and the record.

    Queries: assignments; statements; links with evidence; files; glossary
    terms; verdicts; audit trail; notifications; appeal; register entry.
    """
    round_number = round_number or application.round
    assignments = list(
        ReviewAssignment.objects.filter(application=application)
        .select_related("reviewer")
        .order_by("claimed_at", "id")
    )
    rows = statement_rows(application, round_number)
    reviews = defaultdict(dict)
    for review in StatementReview.objects.filter(
        dossier_statement__application=application, dossier_statement__round=round_number
    ):
        reviews[review.dossier_statement_id][review.assignment_id] = review
    # Side by side: whoever recorded verdicts in this round, and whoever holds a claim now.
    worked = {pk for by_assignment in reviews.values() for pk in by_assignment}
    columns = [
        a
        for a in assignments
        if a.pk in worked or (a.released_at is None and round_number == application.round)
    ]
    for row in rows:
        row.verdicts = [
            Verdict(_reviewer_name(a), reviews[row.statement.pk].get(a.pk)) for a in columns
        ]
    dossier = Dossier(
        application=application,
        round=round_number,
        domains=group_by_domain(rows),
        assignments=columns,
    )
    return StaffApplication(
        application=application,
        dossier=dossier,
        assignments=assignments,
        audit=audit_trail(application.pk),
        notifications=list(
            Notification.objects.filter(
                Q(application=application) | Q(entry__application=application)
            )
            .select_related("recipient")
            .order_by("created_at", "id")
        ),
        appeal=Appeal.objects.filter(application=application).select_related("decided_by").first(),
        entry=RegisterEntry.objects.filter(application=application).first(),
        rounds=list(range(1, application.round + 1)),
        reviewers={a.reviewer_id for a in assignments},
    )


def audit_trail(application_id: int) -> list[AuditEvent]:
    """Every recorded step of an application and its register entry, oldest first."""
    events = list(
        AuditEvent.objects.filter(application_id=application_id)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    for event in events:
        event.action_label = states.ACTION_LABELS.get(event.action, event.action)
        event.from_label = states.STATUS_LABELS.get(event.from_status, event.from_status)
        event.to_label = states.STATUS_LABELS.get(event.to_status, event.to_status)
    return events


def _reviewer_name(assignment: ReviewAssignment) -> str:
    name = assignment.reviewer.full_name or assignment.reviewer.email
    if assignment.released_at is not None:
        return _("%(name)s (claim released)") % {"name": name}
    return name


def staff_entries(query: str = "", status: str = "", page: int | str = 1):
    """Entries by registration number or name, newest first."""
    page_obj = Paginator(entries_for_staff(query, status), 50).get_page(page)
    for entry in page_obj:
        entry.region_label = region_label(entry.region)
    return page_obj


def entries_for_staff(query: str = "", status: str = ""):
    """The staff search's entries, unpaged: for the page and its CSV."""
    entries = RegisterEntry.objects.order_by("-recognised_on", "-id")
    query = " ".join(query.split())
    if query:
        entries = entries.filter(
            Q(registration_number__iexact=query.replace(" ", ""))
            | Q(registration_number__istartswith=query.replace(" ", ""))
            | Q(display_name__icontains=query)
        )
    if status:
        entries = entries.filter(status=status)
    return entries


@dataclass
class StaffEntry:
    entry: RegisterEntry
    audit: list[AuditEvent]
    notifications: list[Notification]
    renewals: list[Renewal]


def staff_entry(entry: RegisterEntry) -> StaffEntry:
    """Queries: the audit trail of the entry and its application; the messages about
    either; renewals."""
    entry.region_label = region_label(entry.region)
    return StaffEntry(
        entry=entry,
        # The entry's own events and the application's that led to it, in one trail.
        audit=audit_trail(entry.application_id),
        notifications=list(
            Notification.objects.filter(Q(entry=entry) | Q(application_id=entry.application_id))
            .select_related("recipient")
            .order_by("created_at", "id")
        ),
        renewals=list(entry.renewals.select_related("decided_by").order_by("-submitted_at", "-id")),
    )
