"""Progress figures per domain and level, worked out in Python from rating rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from imhcf.models import Domain, LevelNumber
from selfassess.models import Assessment, Rating

LEVELS = tuple(LevelNumber.values)


ACHIEVED = Rating.Value.ACHIEVED


WORKING = Rating.Value.WORKING_TOWARDS


@dataclass
class LevelCounts:
    level: int
    total: int = 0
    achieved: int = 0
    working: int = 0

    @property
    def not_started(self) -> int:
        return self.total - self.achieved - self.working

    @property
    def achieved_percent(self) -> int:
        return round(100 * self.achieved / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.achieved == self.total


@dataclass
class DomainProgress:
    number: int
    name: str = ""
    levels: dict[int, LevelCounts] = field(default_factory=dict)
    needs_review: int = 0

    def __post_init__(self) -> None:
        for level in LEVELS:
            self.levels.setdefault(level, LevelCounts(level))

    def add(self, level: int, value: str, count: int = 1) -> None:
        counts = self.levels[level]
        counts.total += count
        if value == ACHIEVED:
            counts.achieved += count
        elif value == WORKING:
            counts.working += count

    @property
    def level_list(self) -> list[LevelCounts]:
        return [self.levels[level] for level in LEVELS]

    @property
    def total(self) -> int:
        return sum(c.total for c in self.levels.values())

    @property
    def achieved(self) -> int:
        return sum(c.achieved for c in self.levels.values())

    @property
    def working(self) -> int:
        return sum(c.working for c in self.levels.values())

    @property
    def highest_level(self) -> int:
        """Levels are cumulative: a level counts only when it and all below are achieved."""
        highest = 0
        for level in LEVELS:
            if not self.levels[level].complete:
                break
            highest = level
        return highest

    def counts_up_to(self, target: int) -> LevelCounts:
        summed = LevelCounts(target)
        for level in LEVELS:
            if level <= target:
                summed.total += self.levels[level].total
                summed.achieved += self.levels[level].achieved
                summed.working += self.levels[level].working
        return summed


def highest_level_of(values_by_level: dict[int, str]) -> int:
    """Highest level fully achieved for one competency, cumulatively."""
    highest = 0
    for level in LEVELS:
        if level not in values_by_level:
            continue
        if values_by_level[level] != ACHIEVED:
            break
        highest = level
    return highest


def progress_from_rows(
    rows: Iterable[tuple[int, int, str, bool]], domains: Iterable[Domain] = ()
) -> list[DomainProgress]:
    """Progress per domain from (domain number, level, value, needs review) rows."""
    progress = {d.number: DomainProgress(d.number, d.name) for d in domains}
    for number, level, value, needs_review in rows:
        domain = progress.setdefault(number, DomainProgress(number))
        domain.add(level, value)
        domain.needs_review += bool(needs_review)
    return [progress[n] for n in sorted(progress)]


def rating_rows(ratings: Iterable[Rating]):
    for r in ratings:
        yield (r.statement.competency.domain.number, r.statement.level, r.value, r.needs_review)


def domain_progress(assessment: Assessment, domains: Iterable[Domain] = ()) -> list[DomainProgress]:
    """Progress per domain and level: one query, at most 7 x 3 x 3 x 2 rows."""
    rows = (
        Rating.objects.filter(assessment=assessment)
        .values_list(
            "statement__competency__domain__number", "statement__level", "value", "needs_review"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    progress = {d.number: DomainProgress(d.number, d.name) for d in domains}
    for number, level, value, needs_review, n in rows:
        domain = progress.setdefault(number, DomainProgress(number))
        domain.add(level, value, n)
        if needs_review:
            domain.needs_review += n
    return [progress[k] for k in sorted(progress)]


def completion_figures(assessment: Assessment, target_level: int | None) -> dict:
    """The headline figures frozen onto an assessment when it is completed: one query."""
    rows = Rating.objects.filter(assessment=assessment).values_list(
        "statement__competency__domain__number", "statement__level", "value", "needs_review"
    )
    return figures_from_rows(rows, target_level)


def figures_from_rows(rows: Iterable[tuple[int, int, str, bool]], target_level: int | None) -> dict:
    """``completion_figures`` from (domain number, level, value, needs review) rows."""
    progress = progress_from_rows(rows)
    target = target_level or max(LEVELS)
    up_to = [p.counts_up_to(target) for p in progress]
    return {
        "target_level": target_level,
        "statement_count": sum(p.total for p in progress),
        "achieved_count": sum(p.achieved for p in progress),
        "working_count": sum(p.working for p in progress),
        "target_statement_count": sum(c.total for c in up_to),
        "target_achieved_count": sum(c.achieved for c in up_to),
        "highest_levels": {str(p.number): p.highest_level for p in progress},
        "needs_review": sum(p.needs_review for p in progress),
    }
