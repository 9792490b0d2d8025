"""The one way an application or register entry changes state.

``transition`` locks the application row (and the entry's, when the action is
about an entry), refuses actions the current state does not allow, applies the
caller's effect, and writes an append-only ``AuditEvent``, all in one
transaction. Two reviewers approving at once, or a double click, queue on the
row lock; the second finds the state already moved and is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from imhcf.workflow import locked_move
from register.errors import TransitionNotAllowed
from register.extensions import entry_transitioned
from register.models import Application, AuditEvent, Concern, CpdAudit, Reference, RegisterEntry
from register.states import (
    CONCERN_RULES,
    CPD_AUDIT_RULES,
    ONGOING,
    REFERENCE_RULES,
    WAITING,
    status_label,
)

A = Application.Status
E = RegisterEntry.Status

# Which states each action may start from.
APPLICATION_RULES: dict[str, frozenset[str]] = {
    "submit": frozenset({""}),
    "claim": frozenset(WAITING),
    "release": frozenset(ONGOING),
    "recommend": frozenset({A.IN_REVIEW}),
    "decide": frozenset({A.IN_REVIEW, A.MODERATION}),
    "withdraw": frozenset({*ONGOING, A.AWAITING_REFERENCES}),
    # Every current reference is in, or waived by staff: the application joins the queue.
    "references_complete": frozenset({A.AWAITING_REFERENCES}),
    "resubmit": frozenset({A.CHANGES_REQUESTED}),
    "appeal": frozenset({A.REJECTED}),
    "appeal_decide": frozenset({A.APPEALED}),
}
ENTRY_RULES: dict[str, frozenset[str]] = {
    "suspend": frozenset({E.ACTIVE}),
    "remove": frozenset({E.ACTIVE, E.SUSPENDED}),
    "reinstate": frozenset({E.SUSPENDED, E.REMOVED}),
    # A suspended entry does not lapse: the sanction stays on the public register
    # until it ends (see "Suspension and renewal" in the README).
    "lapse": frozenset({E.ACTIVE}),
    # A suspended practitioner renews like anyone else and stays suspended.
    "renew": frozenset({E.ACTIVE, E.SUSPENDED}),
    # A renewal made in time is decided even if the entry lapsed meanwhile (as
    # entries could before lapsing learnt to wait for it); approval restores it.
    "renewal_decide": frozenset({E.ACTIVE, E.SUSPENDED, E.LAPSED}),
    # Conditions on practice from a concern's outcome, and their end.
    "conditions": frozenset({E.ACTIVE, E.SUSPENDED}),
    "conditions_end": frozenset({E.ACTIVE, E.SUSPENDED}),
    # Staff let a removed practitioner apply again.
    "readmit": frozenset({E.REMOVED}),
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
    detail: dict | None = None,
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

        published_before = entry.restriction if entry is not None else None
        new_status = effect(application, entry)
        if action == "submit":
            application = Application.objects.get(applicant_id=applicant_id, status=new_status)
        detail = dict(detail or {})
        if entry is not None and entry.restriction != published_before:
            # The reason says why; this keeps what the public register said.
            detail["restriction_before"] = published_before
            detail["restriction_after"] = entry.restriction
        audit_record(
            application=application,
            entry=entry,
            actor=actor,
            action=action,
            from_status=current,
            to_status=new_status,
            reason=reason,
            detail=detail,
        )
        if entry is not None:
            entry_transitioned(entry, current, new_status)
    return entry if entry is not None else application


def application_move(
    application_id: int, action: str, effect: Effect, *, actor, reason: str = ""
) -> Application:
    """``transition`` for one of an application's own actions (claim, withdraw, decide...)."""
    return transition(
        action=action, actor=actor, application_id=application_id, effect=effect, reason=reason
    )


def entry_move(
    entry_id: int, action: str, effect: Effect, *, actor, reason: str = "", detail=None
) -> RegisterEntry:
    """``transition`` for one of a register entry's actions (suspend, renew, lapse...)."""
    return transition(
        action=action, actor=actor, entry_id=entry_id, effect=effect, reason=reason, detail=detail
    )


def audit_record(*, actor, reason: str, **fields) -> AuditEvent:
    """One audit row. Called by the engine, and for a row created inside one of its steps."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None, reason=reason[:5000], **fields
    )


def audit_created(
    subject, action: str, *, actor, detail: dict | None = None, **about
) -> AuditEvent:
    """The first audit row of a workflow's row, made outside the engine: no status to its first.

    ``about`` names the application or entry it belongs to.
    """
    return audit_record(
        subject=f"{subject.AUDIT_SUBJECT}:{subject.pk}",
        actor=actor,
        action=action,
        from_status="",
        to_status=subject.status,
        reason="",
        detail=detail or {},
        **about,
    )


SubjectEffect = Callable[[object], str]


def subject_transition(
    *,
    model,
    pk: int,
    action: str,
    rules: dict[str, frozenset[str]],
    actor,
    effect: SubjectEffect,
    reason: str = "",
    detail: dict | None = None,
):
    """The same engine for the register's other workflows: references, concerns, audits.

    Locks the ``model`` row, refuses ``action`` unless its ``status`` is in
    ``rules[action]``, runs ``effect(locked)`` (which saves and returns the new
    status) and writes the audit row, naming the subject ("reference:12") and
    the application or entry it belongs to. ``rules`` come from the workflow's
    own module, so each workflow's allowed moves are written down in one place.
    """

    def refuse(locked) -> TransitionNotAllowed:
        return TransitionNotAllowed(
            _(
                "This can no longer be done: it has moved on (it is now “%(state)s”). "
                "Reload the page to see where it stands."
            )
            % {"state": locked.get_status_display()}
        )

    def record(locked, current: str, new_status: str) -> None:
        audit_record(
            application_id=getattr(locked, "audit_application_id", None),
            entry_id=getattr(locked, "audit_entry_id", None),
            subject=f"{locked.AUDIT_SUBJECT}:{locked.pk}",
            actor=actor,
            action=action,
            from_status=current,
            to_status=new_status,
            reason=reason,
            detail=detail or {},
        )

    return locked_move(
        model.objects.all(), pk, allowed=rules[action], effect=effect, refuse=refuse, record=record
    )


@dataclass(frozen=True)
class Workflow:
    """One of the register's other workflows: its model and the moves its states allow."""

    model: type
    rules: dict[str, frozenset[str]]

    def move(
        self,
        pk: int,
        action: str,
        effect: SubjectEffect,
        *,
        actor,
        reason: str = "",
        detail: dict | None = None,
        rules: dict[str, frozenset[str]] | None = None,
    ):
        """``subject_transition`` for this workflow's row ``pk``; ``rules`` replaces its own."""
        return subject_transition(
            model=self.model,
            pk=pk,
            action=action,
            rules=rules or self.rules,
            actor=actor,
            effect=effect,
            reason=reason,
            detail=detail,
        )


CONCERNS = Workflow(Concern, CONCERN_RULES)
REFERENCES = Workflow(Reference, REFERENCE_RULES)
CPD_AUDITS = Workflow(CpdAudit, CPD_AUDIT_RULES)
