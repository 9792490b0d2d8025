"""Disclosure control: no count from fewer than the threshold can be read or worked out.

The attacker here sees every figure the insight page and its downloads can show,
for every geography and every group (each query the filters allow), and
subtracts: from any total and its parts, a single missing figure is the total
minus the rest; a missing figure found that way is used again in every other
sum it belongs to, until nothing more can be found. Then nothing they found or
saw may come from 1 to threshold-1 people, and no set of hidden parts of a
shown total may add up to that few.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfassess.models import Role, Sector, ServiceSetting
from workforce.area import DIMENSIONS, NATION_REGIONS, UK, count_cells, recent_quarters
from workforce.disclosure import rounded, suppress

THRESHOLD = 5
QUARTERS = recent_quarters(date(2026, 12, 1), 3)
STATEMENTS = ["1.01/L1", "1.01/L2", "4.01/L2", "6.01/L3"]
# A few regions in two nations, so regions, nations and the UK all have small parts.
REGIONS = ["north_east", "london", "south_west", "wales_north", "wales_south"]
REGION_NATION = {r: n for n, rs in NATION_REGIONS.items() for r in rs}


def person_strategy():
    level = st.integers(min_value=0, max_value=3)
    return st.builds(
        lambda region, sector, setting, role, kind, levels, register, gaps, trend: {
            "geos": (UK, REGION_NATION[region], region),
            "groups": (
                ("", ""),
                ("sector", sector),
                ("setting", setting),
                ("role", role),
                ("org_kind", kind),
            ),
            "levels": {str(d): levels[d - 1] for d in range(1, 8)},
            "register": register,
            "gaps": gaps,
            # Everyone counted has a snapshot by this quarter (their newest); some earlier too.
            "trend": {q: {str(d): levels[d - 1] for d in range(1, 8)} for q in QUARTERS[-trend:]},
        },
        region=st.sampled_from(REGIONS),
        sector=st.sampled_from(Sector.values),
        setting=st.sampled_from(ServiceSetting.values),
        role=st.sampled_from([Role.HEALTH_VISITOR, Role.MIDWIFE, Role.NURSERY_PRACTITIONER]),
        kind=st.sampled_from(DIMENSIONS["org_kind"][:3]),
        levels=st.lists(level, min_size=7, max_size=7),
        register=st.integers(min_value=0, max_value=3),
        gaps=st.lists(st.sampled_from(STATEMENTS), unique=True, max_size=3),
        trend=st.integers(min_value=1, max_value=3),
    )


def attack(counts, relations, hidden):
    """Everything that can be read or worked out by subtraction, as {cell: value}."""
    known = {cell for rel in relations for cell in (rel[0], *rel[1]) if cell not in hidden}
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            cells = (total, *parts)
            missing = [c for c in cells if c not in known]
            if len(missing) == 1:
                known.add(missing[0])
                changed = True
    return known


def check(counts, relations, hidden):
    value = lambda c: counts.get(c, 0)  # noqa: E731
    known = attack(counts, relations, hidden)
    for cell in known:
        assert not 0 < value(cell) < THRESHOLD, f"{cell} = {value(cell)} can be read or worked out"
    for total, parts in relations:
        if total in known:
            rest = sum(value(p) for p in parts if p not in known)
            assert not 0 < rest < THRESHOLD, f"hidden parts of {total} add up to {rest}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(person_strategy(), min_size=0, max_size=40))
def test_no_filter_combination_reveals_a_small_cell(people):
    counts, _undisplayed, relations = count_cells(people, QUARTERS)
    hidden = suppress(counts, relations, THRESHOLD)
    check(counts, relations, hidden)


@settings(max_examples=10, deadline=None)
@given(people=st.lists(person_strategy(), min_size=1, max_size=30))
def test_the_sums_checked_hold_for_the_counts(people):
    """The relations are true sums, so the attack above models real subtraction."""
    counts, _undisplayed, relations = count_cells(people, QUARTERS)
    for total, parts in relations:
        assert counts.get(total, 0) == sum(counts.get(p, 0) for p in parts), (total, parts)


def test_the_attack_finds_what_hiding_small_cells_alone_gives_away():
    """Without secondary suppression the check fails: it is not vacuous."""
    counts = {"wales": 12, "north": 9, "south": 3}
    relations = [("wales", ("north", "south"))]
    try:
        check(counts, relations, hidden={"south"})
    except AssertionError as exc:
        assert "south" in str(exc)
    else:
        raise AssertionError("subtracting 9 from 12 went unnoticed")


def test_a_lone_small_region_is_hidden_with_a_partner():
    # Nation total 12 = 9 + 3: the 3 is hidden, and so must be the 9, or 12 - 9 gives it away.
    counts = {"wales": 12, "north": 9, "south": 3}
    hidden = suppress(counts, [("wales", ("north", "south"))], THRESHOLD)
    assert hidden == {"north", "south"}


def test_hidden_parts_that_add_up_to_a_small_number_are_joined_by_another():
    counts = {"all": 30, "a": 2, "b": 2, "c": 6, "d": 20}
    hidden = suppress(counts, [("all", ("a", "b", "c", "d"))], THRESHOLD)
    assert hidden == {"a", "b", "c"}


def test_zero_is_shown_and_counts_round_to_five():
    assert suppress({"all": 10, "a": 10, "b": 0}, [("all", ("a", "b"))], THRESHOLD) == set()
    assert [rounded(n, 5) for n in (0, 5, 7, 8, 12, 13)] == [0, 5, 5, 10, 10, 15]
