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
