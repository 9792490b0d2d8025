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


def _table(queryset, *, group: str, date_field: str, labels: dict, now, extra=None) -> list:
    """One query: rows per ``group`` value in ``labels`` order, counted by age band."""
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
    rows = []
    for value, label in labels.items():
        row = found.get(value)
        if row is None:
            continue
        rows.append(
            HealthRow(
                label=str(label),
                bands=[row[f"band{i}"] for i in range(len(BANDS))],
                total=row["total"],
                oldest=row["oldest"],
                overdue=row.get("overdue"),
            )
        )
    return rows


def register_health(now: datetime | None = None) -> list[HealthTable]:
    """Four tables, four queries."""
    now = now or timezone.now()
    today = timezone.localdate()
    application_labels = {
        status: label
        for status, label in Application.Status.choices
        if status in Application.OPEN_STATUSES
    }
    reference_labels = {kind: label for kind, label in Reference.Kind.choices}
    concern_labels = {
        status: label for status, label in Concern.Status.choices if status in states.CONCERN_OPEN
    }
    audit_labels = {
        status: label
        for status, label in CpdAudit.Status.choices
        if status in states.CPD_AUDIT_OPEN
    }
    return [
        HealthTable(
            key="applications",
            title=str(_("Applications waiting, by stage")),
            since=str(_("Age since the application was sent")),
            rows=_table(
                Application.objects.filter(status__in=Application.OPEN_STATUSES),
                group="status",
                date_field="submitted_at",
                labels=application_labels,
                now=now,
            ),
        ),
        HealthTable(
            key="references",
            title=str(_("References outstanding, by kind of referee")),
            since=str(_("Age since the referee was asked")),
            rows=_table(
                Reference.objects.filter(
                    status__in=states.REFERENCE_WAITING,
                    application__status=Application.Status.AWAITING_REFERENCES,
                ),
                group="kind",
                date_field="requested_at",
                labels=reference_labels,
                now=now,
            ),
        ),
        HealthTable(
            key="concerns",
            title=str(_("Open concerns, by stage")),
            since=str(_("Age since the concern was received")),
            rows=_table(
                Concern.objects.filter(status__in=states.CONCERN_OPEN),
                group="status",
                date_field="received_at",
                labels=concern_labels,
                now=now,
            ),
        ),
        HealthTable(
            key="audits",
            title=str(_("CPD audits due, by stage")),
            since=str(_("Age since the renewal was chosen")),
            shows_overdue=True,
            rows=_table(
                CpdAudit.objects.filter(status__in=states.CPD_AUDIT_OPEN),
                group="status",
                date_field="requested_at",
                labels=audit_labels,
                now=now,
                extra={
                    "overdue": Count(
                        "pk", filter=Q(status=CpdAudit.Status.REQUESTED, due_on__lt=today)
                    )
                },
            ),
        ),
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
