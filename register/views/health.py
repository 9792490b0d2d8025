"""The register's health page for staff (issue 14, part 5), and its CSV.

Under /staff/, where the middleware insists on MFA; anyone but an admin gets 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from imhcf.spreadsheets import csv_response
from register import access
from register.selectors import health


@login_required
@require_safe
def register_health(request: HttpRequest) -> HttpResponse:
    access.require_admin(request.user)
    return render(
        request,
        "register/staff/health.html",
        {
            "tables": health.register_health(),
            "band_labels": health.band_labels(),
            "now": timezone.now(),
        },
    )


@login_required
@require_safe
def register_health_csv(request: HttpRequest) -> HttpResponse:
    access.require_admin(request.user)
    header = ["table", "stage", *health.band_labels(), "total", "oldest", "overdue"]
    return csv_response(
        f"register-health-{timezone.localdate().isoformat()}",
        header,
        health.health_csv_rows(health.register_health()),
    )
