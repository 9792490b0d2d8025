"""Loading many rows fast: COPY on PostgreSQL, batched inserts elsewhere.

For demo and benchmark data (``seed_demo --practitioners 100000`` writes about
19 million ratings), never for a user's request. The caller streams tuples of
the named fields; every other field takes its default, worked out once. Rows
are written as they come, so memory stays flat however many there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
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


_copy_allowed = True


@contextmanager
def without_copy() -> Iterator[None]:
    """Write with batched inserts even on PostgreSQL (tests compare the two ways)."""
    global _copy_allowed
    _copy_allowed = False
    try:
        yield
    finally:
        _copy_allowed = True


@contextmanager
def foreign_keys_checked_at_end(*models: type[models.Model]) -> Iterator[None]:
    """Take these tables' foreign keys off for a bulk load and put them back after it.

    Django makes PostgreSQL foreign keys DEFERRABLE INITIALLY DEFERRED, so each row a
    COPY writes queues a check that runs at COMMIT: one index probe per row (19
    million for ``seed_demo``'s ratings at 100,000 people), with the queue held in
    the server's memory until then. Put back with the same name and definition,
    each constraint is checked once, by one query over the whole table, and the
    load fails there if any row points nowhere. Only inside a transaction, so a
    failed load puts them back too; the tables stay locked until it ends. Elsewhere
    than PostgreSQL this does nothing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("foreign_keys_checked_at_end needs a transaction.")
    quote = connection.ops.quote_name
    tables = [quote(m._meta.db_table) for m in models]
    with connection.cursor() as cursor:
        # Checks already queued in this transaction run now: a table with some cannot change.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
            "ORDER BY 1, 2",
            [tables],
        )
        found = cursor.fetchall()
        for table, name, _definition in found:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in found:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys for rows the caller is about to write itself.

    On PostgreSQL they come from the table's own sequence, so nothing else can
    take them. Elsewhere they follow the highest key yet used, which holds only
    while the caller writes them before reserving again (seeding, one writer).
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        # Names from the model's own metadata, quoted: nothing from outside.
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608
        top = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            # AUTOINCREMENT never reuses a deleted row's key; neither do we.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
    return list(range(top + 1, top + 1 + count))


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

    if connection.vendor == "postgresql" and _copy_allowed:
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
