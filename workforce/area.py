"""The arithmetic of the area figures commissioners see: the cells, and what links them.

The background refresh (``workforce.services.area``) reads who is counted
(``workforce.selectors.figures.counted_people``), counts them here and suppresses
with ``workforce.disclosure``.

Only practitioners who have agreed to anonymised statistics (an active
``ANONYMISED_STATISTICS`` consent), have a profile and have completed a
self-assessment are counted. Every count is worked out for every geography
(the UK, each nation, each region) crossed with everyone or one group of one
characteristic (sector, service setting, role, organisation kind), the same
cells the insight page can ask for, so secondary suppression (see
``disclosure``) can consider every sum a page or a download can show.

Three tables, each a ``measure`` of ``AreaCell``:

* ``L`` (levels): ``people``; and for each domain (1-7) and the register
  (``r``) the number at each band: ``1:0`` nobody at any level in domain 1,
  ``1:2`` highest level 2 in domain 1, ``r:3`` registered at Level 3, ``r:0``
  not registered.
* ``G`` (gaps): per statement key, the people whose aim includes that
  statement's level and who have not achieved it. Its complement (``~`` keys)
  is not displayed, but protected as if it were. Gaps are counted for each
  geography for everyone, not for each group: 189 statements for every group
  would multiply the cells (and the work of protecting them) by twenty-eight
  for a list that shows ten.
* ``T`` (trend): per quarter, ``Q:people`` with a snapshot by the quarter's end,
  and ``Q:d:2`` those at Level 2 or above in domain d by then (complement
  ``Q:d:~``, likewise not displayed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from selfassess.models import REGIONS_BY_NATION, Nation, Role, Sector, ServiceSetting
from workforce.models import Organisation

UK = "uk"
DOMAINS = [str(n) for n in range(1, 8)]
BANDS = ["0", "1", "2", "3"]
NO_ORGANISATION = "none"
TREND_QUARTERS = 8

# Characteristic -> every value it can take, so each group's parts add up to everyone.
DIMENSIONS: dict[str, list[str]] = {
    "sector": list(Sector.values),
    "setting": list(ServiceSetting.values),
    "role": list(Role.values),
    "org_kind": [*Organisation.Kind.values, NO_ORGANISATION],
}
NATION_REGIONS = {str(n): [code for code, _l in rs] for n, rs in REGIONS_BY_NATION.items()}
REGION_NATION = {r: n for n, rs in NATION_REGIONS.items() for r in rs}


def geographies() -> list[str]:
    return [UK, *Nation.values, *REGION_NATION]


def quarter_of(moment: date | datetime) -> str:
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


def recent_quarters(today: date, count: int = TREND_QUARTERS) -> list[str]:
    year, q = today.year, (today.month - 1) // 3 + 1
    out = []
    for _i in range(count):
        out.append(f"{year}Q{q}")
        q -= 1
        if q == 0:
            year, q = year - 1, 4
    return list(reversed(out))


# --- Counting ---------------------------------------------------------------------


def count_cells(people: Iterable[dict], quarters: list[str]) -> tuple[Counter, set, list]:
    """Counts, cells not displayed (complements) and the sums linking them, for every cell.

    A cell is (geo, dim, value, measure, key).
    """
    counts: Counter = Counter()
    gap_keys: set[str] = set()
    for person in people:
        keys_l = ["people", *(f"{d}:{person['levels'][d]}" for d in DOMAINS)]
        keys_l.append(f"r:{person['register']}")
        keys_t = []
        for quarter, levels in person["trend"].items():
            keys_t.append(f"{quarter}:people")
            for d in DOMAINS:
                at_two = int(levels.get(d, 0)) >= 2
                keys_t.append(f"{quarter}:{d}:2" if at_two else f"{quarter}:{d}:~")
        gap_keys.update(person["gaps"])
        for geo in person["geos"]:
            for dim, value in person["groups"]:
                base = (geo, dim, value)
                for key in keys_l:
                    counts[(*base, "L", key)] += 1
                for key in keys_t:
                    counts[(*base, "T", key)] += 1
            for key in person["gaps"]:
                counts[(geo, "", "", "G", key)] += 1

    undisplayed: set = set()
    combos = {(geo, dim, value) for geo, dim, value, _m, _k in counts}
    for base in combos:
        if base[1]:
            continue  # gaps are counted for everyone only
        people_n = counts.get((*base, "L", "people"), 0)
        for key in gap_keys:
            rest = people_n - counts.get((*base, "G", key), 0)
            if rest:
                counts[(*base, "G", "~" + key)] = rest
    for cell in counts:
        if "~" in cell[4]:
            undisplayed.add(cell)
    relations = list(_relations(combos, gap_keys, quarters))
    return counts, undisplayed, relations


def _relations(combos, gap_keys, quarters):
    # Within one cell of the page: its people and their parts.
    for base in combos:
        people = (*base, "L", "people")
        for d in [*DOMAINS, "r"]:
            yield people, tuple((*base, "L", f"{d}:{b}") for b in BANDS)
        if not base[1]:
            for key in gap_keys:
                yield people, ((*base, "G", key), (*base, "G", "~" + key))
        for q in quarters:
            for d in DOMAINS:
                yield (
                    (*base, "T", f"{q}:people"),
                    (
                        (*base, "T", f"{q}:{d}:2"),
                        (*base, "T", f"{q}:{d}:~"),
                    ),
                )
        if quarters:
            # This quarter's trend is everyone's newest snapshot: the levels table again.
            last = quarters[-1]
            yield people, ((*base, "T", f"{last}:people"),)
            for d in DOMAINS:
                yield (
                    (*base, "T", f"{last}:{d}:2"),
                    (
                        (*base, "L", f"{d}:2"),
                        (*base, "L", f"{d}:3"),
                    ),
                )
    # Across cells: each measure's every key, along geography and along each characteristic.
    keys = [("L", "people")]
    keys += [("L", f"{d}:{b}") for d in [*DOMAINS, "r"] for b in BANDS]
    keys += [("G", k) for k in gap_keys] + [("G", "~" + k) for k in gap_keys]
    keys += [("T", f"{q}:people") for q in quarters]
    keys += [("T", f"{q}:{d}:{s}") for q in quarters for d in DOMAINS for s in ("2", "~")]
    groups = [("", "")] + [(dim, v) for dim, values in DIMENSIONS.items() for v in values]
    present_groups = {(dim, value) for _g, dim, value in combos}
    present_geos = {geo for geo, _d, _v in combos}
    for measure, key in keys:
        for dim, value in groups:
            if (dim, value) not in present_groups or (measure == "G" and dim):
                continue
            yield (
                (UK, dim, value, measure, key),
                tuple((n, dim, value, measure, key) for n in Nation.values),
            )
            for nation, regions in NATION_REGIONS.items():
                if nation in present_geos:
                    yield (
                        (nation, dim, value, measure, key),
                        tuple((r, dim, value, measure, key) for r in regions),
                    )
        if measure == "G":
            continue
        for geo in present_geos:
            for dim, values in DIMENSIONS.items():
                yield (
                    (geo, "", "", measure, key),
                    tuple((geo, dim, v, measure, key) for v in values),
                )
