"""Geometry for the team map and the trend lines, drawn by small SVG templates.

Why templates and not a charting library: the page must work without
JavaScript under a CSP that refuses inline styles and scripts. Chart.js and
its kind draw with script on a canvas; pygal and matplotlib write SVG with
inline ``style`` attributes or ``<style>`` and ``<script>`` elements. Two
shapes (a grid of shaded squares and a few lines) need a few dozen lines of
arithmetic here; colours come from classes in site.css, so the CSP holds,
and each chart carries a title and description and sits beside its table.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MapCell:
    x: int
    y: int
    count: int
    shade: int  # 0-4, a class in site.css


@dataclass
class MapChart:
    width: int
    height: int
    cells: list[MapCell]
    rows: list[tuple[int, str]]  # (y, label)
    columns: list[tuple[int, str]]  # (x, label)
    total: int


CELL = 44
LABEL_WIDTH = 34
HEADER = 24


def level_map(rows: list[tuple[int, str, list[int]]], total: int) -> MapChart:
    """Domains down, levels across; each square shaded by the share of assessed members."""
    cells = []
    labels = []
    for i, (number, _name, counts) in enumerate(rows):
        y = HEADER + i * CELL
        labels.append((y + CELL // 2 + 5, str(number)))
        for j, count in enumerate(counts):
            share = count / total if total else 0
            shade = 0 if count == 0 else min(4, 1 + int(share * 4))
            cells.append(MapCell(LABEL_WIDTH + j * CELL, y, count, shade))
    columns = [(LABEL_WIDTH + j * CELL + CELL // 2, f"L{j + 1}") for j in range(3)]
    return MapChart(
        width=LABEL_WIDTH + 3 * CELL + 2,
        height=HEADER + len(rows) * CELL + 2,
        cells=cells,
        rows=labels,
        columns=columns,
        total=total,
    )


@dataclass
class Series:
    name: str
    css: str
    points: list[tuple[float, float, int]]  # x, y, percent

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _p in self.points)

    @property
    def end(self) -> tuple[float, float]:
        x, y, _p = self.points[-1]
        return x + 6, y + 4


@dataclass
class LineChart:
    width: int
    height: int
    series: list[Series]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]] = field(default_factory=list)
    left: int = 40
    right: int = 0
    top: int = 10
    bottom: int = 0

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)


def line_chart(labels: list[str], series: list[tuple[str, str, list[int | None]]]) -> LineChart:
    """Percentages (0-100) per quarter; a missing value breaks nothing, it is skipped."""
    width, height = 560, 240
    left, right, top, bottom = 40, 520, 10, 200
    step = (right - left) / max(len(labels) - 1, 1)

    def y_of(percent: float) -> float:
        return bottom - (bottom - top) * percent / 100

    chart_series = []
    for name, css, values in series:
        points = [(left + i * step, y_of(v), v) for i, v in enumerate(values) if v is not None]
        if points:
            chart_series.append(Series(name, css, points))
    return LineChart(
        width=width,
        height=height,
        series=chart_series,
        x_labels=[(left + i * step, label) for i, label in enumerate(labels)],
        y_ticks=[(y_of(p), p) for p in (0, 25, 50, 75, 100)],
        left=left,
        right=right,
        top=top,
        bottom=bottom,
    )


def short_quarter(quarter: str) -> str:
    """ "2026Q4" as the axis shows it: "Q4 2026"."""
    year, q = quarter.split("Q")
    return f"Q{q} {year}"


def trend_line(points) -> LineChart:
    """The team's share of requirements met, by quarter."""
    return line_chart(
        [short_quarter(p.quarter) for p in points],
        [("", "series-1", [p.percent for p in points])],
    )


def insight_trend(figures) -> LineChart:
    """Share at Level 2 or above in each domain, by quarter; suppressed points are left out."""
    labels = [short_quarter(q.quarter) for q in figures.trend]
    series = []
    for d in range(7):
        series.append(
            (
                f"D{d + 1}",
                f"series-{d + 1}",
                [q.at_level_two[d].share for q in figures.trend],
            )
        )
    return line_chart(labels, series)
