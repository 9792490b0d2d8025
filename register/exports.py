"""Staff downloads: applications, register entries and the audit trail, as CSV.

Each goes through ``imhcf.spreadsheets``, which makes any cell a spreadsheet
could run as a formula inert: names, organisations and reasons are typed by
applicants and admins, and must never run on the machine of whoever opens them.
Rows are streamed from one query each (``iterator``), whatever their number.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from imhcf.spreadsheets import csv_response
from register import states
from register.models import AuditEvent
from register.selectors.staff import applications_for_staff, entries_for_staff
from selfassess.models import region_label


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def applications_csv(status: str = "") -> HttpResponse:
    header = [
        _("Application"),
        _("Applicant"),
        _("Organisation"),
        _("Region"),
        _("Level"),
        _("Round"),
        _("Status"),
        _("Submitted"),
        _("Decided"),
        _("Active reviewers"),
    ]
    rows = (
        [
            a.pk,
            a.applicant_name,
            a.organisation,
            region_label(a.region),
            a.level,
            a.round,
            a.get_status_display(),
            _when(a.submitted_at),
            _when(a.decided_at),
            a.active_reviewers,
        ]
        for a in applications_for_staff(status).iterator()
    )
    return csv_response("applications", header, rows)


def entries_csv(query: str = "", status: str = "") -> HttpResponse:
    header = [
        _("Registration number"),
        _("Name"),
        _("Level"),
        _("Region"),
        _("Status"),
        _("Restriction"),
        _("Recognised on"),
        _("Valid until"),
    ]
    rows = (
        [
            e.registration_number,
            e.display_name,
            e.level,
            region_label(e.region),
            e.get_status_display(),
            e.restriction,
            e.recognised_on.isoformat(),
            e.valid_until.isoformat(),
        ]
        for e in entries_for_staff(query, status).iterator()
    )
    return csv_response("register-entries", header, rows)


def audit_csv() -> HttpResponse:
    header = [
        _("When"),
        _("Application"),
        _("Registration number"),
        _("Who"),
        _("Action"),
        _("From"),
        _("To"),
        _("Reason"),
    ]
    events = (
        AuditEvent.objects.select_related("actor", "entry").order_by("created_at", "id").iterator()
    )
    rows = (
        [
            _when(e.created_at),
            e.application_id or "",
            e.entry.registration_number if e.entry else "",
            (e.actor.full_name or e.actor.email) if e.actor else _("the system"),
            states.ACTION_LABELS.get(e.action, e.action),
            states.STATUS_LABELS.get(e.from_status, e.from_status),
            states.STATUS_LABELS.get(e.to_status, e.to_status),
            e.reason,
        ]
        for e in events
    )
    return csv_response("audit-trail", header, rows)
