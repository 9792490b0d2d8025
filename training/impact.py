"""What a new framework edition means for courses, told to the framework through its hooks.

Registered with ``imhcf.extensions`` when the app starts: the publish page says how
many courses map to reworded statements, and publishing carries every course's
mapping onto the new edition in the background.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import ngettext

from imhcf.background import enqueue
from training.models import CourseMapping


def courses_mapped(statement_ids: Iterable[int]) -> str:
    """A sentence on how many courses map to any of ``statement_ids``: one query."""
    count = (
        CourseMapping.objects.filter(statement_id__in=list(statement_ids))
        .values("course_id")
        .distinct()
        .count()
    )
    if not count:
        return ""
    return ngettext(
        "%(n)s training course is mapped to one or more of these statements; its provider will "
        "be asked to check the mapping against the new wording.",
        "%(n)s training courses are mapped to one or more of these statements; their providers "
        "will be asked to check the mappings against the new wording.",
        count,
    ) % {"n": count}


def carry_after_publish(version_id: int) -> None:
    # A broker outage is logged, not raised: the hourly task carries them anyway.
    enqueue("training.tasks.carry_course_mappings")
