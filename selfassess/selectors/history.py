"""What changed between two assessments, matched by each statement's stable key."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from imhcf.models import Competency, Statement
from imhcf.wording import restore_wording, wording_changed
from selfassess.matching import match_ratings, statement_key
from selfassess.models import VALUE_RANK, Assessment, Rating
from selfassess.selectors.assessments import ratings_with_statements


@dataclass
class Change:
    key: tuple[str, int]
    earlier: Rating | None
    later: Rating | None

    @property
    def statement(self) -> Statement:
        return (self.later or self.earlier).statement

    @property
    def competency(self) -> Competency:
        return self.statement.competency

    @property
    def code(self) -> str:
        return self.key[0]

    @property
    def level(self) -> int:
        return self.key[1]

    @property
    def direction(self) -> str:
        if self.earlier is None or self.later is None:
            return "unmatched"
        delta = VALUE_RANK[self.later.value] - VALUE_RANK[self.earlier.value]
        return "improved" if delta > 0 else "slipped" if delta < 0 else "unchanged"

    @property
    def wording_changed(self) -> bool:
        return bool(
            self.earlier
            and self.later
            and wording_changed(self.earlier.statement.text, self.later.statement.text)
        )

    @property
    def note_changed(self) -> bool:
        return bool(self.earlier and self.later and self.earlier.note != self.later.note)


@dataclass
class Comparison:
    earlier: Assessment
    later: Assessment
    improved: list[Change]
    slipped: list[Change]
    unchanged: list[Change]
    only_earlier: list[Change]
    only_later: list[Change]

    @property
    def across_versions(self) -> bool:
        return self.earlier.version_id != self.later.version_id

    @property
    def changed(self) -> list[Change]:
        return sorted(self.improved + self.slipped, key=lambda c: _key_order(c.key))


def _key_order(key: tuple[str, int]) -> tuple[int, int, int]:
    domain, number = key[0].split(".")
    return (int(domain), int(number), key[1])


def compare_ratings(
    earlier: Assessment,
    later: Assessment,
    earlier_ratings: list[Rating],
    later_ratings: list[Rating],
) -> Comparison:
    """Statement by statement, later against earlier, matched as ``matching`` explains."""
    matched = match_ratings(earlier_ratings, [r.statement for r in later_ratings])
    used = {r.pk for r in matched.values()}
    buckets: dict[str, list[Change]] = defaultdict(list)
    for rating in later_ratings:
        change = Change(statement_key(rating.statement), matched.get(rating.statement_id), rating)
        buckets[change.direction if change.earlier else "only_later"].append(change)
    for rating in earlier_ratings:
        if rating.pk not in used:
            buckets["only_earlier"].append(Change(statement_key(rating.statement), rating, None))
    return Comparison(
        earlier=earlier,
        later=later,
        improved=buckets["improved"],
        slipped=buckets["slipped"],
        unchanged=buckets["unchanged"],
        only_earlier=buckets["only_earlier"],
        only_later=buckets["only_later"],
    )


def compare_assessments(first: Assessment, second: Assessment) -> Comparison:
    """Two snapshots in date order, each in its own words: eight queries, four per side."""
    earlier, later = sorted((first, second), key=lambda a: a.completed_at or a.started_at)
    sides = []
    for assessment in (earlier, later):
        ratings = ratings_with_statements(assessment)
        if assessment.completed_at:
            restore_wording(ratings, assessment.completed_at)
        sides.append(ratings)
    return compare_ratings(earlier, later, *sides)
