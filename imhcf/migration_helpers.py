"""Helpers imported by migrations.

Keep what they produce stable: a change reaches only databases migrated afterwards, never
the ones already migrated, so two databases would differ.
"""

import textwrap


def postgresql_only(statements: list[str]):
    """A RunPython function that runs ``statements`` on PostgreSQL and does nothing elsewhere."""

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


def before_trigger(
    name: str, table: str, *, events: str, each: str, body: str
) -> tuple[list[str], list[str]]:
    """The statements that create, and those that drop, a trigger BEFORE ``events`` on ``table``.

    The trigger and its plpgsql function are both called ``name``; ``body`` is the function's
    statements between BEGIN and END. ``each`` is ROW or STATEMENT.
    """
    forward = [
        f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
    BEGIN
{textwrap.indent(body, " " * 8)}
    END;
    $$ LANGUAGE plpgsql
    """,
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"""
    CREATE TRIGGER {name}
    BEFORE {events} ON {table}
    FOR EACH {each} EXECUTE FUNCTION {name}()
    """,
    ]
    backward = [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return forward, backward


def append_only_trigger(name: str, table: str) -> tuple[list[str], list[str]]:
    """``before_trigger`` that refuses UPDATE and DELETE of any row of ``table``.

    The model refuses changes already; this stops raw SQL and bulk updates too.
    """
    return before_trigger(
        name,
        table,
        events="UPDATE OR DELETE",
        each="ROW",
        body=f"RAISE EXCEPTION '{table} is append-only';",
    )
