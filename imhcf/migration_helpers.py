"""Helpers imported by migrations. Keep them stable: old migrations depend on them."""


def postgresql_only(statements: list[str]):
    """A RunPython function that runs ``statements`` on PostgreSQL and does nothing elsewhere."""

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply
