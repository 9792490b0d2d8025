"""The overview of one assessment: map, strengths, gaps and changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from imhcf.models import Competency
from selfassess.models import Assessment, Rating
from selfassess.selectors.assessments import (
    last_completed,
    ratings_with_statements,
    version_domains,
)
from selfassess.selectors.frame import (
    VALUE_AT,
    FramedRows,
    frame_rating_rows,
    framed_ratings,
    shown_parts,
    version_frame,
    version_stamp,
)
from selfassess.selectors.grid import rows_from_ratings
from selfassess.selectors.history import Comparison, compare_ratings
from selfassess.selectors.progress import (
    ACHIEVED,
    DomainProgress,
    LevelCounts,
    progress_from_rows,
    rating_rows,
)


@dataclass
class CompetencyStrength:
    competency: Competency
    highest_level: int


@dataclass
class Overview:
    assessment: Assessment
    target_level: int
    domains: list[DomainProgress]
    strength_domains: list[DomainProgress]
    strength_competencies: list[tuple[DomainProgress, list[CompetencyStrength]]]
    gaps: list[tuple[DomainProgress, list[Rating]]]
    needs_review: list[Rating]
    target: LevelCounts
    changes: Comparison | None
    last_completed: Assessment | None
    # Rated Achieved with no evidence linked: an application would be refused on these.
    unevidenced: list[Rating] = field(default_factory=list)

    @property
    def gap_count(self) -> int:
        return sum(len(items) for _d, items in self.gaps)


def assessment_overview(
    assessment: Assessment,
    target_level: int,
    evidence_counts: dict[tuple[str, int], int] | None = None,
    *,
    framed: FramedOverviewInput | None = None,
) -> Overview:
    """Map, strengths, gaps and changes: four queries (two without an earlier snapshot).

    Domains; all ratings with statements; the last completed assessment; its
    ratings with statements. With ``framed`` (``overview_input``), the ratings
    and domains already read, and the earlier snapshot's ratings in one query.
    """
    if framed is not None:
        domains, ratings = framed.frame.domains, framed.ratings
    else:
        domains = version_domains(assessment.version)
        ratings = ratings_with_statements(assessment)
    progress = progress_from_rows(rating_rows(ratings), domains)
    target = LevelCounts(target_level)
    for domain in progress:
        counts = domain.counts_up_to(target_level)
        target.total += counts.total
        target.achieved += counts.achieved
        target.working += counts.working

    strong_domains = {p.number for p in progress if p.highest_level >= target_level}
    strengths: dict[int, list[CompetencyStrength]] = defaultdict(list)
    gaps: dict[int, list[Rating]] = defaultdict(list)
    for row in rows_from_ratings(ratings):
        number = row.competency.domain.number
        if row.highest_level >= target_level and number not in strong_domains:
            strengths[number].append(CompetencyStrength(row.competency, row.highest_level))
        for rating in row.ratings:
            if rating.statement.level <= target_level and rating.value != ACHIEVED:
                gaps[number].append(rating)

    previous = framed.previous if framed is not None else last_completed(assessment.user_id)
    changes = None
    if previous is not None:
        earlier = (
            framed_ratings(previous) if framed is not None else ratings_with_statements(previous)
        )
        changes = compare_ratings(previous, assessment, earlier, ratings)
    return Overview(
        assessment=assessment,
        target_level=target_level,
        domains=progress,
        strength_domains=[p for p in progress if p.number in strong_domains],
        strength_competencies=[(p, strengths[p.number]) for p in progress if strengths[p.number]],
        gaps=[(p, gaps[p.number]) for p in progress if gaps[p.number]],
        needs_review=[r for r in ratings if r.needs_review],
        target=target,
        changes=changes,
        last_completed=previous,
        unevidenced=[
            r
            for r in ratings
            if r.value == ACHIEVED
            and not (evidence_counts or {}).get((r.statement.competency.code, r.statement.level))
        ],
    )


@dataclass
class FramedOverviewInput(FramedRows):
    """What the overview is worked out from, with the last completed snapshot."""

    previous: Assessment | None
    target_level: int

    @cached_property
    def ratings(self) -> list[Rating]:
        return self.ratings_of(self.rows)

    def gap_keys(self) -> list[tuple[str, int]]:
        """The statement keys of the gaps, for the courses that cover them."""
        keys = []
        for row in self.rows:
            statement = self.statement_of(row)
            if (
                statement is not None
                and statement.level <= self.target_level
                and row[VALUE_AT] != ACHIEVED
            ):
                keys.append((statement.competency.code, statement.level))
        return keys

    def cache_parts(self) -> tuple:
        """Every input of the overview's rating figures, for ``selfassess.fragments``."""
        version = self.assessment.version
        previous = self.previous
        return (
            self.assessment.pk,
            self.assessment.started_at,
            version_stamp(version),
            self.target_level,
            shown_parts(self.rows),
            # A completed snapshot's ratings never change; its version's wording may.
            previous
            and (
                previous.pk,
                previous.completed_at,
                previous.version_id,
                previous.version.content_revision,
                previous.version.created_at,
            ),
        )


def overview_input(assessment: Assessment, target_level: int) -> FramedOverviewInput:
    """The rating rows and the last snapshot: two queries once the framework is in memory."""
    frame = version_frame(assessment.version)
    return FramedOverviewInput(
        assessment=assessment,
        frame=frame,
        rows=frame_rating_rows(assessment, frame),
        previous=last_completed(assessment.user_id),
        target_level=target_level,
    )
