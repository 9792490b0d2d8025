"""The one way an application or register entry changes state.

``transition`` locks the application row (and the entry's, when the action is
about an entry), refuses actions the current state does not allow, applies the
caller's effect, and writes an append-only ``AuditEvent``, all in one
transaction. Two reviewers approving at once, or a double click, queue on the
row lock; the second finds the state already moved and is refused.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from register.errors import TransitionNotAllowed
from register.extensions import entry_transitioned
from register.models import Application, AuditEvent, RegisterEntry
from register.states import ONGOING, WAITING, status_label

A = Application.Status
E = RegisterEntry.Status

# Which states each action may start from.
APPLICATION_RULES: dict[str, frozenset[str]] = {
    "submit": frozenset({""}),
    "claim": frozenset(WAITING),
    "release": frozenset(ONGOING),
    "recommend": frozenset({A.IN_REVIEW}),
    "decide": frozenset({A.IN_REVIEW, A.MODERATION}),
    "withdraw": frozenset(ONGOING),
    "resubmit": frozenset({A.CHANGES_REQUESTED}),
    "appeal": frozenset({A.REJECTED}),
    "appeal_decide": frozenset({A.APPEALED}),
}
ENTRY_RULES: dict[str, frozenset[str]] = {
    "suspend": frozenset({E.ACTIVE}),
    "remove": frozenset({E.ACTIVE, E.SUSPENDED}),
    "reinstate": frozenset({E.SUSPENDED, E.REMOVED}),
    "lapse": frozenset({E.ACTIVE, E.SUSPENDED}),
    "renew": frozenset({E.ACTIVE}),
}

Effect = Callable[[Application | None, RegisterEntry | None], str]


def _refuse(action: str, current: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _(
            "This can no longer be done: the application or entry has moved on "
            "(it is now “%(state)s”). Reload the page to see its current state."
        )
        % {"state": status_label(current)}
    )


def transition(
    *,
    action: str,
    actor,
    effect: Effect,
    application_id: int | None = None,
    entry_id: int | None = None,
    applicant_id: int | None = None,
    reason: str = "",
) -> Application | RegisterEntry:
    """Run ``effect`` under the row locks and record what it did.

    ``effect(application, entry)`` makes the change and returns the new
    status. For ``submit`` there is no application yet: the applicant's user
    row is locked instead and ``effect`` creates the application.
    """
    with transaction.atomic():
        application = entry = None
        if action == "submit":
            get_user_model().objects.select_for_update().get(pk=applicant_id)
            current = ""
        elif action in ENTRY_RULES:
            entry = RegisterEntry.objects.select_for_update().get(pk=entry_id)
            application = Application.objects.select_for_update().get(pk=entry.application_id)
            current = entry.status
        else:
            application = Application.objects.select_for_update().get(pk=application_id)
            current = application.status

        rules = ENTRY_RULES if action in ENTRY_RULES else APPLICATION_RULES
        if current not in rules[action]:
            raise _refuse(action, current)

        new_status = effect(application, entry)
        if action == "submit":
            application = Application.objects.get(applicant_id=applicant_id, status=new_status)
        AuditEvent.objects.create(
            application=application,
            entry=entry,
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            from_status=current,
            to_status=new_status,
            reason=reason[:5000],
        )
        if entry is not None:
            entry_transitioned(entry, current, new_status)
    return entry if entry is not None else application
