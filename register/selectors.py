"""Reads for the reviewers' and admins' pages.

Every page here runs a fixed number of queries whatever the number of
applications, entries or dossier statements: rows are fetched with their
relations joined or prefetched, counts come from annotations, and the
grouping is done in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imhcf.glossary import GlossaryMatcher
from imhcf.models import GlossaryTerm
from register.models import (
    Appeal,
    Application,
    AuditEvent,
    DossierLink,
    DossierStatement,
    Notification,
    RegisterEntry,
    Renewal,
    ReviewAssignment,
    StatementReview,
)

# The same rule as the claim service's own check, so the queue never offers an
# application the service would refuse for the reviewer's organisation.
from register.services.reviewing import same_organisation
from selfassess.models import REGIONS_BY_NATION, Profile, Rating

A = Application.Status
REGION_LABELS = {code: label for regions in REGIONS_BY_NATION.values() for code, label in regions}
RATING_LABELS = dict(Rating.Value.choices)
ACTION_LABELS = {
    "submit": gettext_lazy("Submitted"),
    "claim": gettext_lazy("Claimed by a reviewer"),
    "release": gettext_lazy("Claim released"),
    "recommend": gettext_lazy("Recommendation"),
    "decide": gettext_lazy("Decision"),
    "withdraw": gettext_lazy("Withdrawn"),
    "resubmit": gettext_lazy("Resubmitted"),
    "appeal": gettext_lazy("Appealed"),
    "appeal_decide": gettext_lazy("Appeal decided"),
    "suspend": gettext_lazy("Suspended"),
    "remove": gettext_lazy("Removed"),
    "reinstate": gettext_lazy("Reinstated"),
    "lapse": gettext_lazy("Lapsed"),
    "renew": gettext_lazy("Renewal"),
}
STATUS_LABELS = dict(Application.Status.choices) | dict(RegisterEntry.Status.choices)

WAITING_STATUSES = (A.SUBMITTED, A.IN_REVIEW)
# Claims a reviewer still has something to do with, or is waiting on.
ONGOING_STATUSES = (A.SUBMITTED, A.IN_REVIEW, A.CHANGES_REQUESTED, A.MODERATION)


def region_label(code: str) -> str:
    return str(REGION_LABELS.get(code, code))


def _count_subquery(queryset: QuerySet, outer_field: str) -> Coalesce:
    """COUNT(*) of ``queryset`` per outer row, as a correlated subquery.

    Used instead of ``Count()`` over joins, which would multiply rows when a
    query counts two different relations.
    """
    counted = queryset.order_by().values(outer_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- The review queue ---------------------------------------------------------------


@dataclass
class Queue:
    waiting: list[Application]
    hidden_for_conflict: int
    my_reviews: list[ReviewAssignment]
    renewals: list[Renewal]


def review_queue(reviewer) -> Queue:
    """What a reviewer sees at /review/.

    Queries: the reviewer's organisation; the waiting applications with their
    reviewer counts and whether this reviewer declared a conflict; the
    reviewer's own claims with their progress; renewals needing judgement.
    """
    organisation = (
        Profile.objects.filter(user=reviewer).values_list("organisation", flat=True).first() or ""
    )
    active = ReviewAssignment.objects.filter(application=OuterRef("pk"), released_at__isnull=True)
    candidates = (
        Application.objects.filter(status__in=WAITING_STATUSES)
        .exclude(applicant=reviewer)
        .annotate(
            active_reviewers=_count_subquery(active, "application"),
            claimed_by_me=Exists(active.filter(reviewer=reviewer)),
            declared_conflict=Exists(
                ReviewAssignment.objects.filter(
                    application=OuterRef("pk"),
                    reviewer=reviewer,
                    release_reason=ReviewAssignment.ReleaseReason.CONFLICT,
                )
            ),
        )
        .filter(active_reviewers__lt=settings.IMHCF_REVIEWERS_PER_APPLICATION, claimed_by_me=False)
        .order_by("submitted_at", "id")
    )
    waiting, hidden = [], 0
    now = timezone.now()
    for application in candidates:
        if application.declared_conflict or same_organisation(
            organisation, application.organisation
        ):
            hidden += 1
            continue
        application.region_label = region_label(application.region)
        application.waiting_days = (now - application.submitted_at).days
        waiting.append(application)

    return Queue(
        waiting=waiting,
        hidden_for_conflict=hidden,
        my_reviews=my_reviews(reviewer),
        renewals=renewals_needing_judgement(reviewer),
    )


def my_reviews(reviewer) -> list[ReviewAssignment]:
    """The reviewer's active claims on applications still in progress, with progress."""
    current_round = DossierStatement.objects.filter(
        application=OuterRef("application_id"), round=OuterRef("application__round")
    )
    reviewed = StatementReview.objects.filter(
        assignment=OuterRef("pk"),
        met__isnull=False,
        dossier_statement__round=OuterRef("application__round"),
    )
    return list(
        ReviewAssignment.objects.filter(
            reviewer=reviewer,
            released_at__isnull=True,
            application__status__in=ONGOING_STATUSES,
        )
        .select_related("application")
        .annotate(
            statements_total=_count_subquery(current_round, "application"),
            statements_reviewed=_count_subquery(reviewed, "assignment"),
        )
        .order_by("application__submitted_at", "id")
    )


