"""Cells for CSV and XLSX downloads, made safe to open in a spreadsheet.

A cell whose text starts with = + - @ (or a tab or carriage return, which some
programs strip before looking) is read as a formula by Excel, LibreOffice and
Google Sheets: a name like ``=HYPERLINK(...)`` would run when the file is
opened. Such text gets a leading apostrophe, which the programs show as text.
Numbers are left as numbers. Every app's exports go through here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as it may go into a spreadsheet cell."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(row) -> list:
    return [neutralise(value) for value in row]


def rows_safe(rows: Iterable[Sequence]) -> list[list]:
    return [neutralise_row(row) for row in rows]


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download of ``header`` and ``rows``, every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    # A byte-order mark, so spreadsheet programs read non-Latin names correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(neutralise_row(header))
    writer.writerows(neutralise_row(row) for row in rows)
    return response
