"""A reviewer's view of one dossier, statement by statement, with the other reviewer's verdicts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.db.models import (
    Prefetch,
)
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from imhcf.glossary import GlossaryMatcher
from imhcf.models import GlossaryTerm
from register import dossier_html
from register.models import (
    Application,
    AuditEvent,
    DossierLink,
    DossierStatement,
    ReviewAssignment,
    StatementReview,
)
from selfassess.models import Rating

RATING_LABELS = dict(Rating.Value.choices)


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
    # The frozen statement and its evidence as the review page shows them (register.dossier_html).
    body: str = ""

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


def statement_rows(
    application: Application, round_number: int, *, with_evidence: bool = True
) -> list[StatementRow]:
    """Statements of one round with their evidence and files: three queries, plus the glossary.

    Without evidence: the statements alone, one query, for a page whose frozen
    statement bodies are already rendered (register.dossier_html).
    """
    statements = DossierStatement.objects.filter(
        application=application, round=round_number
    ).order_by("domain_number", "competency_code", "level", "id")
    rating_labels = {value: str(label) for value, label in RATING_LABELS.items()}
    if not with_evidence:
        return [
            StatementRow(
                statement=s,
                rating_label=rating_labels.get(s.rating, s.rating),
                text=SafeString(""),
                links=[],
            )
            for s in statements
        ]
    statements = list(
        statements.prefetch_related(
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
    # How many statements each evidence item serves in this round: a reviewer
    # reads "the evidence for 41 statements" differently from "for 1".
    serves = Counter(link.evidence_id for s in statements for link in s.links.all())
    for s in statements:
        for link in s.links.all():
            link.evidence.statement_count = serves[link.evidence_id]
            link.evidence.wide = serves[link.evidence_id] > settings.IMHCF_EVIDENCE_WIDE_LINKS
    return [
        StatementRow(
            statement=s,
            rating_label=rating_labels.get(s.rating, s.rating),
            text=matcher.mark(s.text, f"dg-{s.pk}"),
            links=list(s.links.all()),
        )
        for s in statements
    ]


def group_by_domain(rows: list[StatementRow]) -> list[DomainGroup]:
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
    # The frozen statements' bodies are rendered once per round, language and wording revision;
    # round 2 and later compare this round's evidence with the last, so they read it anyway.
    bodies = dossier_html.cached_review_bodies(application)
    rows = statement_rows(
        application, application.round, with_evidence=bodies is None or application.round > 1
    )
    if bodies is None:
        bodies = dossier_html.review_bodies(application, rows)
    for row in rows:
        row.body = mark_safe(bodies[row.statement.pk])  # noqa: S308 - rendered escaped
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
        domains=group_by_domain(rows),
        assignments=assignments if revealed else [assignment],
        resubmission_note=note,
        revealed=revealed,
    )
    return dossier


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


def next_unreviewed(assignment: ReviewAssignment, after: DossierStatement | None = None):
    """The next statement of the round, in page order, still without this reviewer's verdict.

    Looks after ``after`` first, then wraps round to the top; ``None`` when
    every statement has a verdict. One query.
    """
    application = assignment.application
    judged = StatementReview.objects.filter(assignment=assignment, met__isnull=False).values(
        "dossier_statement_id"
    )
    remaining = list(
        DossierStatement.objects.filter(application=application, round=application.round)
        .exclude(pk__in=judged)
        .order_by("domain_number", "competency_code", "level", "id")
        .values_list("pk", "domain_number", "competency_code", "level")
    )
    if not remaining:
        return None
    if after is not None:
        position = (after.domain_number, after.competency_code, after.level, after.pk)
        for pk, *order in remaining:
            if (*order, pk) > position:
                return pk
    return remaining[0][0]
