"""The rating grid of one domain, and the figures a save sends back."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from imhcf.bilingual import localised
from imhcf.models import Competency, Domain
from selfassess.models import Assessment, Rating
from selfassess.selectors.assessments import ratings_with_statements, version_domains
from selfassess.selectors.frame import (
    NEEDS_REVIEW_AT,
    STATEMENT_AT,
    VALUE_AT,
    FramedRows,
    frame_rating_rows,
    shown_parts,
    version_frame,
    version_stamp,
)
from selfassess.selectors.progress import (
    ACHIEVED,
    DomainProgress,
    domain_progress,
    highest_level_of,
    progress_from_rows,
)


@dataclass
class GridRow:
    competency: Competency
    ratings: list[Rating]

    @property
    def highest_level(self) -> int:
        return highest_level_of({r.statement.level: r.value for r in self.ratings})

    @property
    def out_of_order(self) -> bool:
        """A higher level marked achieved while a lower one is not: worth a hint."""
        return any(
            r.value == ACHIEVED and r.statement.level > self.highest_level for r in self.ratings
        )


@dataclass
class DomainGrid:
    domain: Domain
    rows: list[GridRow]
    progress: list[DomainProgress]
    previous_number: int | None
    next_number: int | None

    @property
    def current(self) -> DomainProgress:
        return next(p for p in self.progress if p.number == self.domain.number)


def rows_from_ratings(ratings: list[Rating]) -> list[GridRow]:
    rows: list[GridRow] = []
    for rating in ratings:
        competency = rating.statement.competency
        if not rows or rows[-1].competency.pk != competency.pk:
            rows.append(GridRow(competency, []))
        rows[-1].ratings.append(rating)
    return rows


def domain_grid(assessment: Assessment, number: int) -> DomainGrid | None:
    """The grid of one domain with progress for all: three queries.

    Domains; this domain's ratings with statements and competencies; counts
    per domain, level and value for the progress list.
    """
    domains = version_domains(assessment.version)
    numbers = [d.number for d in domains]
    if number not in numbers:
        return None
    domain = domains[numbers.index(number)]
    ratings = ratings_with_statements(assessment, domain=domain)
    index = numbers.index(number)
    return DomainGrid(
        domain=domain,
        rows=rows_from_ratings(ratings),
        progress=domain_progress(assessment, domains),
        previous_number=numbers[index - 1] if index > 0 else None,
        next_number=numbers[index + 1] if index + 1 < len(numbers) else None,
    )


@dataclass
class FramedGridInput(FramedRows):
    """One domain's grid worked out from all the assessment's rating rows (one query).

    The rows give this domain's cells and every domain's progress, so the
    grid needs neither the domains query nor the progress count query.
    """

    domain: Domain

    def _domain_of(self, row: tuple) -> int | None:
        statement = self.statement_of(row)
        return statement.competency.domain.number if statement is not None else None

    @cached_property
    def domain_rows(self) -> list[tuple]:
        return [row for row in self.rows if self._domain_of(row) == self.domain.number]

    @cached_property
    def progress(self) -> list[DomainProgress]:
        statements = self.frame.statements
        return progress_from_rows(
            (
                (
                    statements[row[STATEMENT_AT]].competency.domain.number,
                    statements[row[STATEMENT_AT]].level,
                    row[VALUE_AT],
                    row[NEEDS_REVIEW_AT],
                )
                for row in self.rows
                if row[STATEMENT_AT] in statements
            ),
            self.frame.domains,
        )

    def grid(self) -> DomainGrid:
        numbers = [d.number for d in self.frame.domains]
        index = numbers.index(self.domain.number)
        return DomainGrid(
            domain=self.domain,
            rows=rows_from_ratings(self.ratings_of(self.domain_rows)),
            progress=self.progress,
            previous_number=numbers[index - 1] if index > 0 else None,
            next_number=numbers[index + 1] if index + 1 < len(numbers) else None,
        )

    def cache_parts(self) -> tuple:
        """Every input of the grid's figures and cells, for ``selfassess.fragments``."""
        version = self.assessment.version
        return (
            self.assessment.pk,
            version_stamp(version),
            self.domain.number,
            shown_parts(self.domain_rows),
            tuple(
                (p.number, p.needs_review, [(c.total, c.achieved, c.working) for c in p.level_list])
                for p in self.progress
            ),
        )


def grid_input(assessment: Assessment, number: int) -> FramedGridInput | None:
    """The rating rows behind domain ``number``'s grid, or None if there is no such domain."""
    frame = version_frame(assessment.version)
    domain = frame.domain(number)
    if domain is None:
        return None
    rows = frame_rating_rows(assessment, frame)
    return FramedGridInput(assessment=assessment, frame=frame, rows=rows, domain=domain)


@dataclass
class SaveEcho:
    """What a rating save sends back besides the cell: the row and domain figures."""

    competency_highest: int
    competency_out_of_order: bool
    domain: DomainProgress


def save_echo(rating: Rating) -> SaveEcho:
    """Figures refreshed after one save: one query over the domain's ratings.

    The domain's statements come from the version's frame, so the query reads
    ratings alone, picked by statement id.
    """
    statement = rating.statement
    domain = statement.competency.domain
    frame = version_frame(rating.assessment.version)
    ids = frame.statement_ids_of(domain)
    rows = Rating.objects.filter(
        assessment_id=rating.assessment_id, statement_id__in=ids
    ).values_list("statement_id", "value", "needs_review")
    progress = DomainProgress(domain.number, localised(domain, "name"))
    competency_values: dict[int, str] = {}
    for statement_id, value, needs_review in rows:
        other = frame.statements[statement_id]
        progress.add(other.level, value)
        progress.needs_review += bool(needs_review)
        if other.competency_id == statement.competency_id:
            competency_values[other.level] = value
    highest = highest_level_of(competency_values)
    out_of_order = any(v == ACHIEVED and lvl > highest for lvl, v in competency_values.items())
    return SaveEcho(highest, out_of_order, progress)
