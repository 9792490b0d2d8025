"""The overview of one assessment: map, strengths, gaps and changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from imhcf.models import Competency
from selfassess.models import Assessment, Rating
from selfassess.selectors.assessments import (
    last_completed,
    ratings_with_statements,
    version_domains,
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
) -> Overview:
    """Map, strengths, gaps and changes: four queries (two without an earlier snapshot).

    Domains; all ratings with statements; the last completed assessment; its
    ratings with statements.
    """
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

    previous = last_completed(assessment.user_id)
    changes = None
    if previous is not None:
        changes = compare_ratings(previous, assessment, ratings_with_statements(previous), ratings)
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
