"""Hooks through which later apps add to self-assessment pages.

Dependencies point one way (evidence -> selfassess), so the grid cannot ask
the evidence app for counts directly. The evidence app provides a counter here
when it starts; without one, every statement simply has no evidence.
"""

from collections.abc import Callable

EvidenceCounter = Callable[[object], dict[tuple[str, int], int]]
_evidence_counter: EvidenceCounter | None = None


def provide_evidence_counter(counter: EvidenceCounter) -> EvidenceCounter:
    global _evidence_counter
    _evidence_counter = counter
    return counter


def evidence_counts(user) -> dict[tuple[str, int], int]:
    """Evidence items per statement key (competency code, level) for ``user``: one query."""
    return _evidence_counter(user) if _evidence_counter else {}


# Courses that cover a statement, from the training app when it is installed:
# statement key -> (how many reviewed courses cover it, a catalogue link listing them).
CourseFinder = Callable[[list[tuple[str, int]]], dict[tuple[str, int], tuple[int, str]]]
_course_finder: CourseFinder | None = None


def provide_course_finder(finder: CourseFinder) -> CourseFinder:
    global _course_finder
    _course_finder = finder
    return finder


def courses_for(keys: list[tuple[str, int]]) -> dict[tuple[str, int], tuple[int, str]]:
    """For each gap's statement key, the courses that cover it: one query, none without keys."""
    return _course_finder(keys) if (_course_finder and keys) else {}


def offer_courses(gaps: list) -> None:
    """Give each gap's rating the courses that cover it (``rating.courses``), if any.

    ``rating.courses`` is (how many, catalogue link) or None. One query, none
    without gaps or without the training app.
    """
    found = courses_for([(r.statement.competency.code, r.statement.level) for r in gaps])
    for rating in gaps:
        rating.courses = found.get((rating.statement.competency.code, rating.statement.level))
