"""Names compared without case or accents: "Sian" finds "Siân", "lukasz" finds "Łukasz".

On PostgreSQL ``imhcf_fold(text)`` is ``upper(unaccent(text))`` declared
immutable (register migration 0001_postgresql_fold_function), so a generated
column and an index can be built on it and a search on it never scans. SQLite
has no unaccent: there the same SQL function is this module's ``fold_text``,
registered on every connection. Both sides of every comparison go through the
same function, so the folding rules never disagree.
"""

from __future__ import annotations

import unicodedata

from django.db.models import CharField, Func

FUNCTION = "imhcf_fold"

# Letters whose accent Unicode does not decompose away (unaccent maps them too).
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "\u0131": "i",  # dotless i
        "ħ": "h",
        "Ħ": "H",
        "þ": "th",
        "Þ": "TH",
    }
)


def fold_text(value: str | None) -> str | None:
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_LETTERS).upper()


class Fold(Func):
    """``imhcf_fold(expression)``: the form the register's name index is built on."""

    function = FUNCTION
    output_field = CharField()


def install_sqlite_fold(sender, connection, **kwargs) -> None:
    """connection_created receiver: give SQLite the function PostgreSQL gets from its migration."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, fold_text, deterministic=True)
