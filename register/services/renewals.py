"""Renewal: the practitioner renews each year on their CPD hours, or a reviewer judges.

A renewal made in time holds the entry until it is decided (``entries_lapse``
waits for it). Reminders go before the valid-until date.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_admin, is_reviewer
from evidence.selectors import cpd_summary
from register import states
from register.errors import RegisterError
from register.models import Notification, RegisterEntry, Renewal
from register.services import cpd_audit_draw
from register.services.entries import require_reason
from register.services.notifications import notify_owner, notify_reviewers
from register.transitions import ENTRY_RULES, entry_move

E = RegisterEntry.Status


def renewal_window(entry: RegisterEntry) -> tuple[date, date]:
    opens = entry.valid_until - timedelta(days=settings.IMHCF_RENEWAL_OPENS_DAYS)
    closes = entry.valid_until + timedelta(days=settings.IMHCF_LAPSE_GRACE_DAYS)
    return opens, closes


def renewal_state(entry: RegisterEntry, today: date | None = None, *, pending: bool = False) -> str:
    """Whether the entry may be renewed today: ``open``, or why not.

    ``not_active`` (removed or lapsed; a suspended practitioner renews and stays
    suspended, see the README's register rules), ``pending`` (a renewal is
    waiting for a reviewer; the caller says so), ``not_yet`` (before the
    window opens) or ``closed`` (after the grace period).
    """
    opens, closes = renewal_window(entry)
    today = today or timezone.localdate()
    if entry.status not in ENTRY_RULES["renew"]:
        return "not_active"
    if pending:
        return "pending"
    if today < opens:
        return "not_yet"
    if today > closes:
        return "closed"
    return "open"


def renewal_figures(entry: RegisterEntry, today: date | None = None) -> dict:
    """CPD hours in the year before today against the required totals."""
    today = today or timezone.localdate()
    start = today - timedelta(days=365)
    summary = cpd_summary(entry.practitioner, start, today)
    required = Decimal(settings.IMHCF_RENEWAL_CPD_HOURS)
    required_equality = Decimal(settings.IMHCF_RENEWAL_EQUALITY_HOURS)
    return {
        "start": start,
        "end": today,
        "hours": summary.total_hours,
        "equality_hours": summary.equality_hours,
        "required": required,
        "required_equality": required_equality,
        "meets": summary.total_hours >= required and summary.equality_hours >= required_equality,
        "summary": summary,
    }


def renewal_submit(
    *, entry: RegisterEntry, practitioner, declarations: dict[str, bool], explanation: str = ""
) -> Renewal:
    """Renew: automatic when the CPD figures meet the requirement, else a reviewer judges."""
    if entry.practitioner_id != practitioner.pk:
        raise RegisterError(_("Only the registered practitioner can renew."))
    if not (declarations.get("declared_accuracy") and declarations.get("declared_conduct")):
        raise RegisterError(_("Tick both declarations to renew."))
    today = timezone.localdate()
    renewal_holder: list[Renewal] = []

    def effect(_app, locked: RegisterEntry) -> str:
        state = renewal_state(locked, today)
        if state == "not_yet":
            opens = renewal_window(locked)[0]
            raise RegisterError(
                _("Renewal opens on %(opens)s.") % {"opens": opens.strftime("%-d %B %Y")}
            )
        if state == "closed":
            raise RegisterError(
                _("The renewal period has ended; apply again to rejoin the register.")
            )
        if locked.renewals.filter(status__in=states.RENEWAL_WAITING).exists():
            raise RegisterError(_("Your renewal is already waiting for a reviewer."))
        figures = renewal_figures(locked, today)
        if not figures["meets"] and not explanation.strip():
            raise RegisterError(
                _(
                    "Your CPD hours are below what renewal needs. "
                    "Explain why, and a reviewer will decide."
                )
            )
        renewal = Renewal.objects.create(
            entry=locked,
            submitted_at=timezone.now(),
            period_start=figures["start"],
            period_end=figures["end"],
            cpd_hours=figures["hours"],
            equality_hours=figures["equality_hours"],
            explanation=explanation.strip(),
            declared_accuracy=True,
            declared_conduct=True,
            status=Renewal.Status.APPROVED if figures["meets"] else Renewal.Status.NEEDS_JUDGEMENT,
        )
        renewal_holder.append(renewal)
        # Chosen for a CPD audit, the renewal waits for it, whatever its hours.
        if cpd_audit_draw.draw_for(renewal):
            return locked.status
        if renewal.status == Renewal.Status.APPROVED:
            _extend(locked)
            renewal.decided_at = renewal.submitted_at
            renewal.save(update_fields=["decided_at"])
        else:
            _renewal_waiting(locked, renewal)
        return locked.status

    meets = renewal_figures(entry, today)["meets"]
    # The entry stays active while a reviewer looks at a renewal below the requirement.
    below = "" if meets else _("Below the CPD requirement; sent to a reviewer.")
    entry_move(entry.pk, "renew", effect, actor=practitioner, reason=below)
    return renewal_holder[0]


def _renewal_waiting(entry: RegisterEntry, renewal: Renewal) -> None:
    """The practitioner is told it is with a reviewer (the page promises it), and reviewers."""
    notify_owner(
        entry,
        template="renewal_waiting",
        dedupe_key=f"renewal-waiting:{renewal.pk}",
        renewal=renewal,
    )
    notify_reviewers(
        template="renewal_reviewer",
        context={"renewal": renewal},
        dedupe_key=f"renewal-reviewer:{renewal.pk}",
        exclude=[entry.practitioner_id],
        entry=entry,
    )


def _extend(entry: RegisterEntry) -> None:
    entry.valid_until = entry.valid_until + timedelta(days=settings.IMHCF_REGISTRATION_VALID_DAYS)
    entry.save(update_fields=["valid_until", "updated_at"])
    notify_owner(
        entry,
        template="entry_renewed",
        dedupe_key=f"renewed:{entry.pk}:{entry.valid_until.isoformat()}",
    )


def renewal_decide(
    *,
    renewal: Renewal,
    reviewer,
    approve: bool,
    reasons: str,
    waiting_as: str = Renewal.Status.NEEDS_JUDGEMENT,
    detail: dict | None = None,
) -> Renewal:
    """A reviewer's decision on a renewal below the requirement, or (``waiting_as``
    ``audit``, from ``cpd_audits.cpd_audit_decide``) on one whose CPD was audited."""
    if not (is_reviewer(reviewer) or is_admin(reviewer)):
        raise RegisterError(_("Only reviewers can decide renewals."))
    if renewal.entry.practitioner_id == reviewer.pk:
        raise RegisterError(_("You cannot decide your own renewal."))
    reasons = require_reason(reasons)

    def effect(_app, locked: RegisterEntry) -> str:
        current = Renewal.objects.select_for_update().get(pk=renewal.pk)
        if current.status != waiting_as:
            raise RegisterError(_("This renewal has already been decided."))
        current.status = Renewal.Status.APPROVED if approve else Renewal.Status.REFUSED
        current.decided_by = reviewer
        current.decided_at = timezone.now()
        current.decision_reasons = reasons
        current.save()
        if approve:
            if locked.status == E.LAPSED:
                locked.status = E.ACTIVE
                locked.save(update_fields=["status", "updated_at"])
            _extend(locked)
        else:
            notify_owner(
                locked,
                template="renewal_refused",
                dedupe_key=f"renewal-refused:{current.pk}",
                reasons=reasons,
            )
        return locked.status

    entry_move(
        renewal.entry_id, "renewal_decide", effect, actor=reviewer, reason=reasons, detail=detail
    )
    renewal.refresh_from_db()
    return renewal


def renewal_reminders_send(today: date | None = None) -> int:
    """Remind practitioners before their recognition runs out (the days are a setting).

    Each reminder goes on or after its day, so a missed daily run only delays
    it, and at most once per valid-until date (its dedupe key). When several
    are due at once (the runs stopped for weeks) only the nearest goes: three
    emails saying the same thing help nobody. Nobody whose renewal is with a
    reviewer is reminded.
    """
    today = today or timezone.localdate()
    days_list = sorted(settings.IMHCF_RENEWAL_REMINDER_DAYS)
    if not days_list:
        return 0
    sent = 0
    candidates = (
        RegisterEntry.objects.filter(
            status__in=states.PUBLIC,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=days_list[-1]),
        )
        .exclude(renewals__status__in=states.RENEWAL_WAITING)
        .select_related("practitioner")
    )
    for entry in candidates:
        left = (entry.valid_until - today).days
        days = next(d for d in days_list if left <= d)
        keys = [f"reminder:{entry.pk}:{entry.valid_until.isoformat()}:{d}" for d in days_list]
        if Notification.objects.filter(dedupe_key__in=keys[: days_list.index(days) + 1]).exists():
            continue  # this one, or a nearer one, has gone already
        notify_owner(
            entry, template="renewal_reminder", dedupe_key=keys[days_list.index(days)], days=left
        )
        sent += 1
    return sent
