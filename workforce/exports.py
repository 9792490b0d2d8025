"""Team figures and area figures as CSV, XLSX and JSON, from the same selectors as the pages.

Every text cell goes through ``imhcf.spreadsheets.neutralise``, so a member's
name or a team's name can never run as a formula in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from imhcf.spreadsheets import neutralise_row
from workforce.insight import AreaFigures, geo_label
from workforce.selectors import TeamOverview

BOM = "\ufeff"


def team_tables(overview: TeamOverview) -> list[tuple[str, list[str], list[list]]]:
    """(sheet title, header, rows) for each table of the team page."""
    tables = []
    tables.append(
        (
            _("Levels"),
            [_("Domain"), _("Level 1"), _("Level 2"), _("Level 3"), _("Members assessed")],
            [
                [f"{n}. {name}", *counts, overview.assessed_count]
                for n, name, counts in overview.map
            ],
        )
    )
    member_header = [_("Member"), _("Role"), _("Self-assessment completed")]
    member_header += [_("Domain %(n)s (level / required)") % {"n": n} for n in range(1, 8)]
    member_header += [_("Meets every requirement"), _("CPD hours, past year")]
    member_rows = []
    for m in overview.members:
        row = [m.name, m.role_label, m.completed_at.date().isoformat() if m.completed_at else ""]
        for _n, highest, required, _meets in m.domain_cells:
            row.append(f"{highest} / {required}" if m.assessed and required else "")
        row.append({True: _("yes"), False: _("no"), None: ""}[m.meets_all])
        row.append(float(m.cpd_hours) if m.cpd_hours is not None else "")
        member_rows.append(row)
    member_rows.append([_("Not sharing"), "", "", *[""] * 7, "", overview.not_sharing])
    tables.append((_("Members"), member_header, member_rows))
    tables.append(
        (
            _("Training needs"),
            [_("Statement"), _("Domain"), _("Wording"), _("Members not yet achieved")],
            [[n.key, n.domain, n.text, n.count] for n in overview.needs],
        )
    )
    tables.append(
        (
            _("Progress"),
            [_("Quarter"), _("Members assessed"), _("Requirements met"), _("Requirements")],
            [[p.label, p.assessed, p.met, p.required] for p in overview.trend],
        )
    )
    return tables


def team_csv(overview: TeamOverview) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        neutralise_row([_("Team"), overview.team.name, overview.team.organisation.name])
    )
    writer.writerow(neutralise_row([_("Downloaded"), timezone.now().isoformat(timespec="seconds")]))
    for title, header, rows in team_tables(overview):
        writer.writerow([])
        writer.writerow(neutralise_row([title]))
        writer.writerow(neutralise_row(header))
        writer.writerows(neutralise_row(row) for row in rows)
    return BOM + out.getvalue()


def team_xlsx(overview: TeamOverview) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in team_tables(overview):
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(neutralise_row(header))
        for row in rows:
            sheet.append(neutralise_row(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Area figures -----------------------------------------------------------------


def _metadata(figures: AreaFigures, group_label: str) -> dict:
    return {
        "what": _(
            "Practitioners who agreed to anonymised workforce statistics and have completed a "
            "self-assessment: their highest level in each domain, register entries by level, "
            "the statements most often not yet achieved at the level they aim for, and the "
            "share at Level 2 or above by quarter."
        ),
        "area": geo_label(figures.query.geo),
        "people": group_label,
        "computed_at": figures.refreshed_at.isoformat() if figures.refreshed_at else None,
        "downloaded_at": timezone.now().isoformat(timespec="seconds"),
        "rule": figures.rule.describe(),
        "threshold": figures.rule.threshold,
        "rounded_to": figures.rule.round_to,
        "suppressed_value": None,
    }


def area_json(figures: AreaFigures, group_label: str) -> str:
    data = {
        "schema": "imhcf-area-insight/1",
        "metadata": _metadata(figures, group_label),
        "people": figures.people.count,
        "levels": [
            {
                "domain": row.number,
                "name": row.name,
                "highest_level": {str(b): fig.as_data() for b, fig in enumerate(row.bands)},
            }
            for row in figures.domains
        ],
        "register": [
            {
                "region": row.region,
                "name": row.label,
                "level": {
                    str(lv): fig.as_data() for lv, fig in zip((1, 2, 3), row.levels, strict=True)
                },
            }
            for row in figures.register
        ],
        "gaps": [
            {"statement": g.key, "domain": g.domain, "text": g.text, **g.figure.as_data()}
            for g in figures.gaps
        ],
        "trend": [
            {
                "quarter": q.quarter,
                "people": q.people.count,
                "level_2_or_above": {
                    str(d): fig.as_data() for d, fig in enumerate(q.at_level_two, start=1)
                },
            }
            for q in figures.trend
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _cell(value) -> str | int:
    return "" if value is None else value


def area_csv(figures: AreaFigures, group_label: str) -> str:
    """One table: ``record`` says which part each row is (metadata first)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record", "key", "name", "band", "count", "share_percent", "suppressed"])
    for key, value in _metadata(figures, group_label).items():
        writer.writerow(neutralise_row(["metadata", key, _cell(value), "", "", "", ""]))
    writer.writerow(["people", "", "", "", _cell(figures.people.count), "", ""])

    def put(record, key, name, band, fig):
        writer.writerow(
            neutralise_row(
                [record, key, name, band, _cell(fig.count), _cell(fig.share), int(fig.suppressed)]
            )
        )

    for row in figures.domains:
        for band, fig in enumerate(row.bands):
            put("level", row.number, row.name, band, fig)
    for row in figures.register:
        for level, fig in zip((1, 2, 3), row.levels, strict=True):
            put("register", row.region, row.label, level, fig)
    for gap in figures.gaps:
        put("gap", gap.key, gap.text, "", gap.figure)
    for quarter in figures.trend:
        for d, fig in enumerate(quarter.at_level_two, start=1):
            put("trend", quarter.quarter, d, "2+", fig)
    return BOM + out.getvalue()
