"""The one way area figures are read: suppressed and rounded here, and nowhere else.

Pages, downloads and the practitioner's overview line all come through
``area_figures`` or ``peer_shares``. They read ``AreaCell`` rows of the newest
finished refresh (never ratings), hide what the refresh marked hidden and
anything under the current threshold, and round the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Q, Subquery
from django.utils.translation import gettext as _

from imhcf.models import Domain, Statement
from selfassess.models import REGION_NATION as PROFILE_REGION_NATION
from selfassess.models import Nation, region_label
from workforce.area import BANDS, DIMENSIONS, DOMAINS, NATION_REGIONS, UK
from workforce.disclosure import rounded
from workforce.models import AreaCell, AreaRefresh


@dataclass(frozen=True)
class InsightQuery:
    geo: str = UK
    dim: str = ""
    value: str = ""


@dataclass(frozen=True)
class Figure:
    """A shown count (rounded) and share, or nothing when suppressed."""

    count: int | None
    share: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.count is None

    def as_data(self) -> dict:
        return {"count": self.count, "share_percent": self.share, "suppressed": self.suppressed}


@dataclass
class Rule:
    threshold: int
    round_to: int

    def describe(self) -> str:
        return _(
            "Counts from 1 to %(low)s people are hidden, and so is any other count from which a "
            "hidden one could be worked out by subtraction. Shown counts are rounded to the "
            "nearest %(round)s, and shares are worked out from the rounded counts."
        ) % {"low": self.threshold - 1, "round": self.round_to}


@dataclass
class DomainRow:
    number: int
    name: str
    bands: list[Figure]


@dataclass
class RegisterRow:
    region: str
    label: str
    levels: list[Figure]


@dataclass
class GapRow:
    key: str
    domain: int
    text: str
    figure: Figure


@dataclass
class QuarterRow:
    quarter: str
    label: str
    people: Figure
    at_level_two: list[Figure]


@dataclass
class AreaFigures:
    query: InsightQuery
    rule: Rule
    refreshed_at: datetime | None = None
    people: Figure = field(default_factory=lambda: Figure(None))
    domains: list[DomainRow] = field(default_factory=list)
    register: list[RegisterRow] = field(default_factory=list)
    gaps: list[GapRow] = field(default_factory=list)
    trend: list[QuarterRow] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.refreshed_at is not None


def current_rule() -> Rule:
    return Rule(settings.IMHCF_DISCLOSURE_THRESHOLD, settings.IMHCF_INSIGHT_ROUND_TO)


def _latest_refresh(rule: Rule) -> AreaRefresh | None:
    refresh = (
        AreaRefresh.objects.filter(status=AreaRefresh.Status.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )
    # Suppression worked out for another threshold protects nothing: show no figures
    # until the next refresh has used the current one.
    if refresh is None or refresh.threshold != rule.threshold:
        return None
    return refresh


class _Cells:
    """Counts of one query, with the suppression and rounding applied on the way out."""

    def __init__(self, rows, rule: Rule):
        self.rule = rule
        self.cells = {(row.geo, row.measure, row.key): row for row in rows}

    def shown(self, geo: str, measure: str, key: str) -> int | None:
        row = self.cells.get((geo, measure, key))
        if row is None:
            return 0
        if row.hidden or row.count < self.rule.threshold:
            return None
        return rounded(row.count, self.rule.round_to)

    def figure(self, geo: str, measure: str, key: str, of: int | None = None) -> Figure:
        count = self.shown(geo, measure, key)
        share = None
        if count is not None and of:
            share = round(100 * count / of)
        return Figure(count, share)


def child_regions(geo: str) -> list[str]:
    if geo == UK:
        return [r for regions in NATION_REGIONS.values() for r in regions]
    if geo in NATION_REGIONS:
        return NATION_REGIONS[geo]
    return [geo]


def geo_label(geo: str) -> str:
    if geo == UK:
        return _("United Kingdom")
    if geo in NATION_REGIONS:
        return str(Nation(geo).label)
    return region_label(geo)


def quarter_label(quarter: str) -> str:
    year, q = quarter.split("Q")
    months = {
        "1": _("Jan to Mar"),
        "2": _("Apr to Jun"),
        "3": _("Jul to Sep"),
        "4": _("Oct to Dec"),
    }
    return f"{months[q]} {year}"


def area_figures(query: InsightQuery, *, gaps: int = 10) -> AreaFigures:
    """Everything the insight page shows for one query. Six queries, whatever the data.

    The newest refresh; the query's cells; its regions' register cells; the
    domains' names; the area's gap cells (for everyone: gaps are not counted
    per group); the top gaps' statements.
    """
    rule = current_rule()
    result = AreaFigures(query=query, rule=rule)
    refresh = _latest_refresh(rule)
    if refresh is None:
        return result
    result.refreshed_at = refresh.finished_at
    base = AreaCell.objects.filter(refresh=refresh, dim=query.dim, value=query.value)
    cells = _Cells(base.filter(geo=query.geo).exclude(measure="G"), rule)
    # Gaps, and the people they are counted among: everyone in the area.
    gap_cells = _Cells(
        AreaCell.objects.filter(refresh=refresh, geo=query.geo, dim="", value="").filter(
            Q(measure="G") | Q(measure="L", key="people")
        ),
        rule,
    )
    geo = query.geo
    people = cells.shown(geo, "L", "people")
    result.people = Figure(people)

    names = dict(Domain.objects.filter(version__status="published").values_list("number", "name"))
    for d in DOMAINS:
        result.domains.append(
            DomainRow(
                number=int(d),
                name=names.get(int(d), ""),
                bands=[cells.figure(geo, "L", f"{d}:{b}", people) for b in BANDS],
            )
        )

    regions = child_regions(geo)
    register_cells = _Cells(
        base.filter(geo__in=regions, measure="L", key__in=["people", "r:1", "r:2", "r:3"]), rule
    )
    for region in regions:
        region_people = register_cells.shown(region, "L", "people")
        result.register.append(
            RegisterRow(
                region=region,
                label=geo_label(region),
                levels=[
                    register_cells.figure(region, "L", f"r:{level}", region_people)
                    for level in (1, 2, 3)
                ],
            )
        )

    everyone_people = gap_cells.shown(geo, "L", "people")
    gap_rows = sorted(
        (
            (row.count, key)
            for (g, measure, key), row in gap_cells.cells.items()
            if measure == "G" and gap_cells.shown(g, measure, key) is not None
        ),
        key=lambda item: (-item[0], item[1]),
    )[:gaps]
    texts = statement_texts([key for _n, key in gap_rows])
    for _n, key in gap_rows:
        domain, text = texts.get(key, (0, ""))
        result.gaps.append(
            GapRow(key, domain, text, gap_cells.figure(geo, "G", key, everyone_people))
        )

    quarters = sorted({key.split(":")[0] for (_g, m, key) in cells.cells if m == "T"})
    for quarter in quarters:
        quarter_people = cells.shown(geo, "T", f"{quarter}:people")
        result.trend.append(
            QuarterRow(
                quarter=quarter,
                label=quarter_label(quarter),
                people=Figure(quarter_people),
                at_level_two=[
                    cells.figure(geo, "T", f"{quarter}:{d}:2", quarter_people) for d in DOMAINS
                ],
            )
        )
    return result


def statement_texts(keys: list[str]) -> dict[str, tuple[int, str]]:
    if not keys:
        return {}
    codes = {key.rsplit("/L", 1)[0] for key in keys}
    rows = Statement.objects.filter(
        competency__domain__version__status="published", competency__code__in=codes
    ).values_list("competency__code", "level", "competency__domain__number", "text")
    return {f"{code}/L{level}": (domain, text) for code, level, domain, text in rows}


def peer_shares(*, region: str, role: str) -> dict[int, int]:
    """Domain -> percent at Level 2 or above, among opted-in people of ``role`` in ``region``.

    Left out for any domain where a count it needs is suppressed. One query.
    """
    rule = current_rule()
    if region not in PROFILE_REGION_NATION or role not in DIMENSIONS["role"]:
        return {}
    newest = (
        AreaRefresh.objects.filter(status=AreaRefresh.Status.DONE)
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    cells = _Cells(
        AreaCell.objects.filter(
            refresh_id=Subquery(newest),
            refresh__threshold=rule.threshold,
            geo=region,
            dim="role",
            value=role,
            measure="L",
        ),
        rule,
    )
    people = cells.shown(region, "L", "people")
    if not people:
        return {}
    shares = {}
    for d in DOMAINS:
        two, three = cells.shown(region, "L", f"{d}:2"), cells.shown(region, "L", f"{d}:3")
        if two is None or three is None:
            continue
        shares[int(d)] = round(100 * (two + three) / people)
    return shares
