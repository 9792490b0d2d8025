"""Cells for CSV and XLSX downloads, made safe to open in a spreadsheet.

A cell whose text starts with = + - @ (or a tab or carriage return, which some
programs strip before looking) is read as a formula by Excel, LibreOffice and
Google Sheets: a name like ``=HYPERLINK(...)`` would run when the file is
opened. Such text gets a leading apostrophe, which the programs show as text.
Numbers are left as numbers.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as it may go into a spreadsheet cell."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(row) -> list:
    return [neutralise(value) for value in row]
