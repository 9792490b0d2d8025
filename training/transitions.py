"""The one way a course's mapping review changes state.

The shape of ``register/transitions.py``: ``course_transition`` locks the
course row, refuses an action its current state does not allow, applies the
caller's effect and writes an append-only ``CourseEvent``, in one transaction.
A provider editing its mapping while a reviewer accepts it queue on the row
lock; whoever comes second finds the state moved and is refused, or (for an
edit) sends the mapping back to draft with the change on record.

The lock-check-apply-record step is ``imhcf.workflow.locked_move``, shared with
the register's workflows; the rules, the refusal's words and the audit table
(``CourseEvent``, not the register's) are the course's own.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from imhcf.workflow import locked_move
from training.errors import TrainingError
from training.models import Course, CourseEvent

S = Course.Status

# Which states each action may start from.
RULES: dict[str, frozenset[str]] = {
    # The provider shows the course in the catalogue; a mapping not yet reviewed
    # (or sent back) goes to framework staff with it.
    "publish": frozenset(S.values),
    # Framework staff decide.
    "accept": frozenset({S.IN_REVIEW}),
    "request_changes": frozenset({S.IN_REVIEW}),
    # The provider changes what the course maps to: a reviewed mapping needs reviewing again.
    "edit_mapping": frozenset(S.values),
    # A new framework version carried the mappings across; the state stays.
    "carry": frozenset(S.values),
    # The provider confirms a mapping flagged by a carry still holds.
    "confirm_mapping": frozenset(S.values),
    # Shown in or taken out of the catalogue; the review state stays.
    "unpublish": frozenset(S.values),
}

Effect = Callable[[Course], str]


def course_transition(
    *,
    course_id: int,
    action: str,
    actor,
    effect: Effect,
    reason: str = "",
    detail: dict | None = None,
) -> Course:
    """Run ``effect(course)`` under the row lock; it saves and returns the new status."""

    def refuse(course: Course) -> TrainingError:
        return TrainingError(
            _(
                "This can no longer be done: the course's mapping has moved on "
                "(it is now “%(state)s”). Reload the page to see where it stands."
            )
            % {"state": course.get_status_display()}
        )

    def record(course: Course, current: str, new_status: str) -> None:
        CourseEvent.objects.create(
            course=course,
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            from_status=current,
            to_status=new_status,
            reason=reason[:5000],
            detail=detail or {},
        )

    return locked_move(
        Course.objects.select_related("provider"),
        course_id,
        allowed=RULES[action],
        effect=effect,
        refuse=refuse,
        record=record,
    )
