"""Provider downloads: attendance lists and the effectiveness summary, as CSV and XLSX.

Every cell that a spreadsheet would read as a formula (starting with ``=``,
``+``, ``-`` or ``@``, or a tab or carriage return before one) is written with a
leading apostrophe, so an attendee's address or a course title can never run
as a formula on the provider's machine. XLSX files are written by openpyxl,
with every value stored as a value, never as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from imhcf.spreadsheets import csv_response, neutralise, rows_safe  # noqa: F401 - used by views
from training.models import Attendance, Course
from training.selectors import Effectiveness

# The neutralising rule and the CSV writer live in imhcf.spreadsheets, shared by
# every app's exports; training's views and tests reach them through this module.
_rows_safe = rows_safe


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = filename[:31]
    for row in _rows_safe([header, *rows]):
        sheet.append(row)
    # openpyxl takes any string starting "=" as a formula; neutralised strings no
    # longer do, but mark every string cell as text so none ever is.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def attendance_table(course: Course, attendances: list[Attendance]) -> tuple[list, list]:
    header = [
        _("Session first day"),
        _("Session last day"),
        _("Place"),
        _("Email"),
        _("Confirmed by"),
        _("Confirmed on"),
        _("Added to their evidence"),
    ]
    methods = dict(Attendance.Method.choices)
    rows = [
        [
            a.session.starts_on.isoformat(),
            a.session.last_day.isoformat(),
            a.session.place,
            a.email,
            str(methods[a.method]),
            a.confirmed_at.date().isoformat(),
            _("yes") if a.evidence_item_id else _("no"),
        ]
        for a in attendances
    ]
    return header, rows


def effectiveness_table(effect: Effectiveness) -> tuple[list, list]:
    """Only what the page shows: hidden figures are written as "hidden", never as numbers."""
    hidden = _("hidden: fewer than %(n)s people") % {"n": effect.threshold}
    header = [
        _("Cohort"),
        _("Statement"),
        _("People compared"),
        _("Achieved before"),
        _("Achieved after"),
        _("Moved up"),
        _("Moved down"),
    ]
    rows = []

    def add(label: str, row) -> None:
        if row.shown:
            rows.append(
                [
                    label,
                    row.key,
                    row.people,
                    row.achieved_before,
                    row.achieved_after,
                    row.moved_up,
                    row.moved_down,
                ]
            )
        else:
            rows.append([label, row.key, hidden, "", "", "", ""])

    for row in effect.rows:
        add(_("All sessions"), row)
    for cohort in effect.cohorts:
        label = cohort.session.starts_on.isoformat()
        for row in cohort.rows:
            add(label, row)
    return header, rows


def filename_for(course: Course, what: str) -> str:
    return f"{slugify(course.title)[:40] or 'course'}-{what}"