def renewals_needing_judgement(user) -> list[Renewal]:
    return list(
        Renewal.objects.filter(status=Renewal.Status.NEEDS_JUDGEMENT)
        .exclude(entry__practitioner=user)
        .select_related("entry")
        .order_by("submitted_at", "id")
    )


# --- The dossier, statement by statement ------------------------------------------------


@dataclass
class Verdict:
    """One reviewer's verdict on one statement, as shown beside the others."""

    label: str
    review: StatementReview | None


@dataclass
class StatementRow:
    statement: DossierStatement
    rating_label: str
    text: SafeString
    links: list[DossierLink]
    mine: StatementReview | None = None
    verdicts: list[Verdict] = field(default_factory=list)
    previous: list[Verdict] = field(default_factory=list)
    # Round 2 and later: whether wording, rating, note or evidence differ from the last round.
    changed: bool | None = None
    # A verdict form sent without JavaScript and refused: shown again as typed, with its errors.
    bound: object | None = None

    @property
    def has_verdict(self) -> bool:
        return self.mine is not None and self.mine.met is not None

    @property
    def met_choice(self) -> str:
        if self.bound is not None:
            return self.bound["met"].value() or ""
        if not self.has_verdict:
            return ""
        return "met" if self.mine.met else "not_met"

    @property
    def comment_value(self) -> str:
        if self.bound is not None:
            return self.bound["comment"].value() or ""
        return self.mine.comment if self.mine else ""

    @property
    def verdicts_differ(self) -> bool:
        return (
            len({v.review.met for v in self.verdicts if v.review and v.review.met is not None}) > 1
        )


@dataclass
class DomainGroup:
    number: int
    name: str
    rows: list[StatementRow]

    @property
    def reviewed(self) -> int:
        return sum(1 for row in self.rows if row.has_verdict)


@dataclass
class Dossier:
    application: Application
    round: int
    domains: list[DomainGroup]
    assignments: list[ReviewAssignment]
    resubmission_note: str = ""
    # Whether every reviewer's verdicts are shown (always for admins; for a
    # reviewer only once all have recommended).
    revealed: bool = True

    @property
    def rows(self) -> list[StatementRow]:
        return [row for group in self.domains for row in group.rows]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def reviewed(self) -> int:
        return sum(1 for row in self.rows if row.has_verdict)

    @property
    def unreviewed(self) -> list[StatementRow]:
        return [row for row in self.rows if not row.has_verdict]

    @property
    def differing(self) -> list[StatementRow]:
        return [row for row in self.rows if row.verdicts_differ]

    def row_for(self, statement_id: int) -> StatementRow | None:
        return next((row for row in self.rows if row.statement.pk == statement_id), None)


def _statement_rows(application: Application, round_number: int) -> list[StatementRow]:
    """Statements of one round with their evidence and files: three queries, plus the glossary."""
    statements = list(
        DossierStatement.objects.filter(application=application, round=round_number)
        .order_by("domain_number", "competency_code", "level", "id")
        .prefetch_related(
            Prefetch(
                "links",
                queryset=DossierLink.objects.select_related("evidence").order_by(
                    "evidence__start_date", "evidence_id"
                ),
            ),
            "links__evidence__files",
        )
    )
    matcher = GlossaryMatcher(GlossaryTerm.objects.filter(version_id=application.version_id))
    return [
        StatementRow(
            statement=s,
            rating_label=str(RATING_LABELS.get(s.rating, s.rating)),
            text=matcher.mark(s.text, f"dg-{s.pk}"),
            links=list(s.links.all()),
        )
        for s in statements
    ]


def _group(rows: list[StatementRow]) -> list[DomainGroup]:
    return [
        DomainGroup(number=number, name=items[0].statement.domain_name, rows=items)
        for number, items in (
            (number, list(group))
            for number, group in groupby(rows, key=lambda r: r.statement.domain_number)
        )
    ]


def _signature(statement: DossierStatement) -> tuple:
    """What a reviewer judges a statement on, to spot changes between rounds."""
    evidence = sorted(
        (
            link.evidence.evidence_item_id,
            link.justification,
            link.evidence.kind,
            link.evidence.title,
            link.evidence.start_date,
            link.evidence.end_date,
            link.evidence.hours,
            link.evidence.provider,
            link.evidence.description,
            tuple(sorted(f.sha256 for f in link.evidence.files.all())),
        )
        for link in statement.links.all()
    )
    return (statement.text, statement.rating, statement.rating_note, tuple(evidence))


def _reviewer_labels(assignments: list[ReviewAssignment], viewer_id: int) -> dict[int, str]:
    labels = {}
    for number, assignment in enumerate(assignments, start=1):
        if assignment.reviewer_id == viewer_id:
            labels[assignment.pk] = _("You")
        else:
            labels[assignment.pk] = _("Reviewer %(n)d") % {"n": number}
    return labels


