"""Disclosure control for figures shown to a provider about its attendees.

The same rule as area insight, applied by ``workforce.disclosure.suppress`` with
the same setting (``IMHCF_DISCLOSURE_THRESHOLD``): a group of fewer people is
hidden, and so is whatever would let a hidden group be worked out by
subtracting shown groups from the total. Here the groups are a course's
sessions (cohorts) and the total is the course. Counts are not rounded, unlike
area figures: each group shown already has at least the threshold of people.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from django.conf import settings

from workforce.disclosure import suppress

TOTAL = ("all groups",)


def threshold() -> int:
    return settings.IMHCF_DISCLOSURE_THRESHOLD


def hidden_groups(people: Mapping[Hashable, int], minimum: int | None = None) -> set[Hashable]:
    """Which of ``people`` (group -> head count) must not be shown, the total considered."""
    minimum = threshold() if minimum is None else minimum
    counts = {**people, TOTAL: sum(people.values())}
    return suppress(counts, [(TOTAL, tuple(people))], minimum) - {TOTAL}


def total_shown(total: int, minimum: int | None = None) -> bool:
    minimum = threshold() if minimum is None else minimum
    return total == 0 or total >= minimum
