"""Queries that every signed-in request runs, compiled to SQL by the ORM once per process.

Loading the session and the user are one small query each, but the ORM builds and
compiles each anew on every request, which cost about as much CPU as the query
itself. Here the ORM compiles the query once per process and database, with
stand-in values; each request runs that SQL with its own values put in their place,
adapted for the database as the ORM adapts them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from django.db import connections

# (name, database alias, vendor) -> (SQL, parameters, where each stand-in sits in them).
_kept: dict[tuple[str, str, str], tuple[str, tuple, tuple[int, ...]]] = {}


def _adapt(ops, value):
    if isinstance(value, datetime.datetime):
        return ops.adapt_datetimefield_value(value)
    return value


def first_row(model, name: str, build: Callable, stand_ins: Sequence, values: Sequence, alias: str):
    """The first instance ``build(*values)`` finds, through SQL compiled from ``build(*stand_ins)``.

    ``build`` returns a queryset of ``model``; each stand-in must appear once among the
    compiled parameters (an id no row has, a string no key is, a date no one chose).
    """
    ops = connections[alias].ops
    key = (name, alias, connections[alias].vendor)
    found = _kept.get(key)
    if found is None:
        sql, params = build(*stand_ins).using(alias).query.sql_with_params()
        params = tuple(params)
        positions = tuple(params.index(_adapt(ops, stand_in)) for stand_in in stand_ins)
        found = _kept[key] = (sql, params, positions)
    sql, params, positions = found
    params = list(params)
    for position, value in zip(positions, values, strict=True):
        params[position] = _adapt(ops, value)
    return next(iter(model._default_manager.db_manager(alias).raw(sql, params)), None)