def _add_previous_round(application: Application, rows: list[StatementRow], viewer_id: int) -> None:
    """Round 2+: last round's verdicts and comments, and what changed since.

    Queries: last round's statements, their links and evidence, files, and
    the verdicts with their assignments.
    """
    previous_round = application.round - 1
    previous = {
        s.key: s
        for s in DossierStatement.objects.filter(
            application=application, round=previous_round
        ).prefetch_related(
            Prefetch("links", queryset=DossierLink.objects.select_related("evidence")),
            "links__evidence__files",
            Prefetch(
                "reviews",
                queryset=StatementReview.objects.select_related("assignment").order_by(
                    "assignment__claimed_at", "assignment_id"
                ),
            ),
        )
    }
    assignments = sorted(
        {r.assignment for s in previous.values() for r in s.reviews.all()},
        key=lambda a: (a.claimed_at, a.pk),
    )
    labels = _reviewer_labels(assignments, viewer_id)
    for row in rows:
        before = previous.get(row.statement.key)
        if before is None:
            row.changed = True
            continue
        row.changed = _signature(before) != _signature(row.statement)
        row.previous = [
            Verdict(label=labels[r.assignment_id], review=r)
            for r in before.reviews.all()
            if r.met is not None or r.comment
        ]


def _resubmission_note(application: Application) -> str:
    event = (
        AuditEvent.objects.filter(application=application, action="resubmit")
        .order_by("-created_at", "-id")
        .values_list("reason", flat=True)
        .first()
    )
    return event or ""


def review_dossier(assignment: ReviewAssignment) -> Dossier:
    """The review page: the current round's dossier with this reviewer's verdicts.

    The other reviewers' verdicts are included only once every active reviewer
    has recommended, so each reviews independently.

    Queries: active assignments; statements; links with their evidence; files;
    glossary terms; this round's verdicts. Round 2+ adds five (see
    ``_add_previous_round`` and the resubmission note).
    """
    application = assignment.application
    assignments = list(
        ReviewAssignment.objects.filter(application=application, released_at__isnull=True)
        .select_related("reviewer")
        .order_by("claimed_at", "id")
    )
    revealed = len(assignments) >= settings.IMHCF_REVIEWERS_PER_APPLICATION and all(
        a.recommendation for a in assignments
    )
    visible = [a.pk for a in assignments] if revealed else [assignment.pk]
    rows = _statement_rows(application, application.round)
    reviews = defaultdict(dict)
    for review in StatementReview.objects.filter(
        assignment_id__in=visible,
        dossier_statement__application=application,
        dossier_statement__round=application.round,
    ):
        reviews[review.dossier_statement_id][review.assignment_id] = review
    labels = _reviewer_labels(assignments, assignment.reviewer_id)
    for row in rows:
        mine = reviews[row.statement.pk]
        row.mine = mine.get(assignment.pk)
        if revealed:
            row.verdicts = [Verdict(labels[a.pk], mine.get(a.pk)) for a in assignments]
    note = ""
    if application.round > 1:
        _add_previous_round(application, rows, assignment.reviewer_id)
        note = _resubmission_note(application)
    dossier = Dossier(
        application=application,
        round=application.round,
        domains=_group(rows),
        assignments=assignments if revealed else [assignment],
        resubmission_note=note,
        revealed=revealed,
    )
    return dossier


def get_dossier_statement(assignment: ReviewAssignment, pk) -> DossierStatement:
    """A statement of the current round of the reviewer's claimed application; 404 otherwise."""
    application = assignment.application
    try:
        return DossierStatement.objects.get(
            pk=int(pk), application=application, round=application.round
        )
    except (DossierStatement.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def review_progress(assignment: ReviewAssignment) -> tuple[int, int]:
    """(statements with a verdict, statements in the round) for one reviewer."""
    application = assignment.application
    total = DossierStatement.objects.filter(
        application=application, round=application.round
    ).count()
    reviewed = StatementReview.objects.filter(
        assignment=assignment, met__isnull=False, dossier_statement__round=application.round
    ).count()
    return reviewed, total


# --- Staff ---------------------------------------------------------------------------


def staff_applications(status: str = "", page: int | str = 1):
    """Every application; the ones waiting for an admin (moderation, appeals) first."""
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
    return Paginator(applications, 50).get_page(page)


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
    rows = _statement_rows(application, round_number)
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
        application=application, round=round_number, domains=_group(rows), assignments=columns
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
        event.action_label = ACTION_LABELS.get(event.action, event.action)
        event.from_label = STATUS_LABELS.get(event.from_status, event.from_status)
        event.to_label = STATUS_LABELS.get(event.to_status, event.to_status)
    return events


def _reviewer_name(assignment: ReviewAssignment) -> str:
    name = assignment.reviewer.full_name or assignment.reviewer.email
    if assignment.released_at is not None:
        return _("%(name)s (claim released)") % {"name": name}
    return name


def staff_entries(query: str = "", status: str = "", page: int | str = 1):
    """Entries by registration number or name, newest first."""
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
    page_obj = Paginator(entries, 50).get_page(page)
    for entry in page_obj:
        entry.region_label = region_label(entry.region)
    return page_obj


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
