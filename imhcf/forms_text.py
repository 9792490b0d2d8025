"""Text and ids a form or view reads straight from the request, outside a declared field.

A declared ``forms.CharField`` already refuses NUL characters, which PostgreSQL
cannot store in text, and a declared ``IntegerField`` reads only numbers. Values
taken from ``request.POST`` or ``request.GET`` by hand (fields whose names are
built at run time, a hidden id in a query string) get neither check, so a pasted
NUL reached the database and a "²" reached ``int()``, and both answered 500.
These helpers give such values the same checks, with the same messages; the
field does the same for ids posted to a model choice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

# The validator every forms.CharField runs, so the message matches theirs.
refuse_nul = ProhibitNullCharactersValidator()


def typed_text(raw: str | None) -> str:
    """What someone typed, with runs of whitespace collapsed to one space.

    Raises ``ValidationError`` if it holds a NUL character.
    """
    text = " ".join((raw or "").split())
    refuse_nul(text)
    return text


# The largest id a row can have (a 64-bit primary key). SQLite cannot even be
# asked about a larger one: the query itself fails.
MAX_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """A whole number that could be a row's id, or None for anything else.

    ``str.isdigit`` is true for "²" and "①", which ``int()`` cannot read;
    ``isdecimal`` is true only for what it can.
    """
    text = "" if raw is None else str(raw)
    if not text.isdecimal():
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def parse_ids(values: Iterable) -> list[int]:
    """The readable ids among ``values``, in order; the rest are dropped."""
    return [pk for pk in map(parse_id, values) if pk is not None]


class RowsByIdField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` that refuses an id no row can have before asking.

    Django passes the posted ids to the database as they come; SQLite cannot
    even run the query for one beyond 64 bits, and the request answered 500.
    """

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        for raw in values:
            if parse_id(raw) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": raw},
                )
        return super().clean(value)
