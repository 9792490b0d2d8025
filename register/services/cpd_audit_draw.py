"""Choosing renewals for a CPD audit at random (issue 14, part 3; HCPC audits 2.5%).

Every renewal is drawn for as it is made, inside its own transaction, except
an entry's first renewal: nobody is audited at their first renewal. The draw
is ``secrets.randbelow(OUT_OF)``, and the renewal is chosen when it falls
below ``threshold()``, the setting's percentage of ``OUT_OF``. Nothing anyone
types or picks goes into it, and each renewal is drawn for once (a renewal is
made once; its audit row is one-to-one with it), so nobody can steer it.

Each draw, chosen or not, and each first renewal passed over, is an
append-only audit row (action ``cpd_audit_draw``, subject ``renewal:<id>``)
holding the draw, the threshold, ``OUT_OF``, the setting and the result. The
log therefore holds every renewal drawn from and every choice, and anyone can
check each one (chosen exactly when draw < threshold) and count the share.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from register.models import CpdAudit, Renewal
from register.services.notifications import notify_owner
from register.transitions import audit_record

# The draw's range: a share is honoured to a thousandth of a percent.
OUT_OF = 100_000


def threshold() -> int:
    """Draws below this are chosen: the setting's percentage of ``OUT_OF``."""
    return int(settings.IMHCF_CPD_AUDIT_PERCENT * OUT_OF / 100)


def is_first_renewal(renewal: Renewal) -> bool:
    """No renewal of this entry was approved before this one."""
    return (
        not Renewal.objects.filter(entry_id=renewal.entry_id, status=Renewal.Status.APPROVED)
        .exclude(pk=renewal.pk)
        .exists()
    )


def draw_for(renewal: Renewal) -> CpdAudit | None:
    """Draw for a renewal just made (under its entry's lock); its audit if it is chosen."""
    first = is_first_renewal(renewal)
    limit = threshold()
    value = None if first else secrets.randbelow(OUT_OF)
    chosen = value is not None and value < limit
    audit = None
    if chosen:
        renewal.status = Renewal.Status.AUDIT
        renewal.save(update_fields=["status"])
        now = timezone.now()
        audit = CpdAudit.objects.create(
            renewal=renewal,
            draw=value,
            threshold=limit,
            out_of=OUT_OF,
            requested_at=now,
            due_on=timezone.localdate() + timedelta(days=settings.IMHCF_CPD_AUDIT_DAYS),
        )
        notify_owner(
            renewal.entry,
            template="cpd_audit_requested",
            dedupe_key=f"cpd-audit-requested:{audit.pk}",
            audit=audit,
        )
    audit_record(
        entry_id=renewal.entry_id,
        subject=f"renewal:{renewal.pk}",
        actor=None,
        action="cpd_audit_draw",
        from_status="",
        to_status=audit.status if audit else "",
        reason="",
        detail={
            "renewal": renewal.pk,
            "first_renewal": first,
            "draw": value,
            "threshold": limit,
            "out_of": OUT_OF,
            "percent": str(settings.IMHCF_CPD_AUDIT_PERCENT),
            "chosen": chosen,
            "cpd_audit": audit.pk if audit else None,
        },
    )
    return audit
