"""What apps above the register add to a demo seed: the extender registry.

An extender is started once per run and handed every block of people as it is
written, inside the seed's one transaction; see ``register.seeding.seed_demo``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass
class SeededPerson:
    """One seeded practitioner as the extenders see them, so that none reads rows back.

    ``assessment_id`` is their current assessment: in progress, or (three in four)
    completed, with the headline figures frozen on it. ``values`` are its ratings,
    one per statement in the order of ``SeedBlock.statements``.
    """

    user_id: int
    nation: str
    region: str
    assessment_id: int
    completed_at: datetime | None
    target_level: int | None
    highest_levels: dict
    values: list[str]


@dataclass
class SeedBlock:
    """A block of people just written, in the seed's one transaction."""

    people: list[SeededPerson]
    statements: list
    first: bool
    total: int
    now: datetime


class SeedRun(Protocol):
    # The models it writes many rows of, whose foreign keys are checked once at the end.
    bulk_models: tuple

    def block(self, block: SeedBlock) -> None: ...

    def finish(self) -> str: ...


# Apps above this one add their own demo data to the same run. Each extender is
# started once (with the random generator, so the same seed gives the same data,
# the log and the number of practitioners), is handed every block as it is
# written, inside the same transaction, and returns a line for the summary.
SeedExtender = Callable[..., SeedRun]
_extenders: list[SeedExtender] = []
# And each removes what it added, given the seeded users, before they are deleted.
_resetters: list[Callable] = []


def provide_seed_extender(extender: SeedExtender, reset: Callable | None = None) -> SeedExtender:
    if extender not in _extenders:
        _extenders.append(extender)
    if reset is not None and reset not in _resetters:
        _resetters.append(reset)
    return extender
