"""The register's own health: what is waiting, at which stage, and for how long.

This is the data the PSA asks an accredited register for at re-accreditation
(how long applications and concerns take, what is outstanding). Each table is
one grouped query with a count per age band, so the page costs the same
number of queries however large the register grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register import states
from register.models import Application, Concern, CpdAudit, Reference

# Age bands in days: [from, to), the last open-ended.
BANDS: tuple[tuple[int, int | None], ...] = ((0, 7), (7, 30), (30, 90), (90, None))


def band_labels() -> list[str]:
    labels = []
    for low, high in BANDS:
        if high is None:
            labels.append(str(_("%(low)d days or more") % {"low": low}))
        else:
            labels.append(str(_("%(low)d to %(high)d days") % {"low": low, "high": high - 1}))
    return labels


@dataclass
class HealthRow:
    label: str
    bands: list[int]
    total: int
    oldest: datetime | None
    overdue: int | None = None


@dataclass
class HealthTable:
    key: str
    title: str
    since: str
    rows: list[HealthRow] = field(default_factory=list)
    shows_overdue: bool = False

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def _band_counts(date_field: str, now: datetime) -> dict:
    counts = {}
    for index, (low, high) in enumerate(BANDS):
        condition = Q(**{f"{date_field}__lte": now - timedelta(days=low)})
        if high is not None:
            condition &= Q(**{f"{date_field}__gt": now - timedelta(days=high)})
        counts[f"band{index}"] = Count("pk", filter=condition)
    return counts


# Each table's title, and what the ages of its rows count from.
HEADINGS = {
    "applications": (
        _("Applications waiting, by stage"),
        _("Age since the application was sent"),
    ),
    "references": (
        _("References outstanding, by kind of referee"),
        _("Age since the referee was asked"),
    ),
    "concerns": (_("Open concerns, by stage"), _("Age since the concern was received")),
    "audits": (_("CPD audits due, by stage"), _("Age since the renewal was chosen")),
}


def _table(key: str, queryset, date_field: str, now, *, group="status", extra=None) -> HealthTable:
    """One query: a row per ``group`` value, in the order of its choices, counted by age band."""
    found = {
        row[group]: row
        for row in queryset.values(group)
        .annotate(
            total=Count("pk"),
            oldest=Min(date_field),
            **_band_counts(date_field, now),
            **(extra or {}),
        )
        .order_by(group)
    }
    rows = [
        HealthRow(
            label=str(label),
            bands=[row[f"band{i}"] for i in range(len(BANDS))],
            total=row["total"],
            oldest=row["oldest"],
            overdue=row.get("overdue"),
        )
        for value, label in queryset.model._meta.get_field(group).choices
        if (row := found.get(value)) is not None
    ]
    title, since = HEADINGS[key]
    return HealthTable(
        key=key,
        title=str(title),
        since=str(since),
        rows=rows,
        shows_overdue="overdue" in (extra or {}),
    )


def register_health(now: datetime | None = None) -> list[HealthTable]:
    """Four tables, four queries."""
    now = now or timezone.now()
    applications = Application.objects.filter(status__in=Application.OPEN_STATUSES)
    references = Reference.objects.filter(
        status__in=states.REFERENCE_WAITING,
        application__status=Application.Status.AWAITING_REFERENCES,
    )
    concerns = Concern.objects.filter(status__in=states.CONCERN_OPEN)
    audits = CpdAudit.objects.filter(status__in=states.CPD_AUDIT_OPEN)
    today = timezone.localdate()
    overdue = Count("pk", filter=Q(status=CpdAudit.Status.REQUESTED, due_on__lt=today))
    return [
        _table("applications", applications, "submitted_at", now),
        _table("references", references, "requested_at", now, group="kind"),
        _table("concerns", concerns, "received_at", now),
        _table("audits", audits, "requested_at", now, extra={"overdue": overdue}),
    ]


def health_csv_rows(tables: list[HealthTable]) -> list[list]:
    rows = []
    for table in tables:
        for row in table.rows:
            rows.append(
                [
                    table.key,
                    row.label,
                    *row.bands,
                    row.total,
                    row.oldest.date().isoformat() if row.oldest else "",
                    "" if row.overdue is None else row.overdue,
                ]
            )
    return rows
