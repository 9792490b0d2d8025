"""Statistical disclosure control for the area figures: which counts must be hidden.

The rule (the README says why):

1. **Primary suppression.** A count from 1 to ``threshold - 1`` people is
   hidden. Zero is shown: it describes nobody.
2. **Secondary suppression.** The figures are linked by sums: every total
   equals the sum of its parts (a nation and its regions, everyone and the
   groups of one characteristic, the people counted and their levels in a
   domain). For each such sum, once anything in it is hidden:

   * never exactly one hidden figure (it could be worked out by subtraction,
     and then used to work out others);
   * when the total is shown, the hidden parts together must not come to
     fewer than ``threshold`` people (their total could be worked out).

   Whenever a sum breaks either rule, the smallest non-zero shown part (or,
   when there is none, the total) is hidden too, and every sum it belongs to
   is checked again until nothing changes.
3. **Rounding.** Every shown count is rounded to the nearest ``round_to``
   (``rounded``), and shares are worked out from the rounded counts.

Some counts are not displayed (the people in a group who do *not* have a
gap, for example: the group's total minus its gap count) but are protected as
if they were, since anyone can work them out from those that are.

The check covers each sum on its own, as the usual hypercube method does;
it does not solve every published sum at once as a linear programme (as
τ-ARGUS's optimal method would), which is why rounding is applied on top.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable

Cell = Hashable
Relation = tuple[Cell, tuple[Cell, ...]]


def suppress(
    counts: dict[Cell, int],
    relations: Iterable[Relation],
    threshold: int,
) -> set[Cell]:
    """The cells to hide. ``counts`` may leave out cells of zero."""
    relations = list(relations)

    def value(cell: Cell) -> int:
        return counts.get(cell, 0)

    hidden: set[Cell] = {cell for cell, n in counts.items() if 0 < n < threshold}

    by_cell: dict[Cell, list[int]] = defaultdict(list)
    for index, (total, parts) in enumerate(relations):
        by_cell[total].append(index)
        for part in parts:
            by_cell[part].append(index)

    def unknown(cell: Cell) -> bool:
        return cell in hidden

    def order(cell: Cell):
        return (value(cell), repr(cell))

    queue = deque(range(len(relations)))
    queued = set(queue)
    while queue:
        index = queue.popleft()
        queued.discard(index)
        total, parts = relations[index]
        cells = (total, *parts)
        unknowns = [c for c in cells if unknown(c)]
        if not unknowns:
            continue
        alone = len(unknowns) == 1
        hidden_parts = sum(value(c) for c in parts if unknown(c))
        union_small = not unknown(total) and 0 < hidden_parts < threshold
        if not (alone or union_small):
            continue
        shown = [c for c in parts if not unknown(c) and value(c) > 0]
        if shown:
            chosen = min(shown, key=order)
        elif not unknown(total):
            chosen = total
        else:
            continue
        hidden.add(chosen)
        for other in by_cell[chosen]:
            if other not in queued:
                queue.append(other)
                queued.add(other)
        if index not in queued:
            queue.append(index)
            queued.add(index)
    return hidden


def rounded(count: int, round_to: int) -> int:
    """``count`` to the nearest multiple of ``round_to``, halves upwards."""
    if round_to <= 1:
        return count
    return ((count + round_to // 2) // round_to) * round_to
