"""How many practitioners a reworded statement reaches, for the framework's publish page.

Registered with ``imhcf.extensions`` when the app starts, so the framework
can say it without importing this app.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import ngettext

from selfassess.models import Rating


def practitioners_rating(statement_ids: Iterable[int]) -> str:
    """A sentence on who has rated any of ``statement_ids``: one query.

    Counts people, not ratings: anyone whose self-assessment (in progress or
    completed) gave one of these statements a rating or a note. Their ratings
    come with them to the new edition and are marked for checking.
    """
    count = (
        Rating.objects.filter(statement_id__in=list(statement_ids))
        .filter(~Q(value=Rating.Value.NOT_STARTED) | ~Q(note=""))
        .values("assessment__user_id")
        .distinct()
        .count()
    )
    if not count:
        return ""
    return ngettext(
        "%(n)s practitioner has rated one or more of these statements; their rating will be "
        "marked for them to check against the new wording.",
        "%(n)s practitioners have rated one or more of these statements; their ratings will be "
        "marked for them to check against the new wording.",
        count,
    ) % {"n": count}
