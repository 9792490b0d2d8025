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
