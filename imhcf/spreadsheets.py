"""CSV downloads that a spreadsheet can open safely: every app's exports go through here.

Every cell that a spreadsheet would read as a formula (starting with ``=``,
``+``, ``-`` or ``@``, or a tab or carriage return before one) is written with a
leading apostrophe, so a name, a title or a reason typed by anyone can never
run as a formula on the machine of the person who opens the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell's value, made inert if a spreadsheet could take it for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_safe(rows: Iterable[Sequence]) -> list[list]:
    return [[neutralise(v) for v in row] for row in rows]


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    # A byte-order mark, so spreadsheet programs read non-Latin names correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerows(rows_safe([header, *rows]))
    return response
