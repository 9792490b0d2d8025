"""The step every workflow takes to change a row's state: lock, check, apply, record.

A workflow (a reference, a concern, a CPD audit, a course's mapping review) names
its model's allowed moves once, as ``rules`` (action -> the states it may start
from). ``locked_move`` takes the row lock, refuses an action its current state
does not allow, lets the caller's ``effect`` save the change and return the new
state, and has the caller's ``record`` write its audit row, all in one
transaction: two people acting at once queue on the lock, and whoever comes
second finds the state moved on and is refused.

Each app keeps its own audit table and its own words for a refusal; this module
knows neither.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models, transaction

Row = TypeVar("Row", bound=models.Model)


def locked_move(
    queryset: models.QuerySet[Row],
    pk: int,
    *,
    allowed: frozenset[str],
    effect: Callable[[Row], str],
    refuse: Callable[[Row], Exception],
    record: Callable[[Row, str, str], object],
) -> Row:
    """Move row ``pk`` of ``queryset`` if its ``status`` is in ``allowed``, else refuse.

    Raises ``refuse(row)`` when it is not. ``effect(row)`` saves the change and returns
    the new status; ``record(row, from, to)`` writes the audit row.
    """
    with transaction.atomic():
        row = queryset.select_for_update().get(pk=pk)
        current = row.status
        if current not in allowed:
            raise refuse(row)
        record(row, current, effect(row))
    return row
