"""Register entries: creation on approval, suspension, removal and lapse.

Renewal is in ``register.services.renewals``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_admin
from register import states
from register.errors import RegisterError
from register.models import Application, RegisterEntry
from register.numbers import number_for_application
from register.services.notifications import notify_owner
from register.transitions import entry_move

E = RegisterEntry.Status
# The reason recorded when a registrant closes their account.
REMOVED_AT_REQUEST = gettext_lazy("Removed at the registrant's request.")


def entry_build(
    application: Application, *, recognised_on: date, status: str = E.ACTIVE, restriction: str = ""
) -> RegisterEntry:
    """The unsaved register entry an approved application earns, valid for the set period."""
    return RegisterEntry(
        practitioner_id=application.applicant_id,
        application=application,
        registration_number=number_for_application(application.pk),
        display_name=application.applicant_name,
        level=application.level,
        region=application.region,
        status=status,
        restriction=restriction,
        recognised_on=recognised_on,
        valid_until=recognised_on + timedelta(days=settings.IMHCF_REGISTRATION_VALID_DAYS),
    )


def entry_create_for(application: Application) -> RegisterEntry:
    """Called inside the approving transition: one application, at most one entry."""
    entry = entry_build(application, recognised_on=timezone.localdate())
    entry.save()
    return entry


def _require_admin(user) -> None:
    if not is_admin(user):
        raise RegisterError(_("Only an administrator can do this."))


def require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise RegisterError(_("Give a reason; it is kept in the audit trail."))
    return reason


def _entry_action(action: str, *, entry: RegisterEntry, actor, reason: str, apply) -> RegisterEntry:
    def effect(_app, locked: RegisterEntry) -> str:
        apply(locked)
        locked.save()
        notify_owner(
            locked,
            template=f"entry_{action}",
            dedupe_key=f"entry-{action}:{locked.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
            reason=reason,
        )
        return locked.status

    return entry_move(entry.pk, action, effect, actor=actor, reason=reason)


def entry_suspend(
    *, entry: RegisterEntry, admin, restriction: str, reason: str, restriction_cy: str = ""
) -> RegisterEntry:
    """Suspend, with the restriction the public register shows (and in Welsh, if given)."""
    _require_admin(admin)
    reason = require_reason(reason)
    restriction = restriction.strip()
    if not restriction:
        raise RegisterError(_("Say what the restriction is; it is shown on the public register."))

    def apply(locked: RegisterEntry) -> None:
        locked.status = E.SUSPENDED
        locked.restriction = restriction
        locked.restriction_cy = restriction_cy.strip()

    return _entry_action("suspend", entry=entry, actor=admin, reason=reason, apply=apply)


def entry_remove(*, entry: RegisterEntry, admin, reason: str) -> RegisterEntry:
    _require_admin(admin)
    reason = require_reason(reason)

    def apply(locked: RegisterEntry) -> None:
        locked.status = E.REMOVED

    return _entry_action("remove", entry=entry, actor=admin, reason=reason, apply=apply)


def entry_remove_at_request(*, entry: RegisterEntry, practitioner) -> RegisterEntry:
    """The registrant asked to leave the register (closing their account): the entry ends."""
    if entry.practitioner_id != practitioner.pk:
        raise RegisterError(_("Only the registered practitioner can ask to be removed."))

    def apply(locked: RegisterEntry) -> None:
        locked.status = E.REMOVED

    return _entry_action(
        "remove",
        entry=entry,
        actor=practitioner,
        reason=str(REMOVED_AT_REQUEST),
        apply=apply,
    )


def entry_reinstate(*, entry: RegisterEntry, admin, reason: str) -> RegisterEntry:
    """End a suspension or a removal.

    Recognition that ran out (past the grace period) while the entry was
    suspended does not come back: the entry lapses, and the practitioner
    applies again. Within the grace period it is active and can be renewed.
    """
    _require_admin(admin)
    reason = require_reason(reason)
    cutoff = timezone.localdate() - timedelta(days=settings.IMHCF_LAPSE_GRACE_DAYS)

    def apply(locked: RegisterEntry) -> None:
        locked.status = E.LAPSED if locked.valid_until < cutoff else E.ACTIVE
        locked.restriction = locked.restriction_cy = ""

    return _entry_action("reinstate", entry=entry, actor=admin, reason=reason, apply=apply)


def entries_lapse(today: date | None = None) -> int:
    """Lapse entries whose recognition ran out more than the grace period ago.

    Two kinds wait instead: a suspended entry (its sanction stays public until
    it ends), and one whose renewal, made in time, is still with a reviewer.
    """
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.IMHCF_LAPSE_GRACE_DAYS)
    lapsed = 0
    due = RegisterEntry.objects.filter(status=E.ACTIVE, valid_until__lt=cutoff).exclude(
        renewals__status__in=states.RENEWAL_WAITING
    )
    for entry in due:

        def apply(locked: RegisterEntry) -> None:
            waiting = locked.renewals.filter(status__in=states.RENEWAL_WAITING).exists()
            if locked.valid_until >= cutoff or waiting:
                raise RegisterError("renewed meanwhile")
            locked.status = E.LAPSED

        try:
            _entry_action(
                "lapse", entry=entry, actor=None, reason=_("Not renewed in time."), apply=apply
            )
        except RegisterError:
            continue
        lapsed += 1
    return lapsed
