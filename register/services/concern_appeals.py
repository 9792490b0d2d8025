"""The registrant's appeal against a concern's outcome, heard by staff who took no part.

Upholding lifts what the outcome put on the register (conditions end, a
suspension or removal is reinstated); dismissing keeps it. Both steps run
through the transition engine with ``states.CONCERN_RULES``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from register.errors import RegisterError
from register.models import Concern
from register.services import concerns, entries
from register.services.notifications import notify_staff
from register.transitions import CONCERNS

C = Concern.Status
O = Concern.Outcome  # noqa: E741 - the outcome names read best short


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

    return CONCERNS.move(concern.pk, "concern_appeal", effect, actor=registrant, reason=statement)


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
    concerns.require_admin(admin)
    reasons = concerns.require_reason(reasons, _("Give the reasons for the appeal decision."))

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
            concerns.conditions_set(
                entry, actor=admin, text="", reason=why, action="conditions_end"
            )
        elif upheld and locked.outcome in (O.SUSPENSION, O.REMOVAL):
            entries.entry_reinstate(entry=entry, admin=admin, reason=why)
        locked.appeal_upheld = upheld
        locked.appeal_reasons = reasons
        locked.appeal_decided_by = admin
        locked.appeal_decided_at = timezone.now()
        locked.status = C.APPEAL_DECIDED
        locked.save()
        concerns.concern_notify_registrant(
            locked, "concern_appeal_decided", f"concern-appeal-decided:{locked.pk}"
        )
        return locked.status

    return CONCERNS.move(
        concern.pk,
        "concern_appeal_decide",
        effect,
        actor=admin,
        reason=reasons,
        detail={"upheld": upheld},
    )
