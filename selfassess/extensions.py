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


# --- When a snapshot is completed -------------------------------------------------
# Later apps keep summaries of completed snapshots (workforce's team and area
# figures). Each listener gets the completed assessment after the transaction
# that completed it commits, and should only enqueue work.

CompletionListener = Callable[[object], None]
_completion_listeners: list[CompletionListener] = []


def provide_completion_listener(listener: CompletionListener) -> CompletionListener:
    if listener not in _completion_listeners:
        _completion_listeners.append(listener)
    return listener


def assessment_completed(assessment) -> None:
    for listener in _completion_listeners:
        listener(assessment)


# --- How others in the same role and region are doing ------------------------------
# The overview may say, per domain, what share of people in the practitioner's
# role and region (among those who share anonymised figures) have reached
# Level 2. The provider returns {domain number: percent}, leaving out any domain
# whose figures are too small to show.

PeerShares = Callable[[object], dict[int, int]]
_peer_shares: PeerShares | None = None


def provide_peer_shares(provider: PeerShares) -> PeerShares:
    global _peer_shares
    _peer_shares = provider
    return provider


def peer_shares(profile) -> dict[int, int]:
    return _peer_shares(profile) if _peer_shares else {}


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


def offer_courses(gaps: list, found: dict | None = None) -> None:
    """Give each gap's rating the courses that cover it (``rating.courses``), if any.

    ``rating.courses`` is (how many, catalogue link) or None. One query, none
    without gaps or without the training app, or none when ``found`` (what
    ``courses_for`` gave for these gaps) is passed.
    """
    if found is None:
        found = courses_for([(r.statement.competency.code, r.statement.level) for r in gaps])
    for rating in gaps:
        rating.courses = found.get((rating.statement.competency.code, rating.statement.level))
