"""Disclosure control for figures shown to providers: nothing from fewer people than the threshold,
and nothing that can be worked out by subtraction.

The rule matches area insight's (``IMHCF_DISCLOSURE_THRESHOLD``, 5 by default):
a group of fewer people is hidden (primary suppression); when the hidden groups
together hold fewer people than the threshold, the total minus the shown groups
would reveal them, so the smallest shown groups are hidden too until the hidden
ones together reach it (secondary suppression). A total below the threshold is
hidden as well.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from django.conf import settings


def threshold() -> int:
    return settings.IMHCF_DISCLOSURE_THRESHOLD


def hidden_groups(people: Mapping[Hashable, int], minimum: int | None = None) -> set[Hashable]:
    """Which of ``people`` (group -> head count) must not be shown, totals considered."""
    minimum = threshold() if minimum is None else minimum
    hidden = {group for group, n in people.items() if 0 < n < minimum}
    shown = sorted(
        ((n, str(group), group) for group, n in people.items() if group not in hidden and n),
    )
    while hidden and sum(people[g] for g in hidden) < minimum and shown:
        hidden.add(shown.pop(0)[2])
    return hidden


def total_shown(total: int, minimum: int | None = None) -> bool:
    minimum = threshold() if minimum is None else minimum
    return total == 0 or total >= minimum
