"""The bulk check: a signed-in employer uploads a CSV of registration numbers and gets
a CSV back with what the register says about each (issue 14, part 4).

Who is an employer is the workforce app's to say, through
``register.extensions.provide_employer_rule`` (the register sits below it and
knows no organisations): a team lead or organisation admin of an organisation
AIMH UK staff have verified. AIMH UK staff may use it too. Anyone else signed
in is told who the check is for (403); the single-number API stays open to all.

The answer for each number is the API's (``register.api.entry_payload``): public
fields only, and no name for anyone not currently registered. Every cell goes
out through ``imhcf.spreadsheets``, so a "number" typed as a formula comes back
as text.
"""

from __future__ import annotations

import csv
import io

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.roles import is_admin
from imhcf.ratelimits import limited
from imhcf.spreadsheets import csv_response
from register.api import entry_payload
from register.extensions import is_employer
from register.forms_public import canonical_number

HEADER = [
    "number_given",
    "registration_number",
    "status",
    "name",
    "level",
    "restrictions",
    "valid_until",
]


class BulkCheckForm(forms.Form):
    numbers = forms.FileField(
        label=_("A CSV file of registration numbers"),
        help_text=_("One number in the first column of each row; a header row is fine."),
        error_messages={"required": _("Choose a CSV file.")},
    )

    def clean_numbers(self) -> list[str]:
        upload = self.cleaned_data["numbers"]
        if upload.size > 256 * 1024:
            raise forms.ValidationError(_("The file is too large: keep it under 256 KB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as CSV (UTF-8) and try again.")) from None
        numbers = [
            row[0].strip() for row in csv.reader(io.StringIO(text)) if row and row[0].strip()
        ]
        limit = settings.IMHCF_BULK_CHECK_MAX_ROWS
        if len(numbers) > limit + 1:
            raise forms.ValidationError(
                ngettext(
                    "Check at most %(limit)d number at a time.",
                    "Check at most %(limit)d numbers at a time.",
                    limit,
                )
                % {"limit": limit}
            )
        if numbers and canonical_number(numbers[0]) is None and not numbers[0][:1].isdigit():
            numbers = numbers[1:]  # a header row
        if not numbers:
            raise forms.ValidationError(_("The file has no registration numbers in it."))
        return numbers[:limit]


def _row(given: str) -> list:
    canonical = canonical_number(given)
    payload = entry_payload(canonical) if canonical else None
    if payload is None:
        return [given, "", "unknown", "", "", "", ""]
    return [
        given,
        payload["registration_number"],
        payload["status"],
        payload["name"] or "",
        payload["level"] or "",
        payload["restrictions"] or "",
        payload["valid_until"] or "",
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limited("bulk-check", lambda: settings.IMHCF_API_RATE, methods=("POST",))
def bulk_check(request: HttpRequest) -> HttpResponse:
    if not (is_admin(request.user) or is_employer(request.user)):
        return render(request, "register/public/bulk_check_employers_only.html", status=403)
    form = BulkCheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        rows = [_row(number) for number in form.cleaned_data["numbers"]]
        return csv_response("register-check", HEADER, rows)
    return render(
        request,
        "register/public/bulk_check.html",
        {"form": form, "limit": settings.IMHCF_BULK_CHECK_MAX_ROWS},
        status=400 if request.method == "POST" else 200,
    )
