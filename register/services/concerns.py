"""Concerns about a registrant's fitness to practise (PSA Standard 5; issue 14, part 2).

Anyone raises a concern on the public form. Staff triage it: not taken forward
(with reasons), or investigated by a case handler, who must be staff with MFA.
The registrant is told and invited to respond; the handler records the
response and decides an outcome with reasons. Conditions and suspension put
their public wording on the register entry; removal takes the entry off. The
registrant may appeal the outcome, to an administrator who took no part.

Every step runs through the transition engine with ``states.CONCERN_RULES``; changes
to the register entry run through the entry's own transitions inside it, so
the entry's audit and the hooks of later apps (credentials) see them too.
The appeal is in ``register.services.concern_appeals``.
"""

from __future__ import annotations

import secrets

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
from register.services.notifications import notify, notify_owner, notify_staff
from register.transitions import CONCERNS, audit_created, entry_move

C = Concern.Status
O = Concern.Outcome  # noqa: E741 - the outcome names read best short

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


def _notify_handler(concern: Concern, handler, template: str, dedupe_key: str) -> None:
    """Work for the concern's case handler (held for their daily digest if they chose one)."""
    notify(
        recipient=handler,
        template=template,
        context={"concern": concern},
        dedupe_key=dedupe_key,
        entry=concern.entry,
        work=True,
    )


def concern_notify_registrant(concern: Concern, template: str, dedupe_key: str, **context) -> None:
    """A message to the registrant about a concern on their entry."""
    notify_owner(
        concern.entry, template=template, dedupe_key=dedupe_key, concern=concern, **context
    )


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
    audit_created(concern, "concern_raise", actor=None, entry_id=concern.entry_id)
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


def require_admin(user) -> None:
    if not is_admin(user):
        raise RegisterError(_("Only AIMH UK staff can do this."))


def require_reason(text: str, message: str) -> str:
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
    require_admin(admin)
    reasons = require_reason(reasons, _("Give the reasons for the triage decision."))
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
        _notify_handler(
            locked, handler, "concern_handler", f"concern-handler:{locked.pk}:{handler.pk}"
        )
        return locked.status

    return CONCERNS.move(
        concern.pk,
        "concern_triage",
        effect,
        actor=admin,
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
        at = f"{locked.response_invited_at:%Y%m%d%H%M%S}"
        concern_notify_registrant(locked, "concern_invite", f"concern-invite:{locked.pk}:{at}")
        return locked.status

    return CONCERNS.move(concern.pk, "concern_invite", effect, actor=handler)


def concern_record_response(*, concern: Concern, handler, response: str) -> Concern:
    response = require_reason(response, _("Enter the registrant's response."))

    def effect(locked: Concern) -> str:
        _require_handler(locked, handler)
        if locked.response_invited_at is None:
            raise RegisterError(_("Invite the registrant to respond first."))
        locked.response = response
        locked.response_recorded_at = timezone.now()
        locked.save(update_fields=["response", "response_recorded_at"])
        return locked.status

    return CONCERNS.move(concern.pk, "concern_response", effect, actor=handler)


def concern_respond(*, concern: Concern, registrant, response: str) -> Concern:
    """The registrant answers the concern themselves, from their own page, once invited.

    Their answer stands in their words: it is what the case handler reads
    before deciding. They may answer again until the outcome (the latest
    answer is kept, and every one is in the audit trail).
    """
    response = require_reason(response, _("Write your response."))
    if concern.entry is None or concern.entry.practitioner_id != registrant.pk:
        raise RegisterError(_("Only the registrant can respond to this concern."))

    def effect(locked: Concern) -> str:
        if locked.response_invited_at is None:
            raise RegisterError(_("You have not been asked to respond yet."))
        locked.response = response
        locked.response_recorded_at = timezone.now()
        locked.save(update_fields=["response", "response_recorded_at"])
        at = f"{locked.response_recorded_at:%Y%m%d%H%M%S}"
        _notify_handler(
            locked, locked.handler, "concern_response_handler", f"concern-response:{locked.pk}:{at}"
        )
        return locked.status

    return CONCERNS.move(
        concern.pk,
        "concern_response",
        effect,
        actor=registrant,
        reason=response,
        detail={"by": "registrant"},
    )


def conditions_set(
    entry: RegisterEntry, *, actor, text: str, reason: str, action: str, text_cy: str = ""
) -> None:
    def effect(_app, locked: RegisterEntry) -> str:
        locked.restriction, locked.restriction_cy = text, text_cy
        locked.save(update_fields=["restriction", "restriction_cy", "updated_at"])
        return locked.status

    entry_move(entry.pk, action, effect, actor=actor, reason=reason)


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
    reasons = require_reason(reasons, _("Give the reasons for the outcome."))
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
            conditions_set(
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
        concern_notify_registrant(
            locked,
            "concern_decided",
            f"concern-decided:{locked.pk}",
            days=settings.IMHCF_APPEAL_WINDOW_DAYS,
        )
        notify(
            to_email=locked.raiser_email,
            template="concern_outcome_raiser",
            context={"concern": locked},
            dedupe_key=f"concern-outcome-raiser:{locked.pk}",
        )
        return locked.status

    return CONCERNS.move(
        concern.pk,
        "concern_decide",
        effect,
        actor=handler,
        reason=reasons,
        detail={"outcome": outcome, "public_text": public_text},
    )


def readmission_allow(*, entry: RegisterEntry, admin, reason: str) -> RegisterEntry:
    """A removed practitioner may apply again only after this staff decision."""
    require_admin(admin)
    reason = require_reason(reason, _("Give a reason; it is kept in the audit trail."))

    def effect(_app, locked: RegisterEntry) -> str:
        locked.readmission_allowed = True
        locked.save(update_fields=["readmission_allowed", "updated_at"])
        return locked.status

    return entry_move(entry.pk, "readmit", effect, actor=admin, reason=reason)
