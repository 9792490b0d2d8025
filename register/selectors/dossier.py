"""Reads of dossiers for the practitioner's pages: what submitting would freeze, and what was.

Each function takes a fixed handful of queries whatever the dossier's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from evidence.models import EvidenceItem, EvidenceLink
from imhcf.bilingual import localised
from register.models import (
    Application,
    DossierEvidence,
    DossierLink,
    DossierStatement,
    StatementReview,
)
from register.readiness import Readiness
from selfassess.models import Rating

RATING_LABELS = dict(Rating.Value.choices)
KIND_LABELS = dict(EvidenceItem.Kind.choices)


@dataclass
class FileRow:
    name: str
    size: int


@dataclass
class EvidenceRow:
    anchor: str
    title: str
    kind_label: str
    start_date: date
    end_date: date | None
    hours: Decimal | None
    provider: str
    description: str
    files: list[FileRow] = field(default_factory=list)
    statement_count: int = 0

    @classmethod
    def of(cls, item: EvidenceItem | DossierEvidence) -> EvidenceRow:
        """A live evidence item (before submitting) or its frozen copy, shown the same way."""
        return cls(
            anchor=f"evidence-{item.pk}",
            title=item.title,
            kind_label=KIND_LABELS.get(item.kind, item.kind),
            start_date=item.start_date,
            end_date=item.end_date,
            hours=item.hours,
            provider=item.provider,
            description=item.description,
            files=[FileRow(f.original_name, f.size) for f in item.files.all()],
        )


@dataclass
class StatementRow:
    anchor: str
    code: str
    title: str
    level: int
    text: str
    rating: str
    note: str = ""
    evidence: list[EvidenceRow] = field(default_factory=list)
    # (reviewer label, comment) for each reviewer who marked the statement not met.
    feedback: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rating_label(self) -> str:
        return RATING_LABELS.get(self.rating, _("Not rated"))

    @property
    def achieved(self) -> bool:
        return self.rating == Rating.Value.ACHIEVED


@dataclass
class DomainGroup:
    number: int
    name: str
    rows: list[StatementRow] = field(default_factory=list)

    @property
    def achieved_count(self) -> int:
        return sum(row.achieved for row in self.rows)

    @property
    def evidenced_count(self) -> int:
        return sum(bool(row.evidence) for row in self.rows)

    @property
    def not_met_count(self) -> int:
        return sum(bool(row.feedback) for row in self.rows)


def _anchor(code: str, level: int) -> str:
    return f"s-{code.replace('.', '-')}-l{level}"


def _grouped(rows: list[tuple[int, str, StatementRow]]) -> list[DomainGroup]:
    groups: dict[int, DomainGroup] = {}
    for number, name, row in rows:
        groups.setdefault(number, DomainGroup(number, name)).rows.append(row)
    return list(groups.values())


def draft_dossier(user, readiness: Readiness) -> tuple[list[DomainGroup], list[EvidenceRow]]:
    """What submitting now would freeze: statements by domain, ratings, linked evidence.

    Evidence is matched by stable key (code and level), as the dossier freeze does.
    Three queries whatever the number of statements.
    """
    wanted = {(s.competency.code, s.level) for s in readiness.statements}
    items_by_key: dict[tuple[str, int], list[int]] = defaultdict(list)
    for item_id, code, level in (
        EvidenceLink.objects.filter(item__owner=user)
        .order_by("item_id")
        .values_list("item_id", "statement__competency__code", "statement__level")
    ):
        if (code, level) in wanted and item_id not in items_by_key[(code, level)]:
            items_by_key[(code, level)].append(item_id)
    item_ids = {i for ids in items_by_key.values() for i in ids}
    evidence = {
        item.pk: EvidenceRow.of(item)
        for item in EvidenceItem.objects.filter(pk__in=item_ids)
        .order_by("start_date", "id")
        .prefetch_related("files")
    }
    rows = []
    for s in readiness.statements:
        rating = readiness.ratings.get(s.pk)
        linked = [evidence[i] for i in items_by_key.get((s.competency.code, s.level), [])]
        for row in linked:
            row.statement_count += 1
        rows.append(
            (
                s.competency.domain.number,
                localised(s.competency.domain, "name"),
                StatementRow(
                    anchor=_anchor(s.competency.code, s.level),
                    code=s.competency.code,
                    title=localised(s.competency, "title"),
                    level=s.level,
                    text=localised(s, "text"),
                    rating=rating.value if rating else "",
                    note=rating.note if rating else "",
                    evidence=linked,
                ),
            )
        )
    return _grouped(rows), list(evidence.values())


def submitted_dossier(
    application: Application, round_number: int, *, with_feedback: bool
) -> tuple[list[DomainGroup], list[EvidenceRow]]:
    """The frozen dossier of one round, with the reviewers' not-met comments when shown.

    Four queries (statements, evidence, files, links), plus one for feedback.
    """
    statements = list(DossierStatement.objects.filter(application=application, round=round_number))
    evidence = {
        de.pk: EvidenceRow.of(de)
        for de in DossierEvidence.objects.filter(
            application=application, round=round_number
        ).prefetch_related("files")
    }
    evidence_of: dict[int, list[EvidenceRow]] = defaultdict(list)
    for statement_id, evidence_id in (
        DossierLink.objects.filter(
            statement__application=application, statement__round=round_number
        )
        .order_by("evidence__start_date", "evidence_id")
        .values_list("statement_id", "evidence_id")
    ):
        evidence_of[statement_id].append(evidence[evidence_id])
        evidence[evidence_id].statement_count += 1

    feedback: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if with_feedback:
        # Reviewers stay anonymous to the practitioner: numbered in the order they claimed.
        reviewer_numbers: dict[int, int] = {}
        for review in (
            StatementReview.objects.filter(
                dossier_statement__application=application,
                dossier_statement__round=round_number,
                assignment__released_at__isnull=True,
                met=False,
            )
            .order_by("assignment__claimed_at", "assignment_id", "id")
            .values("assignment_id", "dossier_statement_id", "comment")
        ):
            number = reviewer_numbers.setdefault(review["assignment_id"], len(reviewer_numbers) + 1)
            label = _("Reviewer %(n)d") % {"n": number}
            feedback[review["dossier_statement_id"]].append((label, review["comment"]))

    rows = [
        (
            ds.domain_number,
            ds.domain_name,
            StatementRow(
                anchor=_anchor(ds.competency_code, ds.level),
                code=ds.competency_code,
                title=ds.competency_title,
                level=ds.level,
                text=ds.text,
                rating=ds.rating,
                note=ds.rating_note,
                evidence=evidence_of.get(ds.pk, []),
                feedback=feedback.get(ds.pk, []),
            ),
        )
        for ds in statements
    ]
    return _grouped(rows), list(evidence.values())
