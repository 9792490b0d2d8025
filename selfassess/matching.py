"""Which earlier rating answers to which statement, within a version or across versions.

A statement of a later framework version names the statement it was copied
from (``Statement.predecessor``); that link wins, because it survives a
competency being renumbered. Without it (a new statement, or an assessment two
or more versions back) the stable key, competency code plus level, decides.
Each earlier rating answers to at most one later statement.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from imhcf.models import Statement
    from selfassess.models import Rating


def statement_key(statement: Statement) -> tuple[str, int]:
    return (statement.competency.code, statement.level)


def match_ratings(earlier: Iterable[Rating], statements: Iterable[Statement]) -> dict[int, Rating]:
    """Map each of ``statements`` (by id) to the earlier rating that answers to it.

    ``earlier`` ratings and ``statements`` need their statement's competency
    loaded. Statements with no counterpart are left out of the result.
    """
    by_statement: dict[int, Rating] = {}
    by_key: dict[tuple[str, int], Rating] = {}
    for rating in earlier:
        by_statement[rating.statement_id] = rating
        by_key[statement_key(rating.statement)] = rating

    statements = list(statements)
    matched: dict[int, Rating] = {}
    used: set[int] = set()
    for statement in statements:
        rating = by_statement.get(statement.pk) or by_statement.get(statement.predecessor_id)
        if rating is not None and rating.pk not in used:
            matched[statement.pk] = rating
            used.add(rating.pk)
    for statement in statements:
        if statement.pk in matched:
            continue
        rating = by_key.get(statement_key(statement))
        if rating is not None and rating.pk not in used:
            matched[statement.pk] = rating
            used.add(rating.pk)
    return matched
