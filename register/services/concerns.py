"""Concerns about a registrant's fitness to practise (PSA Standard 5; issue 14, part 2).

Anyone raises a concern on the public form. Staff triage it: not taken forward
(with reasons), or investigated by a case handler, who must be staff with MFA.
The registrant is told and invited to respond; the handler records the
response and decides an outcome with reasons. Conditions and suspension put
their public wording on the register entry; removal takes the entry off. The
registrant may appeal the outcome, to an administrator who took no part.

Every step runs through the transition engine with ``CONCERN_RULES``; changes
to the register entry run through the entry's own transitions inside it, so
the entry's audit and the hooks of later apps (credentials) see them too.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_admin
from register import states
from register.errors import RegisterError
from register.forms_public import canonical_number
from register.models import Concern, RegisterEntry
from register.services import entries
from register.services.notifications import notify, notify_staff
from register.transitions import audit_record, subject_transition, transition

C = Concern.Status
O = Concern.Outcome  # noqa: E741 - the outcome names read best short

CONCERN_RULES: dict[str, frozenset[str]] = {
    "concern_triage": frozenset({C.RECEIVED}),
    "concern_invite": frozenset({C.INVESTIGATING}),
    "concern_response": frozenset({C.INVESTIGATING}),
    "concern_decide": frozenset({C.INVESTIGATING}),
    "concern_appeal": frozenset({C.DECIDED}),
    "concern_appeal_decide": frozenset({C.APPEALED}),
}
# Outcomes that change the register entry, and need wording for the public.
NEEDS_PUBLIC_TEXT = (O.CONDITIONS, O.SUSPENSION)


def _new_reference() -> str:
    # Short enough to read over the phone; random so it says nothing about volumes.
    return "C-" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))


def entry_matching(named: str) -> RegisterEntry | None:
    """The entry a concern names: by registration number, or a name only one listed entry has."""
    number = canonical_number(named.strip())
    if number:
        return RegisterEntry.objects.filter(registration_number=number).first()
    matches = list(
        RegisterEntry.objects.filter(
            display_name__iexact=" ".join(named.split()), status__in=states.PUBLIC
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def concern_raise(
    *,
    registrant_named: str,
    raiser_name: str,
    raiser_email: str,
    raiser_relationship: str,
    description: str,
) -> Concern:
    """Record a concern from the public form, acknowledge it, and tell staff."""
    concern = Concern.objects.create(
        reference=_new_reference(),
        entry=entry_matching(registrant_named),
        registrant_named=registrant_named.strip(),
        raiser_name=raiser_name.strip(),
        raiser_email=raiser_email.strip(),
        raiser_relationship=raiser_relationship.strip(),
        description=description.strip(),
        received_at=timezone.now(),
    )
    audit_record(
        entry_id=concern.entry_id,
        subject=f"{Concern.AUDIT_SUBJECT}:{concern.pk}",
        actor=None,
        action="concern_raise",
        from_status="",
        to_status=concern.status,
        reason="",
    )
    notify(
        to_email=concern.raiser_email,
        template="concern_acknowledged",
        context={"concern": concern},
        dedupe_key=f"concern-ack:{concern.pk}",
    )
    notify_staff(
        template="concern_staff",
        context={"concern": concern},
        dedupe_key=f"concern-staff:{concern.pk}",
    )
    return concern


def _require_admin(user) -> None:
    if not is_admin(user):
        raise RegisterError(_("Only AIMH UK staff can do this."))


def _require_reason(text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise RegisterError(message)
    return text


def concern_triage(
    *,
    concern: Concern,
    admin,
    take_forward: bool,
    reasons: str,
    handler=None,
    entry: RegisterEntry | None = None,
) -> Concern:
    """Close a concern that is not taken forward, or give it to a case handler."""
    _require_admin(admin)
    reasons = _require_reason(reasons, _("Give the reasons for the triage decision."))
    if take_forward and (handler is None or not (is_admin(handler) and is_mfa_enabled(handler))):
        raise RegisterError(
            _("Choose a case handler from AIMH UK staff who use two-factor authentication.")
        )

    def effect(locked: Concern) -> str:
        locked.triaged_by = admin
        if entry is not None:
            locked.entry = entry
        if not take_forward:
            locked.status = C.CLOSED
            locked.save()
            notify(
                to_email=locked.raiser_email,
                template="concern_closed",
                context={"concern": locked, "reasons": reasons},
                dedupe_key=f"concern-closed:{locked.pk}",
            )
            return locked.status
        if locked.entry is None:
            raise RegisterError(_("Say which register entry the concern is about first."))
        if handler.pk == locked.entry.practitioner_id:
            raise RegisterError(_("The registrant cannot handle a concern about themselves."))
        locked.handler = handler
        locked.status = C.INVESTIGATING
        locked.save()
        notify(
            recipient=handler,
            template="concern_handler",
            context={"concern": locked},
            dedupe_key=f"concern-handler:{locked.pk}:{handler.pk}",
            entry=locked.entry,
            work=True,
        )
        return locked.status

    return subject_transition(
        model=Concern,
        pk=concern.pk,
        action="concern_triage",
        rules=CONCERN_RULES,
        actor=admin,
        effect=effect,
        reason=reasons,
        detail={"handler": getattr(handler, "pk", None)} if take_forward else {},
    )


def _require_handler(concern: Concern, user) -> None:
    if not is_admin(user) or concern.handler_id != user.pk:
        raise RegisterError(_("Only the concern's case handler can do this."))


def concern_invite_response(*, concern: Concern, handler) -> Concern:
    """Tell the registrant of the concern and invite their response."""

    def effect(locked: Concern) -> str:
        _require_handler(locked, handler)
        locked.response_invited_at = timezone.now()
        locked.save(update_fields=["response_invited_at"])
        notify(
            recipient=locked.entry.practitioner,
            template="concern_invite",
            context={"concern": locked, "entry": locked.entry},
            dedupe_key=f"concern-invite:{locked.pk}:{locked.response_invited_at:%Y%m%d%H%M%S}",
            entry=locked.entry,
        )
        return locked.status

    return subject_transition(
        model=Concern,
        pk=concern.pk,
        action="concern_invite",
        rules=CONCERN_RULES,
        actor=handler,
        effect=effect,
    )


def concern_record_response(*, concern: Concern, handler, response: str) -> Concern:
    response = _require_reason(response, _("Enter the registrant's response."))

    def effect(locked: Concern) -> str:
        _require_handler(locked, handler)
        if locked.response_invited_at is None:
            raise RegisterError(_("Invite the registrant to respond first."))
        locked.response = response
        locked.response_recorded_at = timezone.now()
        locked.save(update_fields=["response", "response_recorded_at"])
        return locked.status

    return subject_transition(
        model=Concern,
        pk=concern.pk,
        action="concern_response",
        rules=CONCERN_RULES,
        actor=handler,
        effect=effect,
    )


def _conditions(
    entry: RegisterEntry, *, actor, text: str, reason: str, action: str, text_cy: str = ""
) -> None:
    def effect(_app, locked: RegisterEntry) -> str:
        locked.restriction, locked.restriction_cy = text, text_cy
        locked.save(update_fields=["restriction", "restriction_cy", "updated_at"])
        return locked.status

    transition(action=action, actor=actor, entry_id=entry.pk, effect=effect, reason=reason)


def concern_decide(
    *,
    concern: Concern,
    handler,
    outcome: str,
    reasons: str,
    public_text: str = "",
    public_text_cy: str = "",
) -> Concern:
    """The outcome, with reasons; conditions, suspension and removal reach the register."""
    if outcome not in O.values:
        raise RegisterError(_("Choose an outcome."))
    reasons = _require_reason(reasons, _("Give the reasons for the outcome."))
    public_text, public_text_cy = public_text.strip(), public_text_cy.strip()
    if outcome in NEEDS_PUBLIC_TEXT and not public_text:
        raise RegisterError(_("Say what the public register should show."))

    def effect(locked: Concern) -> str:
        _require_handler(locked, handler)
        if locked.response_invited_at is None:
            raise RegisterError(
                _("Invite the registrant to respond before deciding: they must be heard.")
            )
        entry = locked.entry
        why = _("Outcome of concern %(ref)s: %(reasons)s") % {
            "ref": locked.reference,
            "reasons": reasons,
        }
        if outcome == O.CONDITIONS:
            _conditions(
                entry,
                actor=handler,
                text=public_text,
                text_cy=public_text_cy,
                reason=why,
                action="conditions",
            )
        elif outcome == O.SUSPENSION:
            entries.entry_suspend(
                entry=entry,
                admin=handler,
                restriction=public_text,
                restriction_cy=public_text_cy,
                reason=why,
            )
        elif outcome == O.REMOVAL:
            entries.entry_remove(entry=entry, admin=handler, reason=why)
        locked.outcome = outcome
        locked.outcome_reasons = reasons
        locked.public_text = public_text if outcome in NEEDS_PUBLIC_TEXT else ""
        locked.public_text_cy = public_text_cy if outcome in NEEDS_PUBLIC_TEXT else ""
        locked.decided_by = handler
        locked.decided_at = timezone.now()
        locked.status = C.DECIDED
        locked.save()
        notify(
            recipient=entry.practitioner,
            template="concern_decided",
            context={"concern": locked, "entry": entry, "days": settings.IMHCF_APPEAL_WINDOW_DAYS},
            dedupe_key=f"concern-decided:{locked.pk}",
            entry=entry,
        )
        notify(
            to_email=locked.raiser_email,
            template="concern_outcome_raiser",
            context={"concern": locked},
            dedupe_key=f"concern-outcome-raiser:{locked.pk}",
        )
        return locked.status

    return subject_transition(
        model=Concern,
        pk=concern.pk,
        action="concern_decide",
        rules=CONCERN_RULES,
        actor=handler,
        effect=effect,
        reason=reasons,
        detail={"outcome": outcome, "public_text": public_text},
    )


def appeal_deadline(concern: Concern):
    if concern.decided_at is None:
        return None
    return concern.decided_at + timedelta(days=settings.IMHCF_APPEAL_WINDOW_DAYS)


def concern_appeal(*, concern: Concern, registrant, statement: str) -> Concern:
    if concern.entry is None or concern.entry.practitioner_id != registrant.pk:
        raise RegisterError(_("Only the registrant can appeal this outcome."))
    statement = statement.strip()
    if len(statement) < 20:
        raise RegisterError(
            _("Explain in a few sentences why the outcome should be looked at again.")
        )

    def effect(locked: Concern) -> str:
        deadline = appeal_deadline(locked)
        if deadline is None or timezone.now() > deadline:
            raise RegisterError(_("The time for an appeal has passed."))
        if locked.outcome == O.NO_CASE:
            raise RegisterError(_("There is nothing to appeal: there was no case to answer."))
        locked.appeal_statement = statement
        locked.appealed_at = timezone.now()
        locked.status = C.APPEALED
        locked.save()
        notify_staff(
            template="concern_appeal_staff",
            context={"concern": locked},
            dedupe_key=f"concern-appeal:{locked.pk}",
            exclude=[registrant, locked.triaged_by_id, locked.handler_id, locked.decided_by_id],
        )
        return locked.status

    return subject_transition(
        model=Concern,
        pk=concern.pk,
        action="concern_appeal",
        rules=CONCERN_RULES,
        actor=registrant,
        effect=effect,
        reason=statement,
    )


def appeal_conflict(concern: Concern, admin) -> str | None:
    """Why ``admin`` may not hear the appeal: anyone who took part in the case is out."""
    involved = {concern.triaged_by_id, concern.handler_id, concern.decided_by_id}
    if admin.pk in involved:
        return _("You took part in this case, so someone else must hear the appeal.")
    if concern.entry and concern.entry.practitioner_id == admin.pk:
        return _("You cannot hear an appeal about yourself.")
    return None


def concern_appeal_decide(*, concern: Concern, admin, upheld: bool, reasons: str) -> Concern:
    """Upholding lifts what the outcome put on the register; dismissing keeps it."""
    _require_admin(admin)
    reasons = _require_reason(reasons, _("Give the reasons for the appeal decision."))

    def effect(locked: Concern) -> str:
        conflict = appeal_conflict(locked, admin)
        if conflict:
            raise RegisterError(conflict)
        entry = locked.entry
        why = _("Appeal upheld on concern %(ref)s: %(reasons)s") % {
            "ref": locked.reference,
            "reasons": reasons,
        }
        if upheld and locked.outcome == O.CONDITIONS:
            _conditions(entry, actor=admin, text="", reason=why, action="conditions_end")
        elif upheld and locked.outcome in (O.SUSPENSION, O.REMOVAL):
            entries.entry_reinstate(entry=entry, admin=admin, reason=why)
        locked.appeal_upheld = upheld
        locked.appeal_reasons = reasons
        locked.appeal_decided_by = admin
        locked.appeal_decided_at = timezone.now()
        locked.status = C.APPEAL_DECIDED
        locked.save()
        notify(
            recipient=entry.practitioner,
            template="concern_appeal_decided",
            context={"concern": locked},
            dedupe_key=f"concern-appeal-decided:{locked.pk}",
            entry=entry,
        )
        return locked.status

    return subject_transition(
        model=Concern,
        pk=concern.pk,
        action="concern_appeal_decide",
        rules=CONCERN_RULES,
        actor=admin,
        effect=effect,
        reason=reasons,
        detail={"upheld": upheld},
    )


def readmission_allow(*, entry: RegisterEntry, admin, reason: str) -> RegisterEntry:
    """A removed practitioner may apply again only after this staff decision."""
    _require_admin(admin)
    reason = _require_reason(reason, _("Give a reason; it is kept in the audit trail."))

    def effect(_app, locked: RegisterEntry) -> str:
        locked.readmission_allowed = True
        locked.save(update_fields=["readmission_allowed", "updated_at"])
        return locked.status

    return transition(
        action="readmit", actor=admin, entry_id=entry.pk, effect=effect, reason=reason
    )
