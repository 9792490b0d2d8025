"""Loading many rows fast: COPY on PostgreSQL, batched inserts elsewhere.

For demo and benchmark data (``seed_demo --practitioners 100000`` writes about
19 million ratings), never for a user's request. The caller streams tuples of
the named fields; every other field takes its default, worked out once. Rows
are written as they come, so memory stays flat however many there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, models

# Values psycopg writes as they are; any other field goes through its own
# get_db_prep_save (a JSONField's dict, say).
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _defaults(model: type[models.Model], names: Sequence[str]) -> dict[str, object]:
    """Each other concrete field's value for a new row, as ``save()`` would give it."""
    prototype = model()
    values = {}
    for field in model._meta.concrete_fields:
        if (
            field.attname in names
            or field.primary_key
            or field.db_default is not models.NOT_PROVIDED
        ):
            continue
        values[field.attname] = field.pre_save(prototype, add=True)
    return values


def rows_insert(
    model: type[models.Model], names: Sequence[str], rows: Iterable[tuple], *, batch: int = 5000
) -> int:
    """Insert ``rows`` (tuples in the order of ``names``, field attnames); return how many."""
    defaults = _defaults(model, names)
    fields = [model._meta.get_field(n) for n in names]
    fields += [model._meta.get_field(n) for n in defaults]
    fixed = tuple(
        v if f.get_internal_type() in _PLAIN else f.get_db_prep_save(v, connection)
        for f, v in zip(fields[len(names) :], defaults.values(), strict=True)
    )
    prepare = [None if f.get_internal_type() in _PLAIN else f for f in fields[: len(names)]]
    needs_prep = any(prepare)

    def prepared(row: tuple) -> tuple:
        if needs_prep:
            row = tuple(
                v if f is None else f.get_db_prep_save(v, connection)
                for f, v in zip(prepare, row, strict=True)
            )
        return row + fixed

    if connection.vendor == "postgresql":
        return _copy(model, [f.column for f in fields], map(prepared, rows))
    count = 0
    iterator = iter(rows)
    attnames = [f.attname for f in fields]
    while chunk := list(islice(iterator, batch)):
        model.objects.bulk_create(
            [
                model(**dict(zip(attnames, row + tuple(defaults.values()), strict=True)))
                for row in chunk
            ]
        )
        count += len(chunk)
    return count


def _copy(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
