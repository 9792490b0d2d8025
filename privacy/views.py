"""The person's data page and the staff's data request log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Consent
from accounts.roles import is_admin
from accounts.selectors import consents_of
from evidence.views.downloads import private_file_response
from imhcf.http import form_page
from privacy import erasure, services
from privacy.access import get_request_for_admin
from privacy.errors import PrivacyError
from privacy.forms import CloseAccountForm, PostalRequestForm
from privacy.models import DataRequest

DONE_MESSAGES = {
    DataRequest.Kind.EXPORT: gettext_lazy(
        "The export is being made. Download it here when it is ready."
    ),
    DataRequest.Kind.ERASURE: gettext_lazy(
        "The person has been emailed to confirm; their account is erased when the waiting "
        "time ends unless they cancel it."
    ),
}


@require_safe
def notice(request):
    """What the register holds, why, for how long and who sees it; and the consents it asks for."""
    return render(
        request,
        "privacy/notice.html",
        {
            "consent_kinds": Consent.Purpose.choices,
            "cooling_off_hours": settings.IMHCF_ERASURE_COOLING_OFF_HOURS,
            "inactive_years": settings.IMHCF_RETAIN_INACTIVE_ACCOUNT_YEARS,
            "messages_days": settings.IMHCF_RETAIN_MESSAGES_DAYS,
            "document_days": settings.IMHCF_DOCUMENT_TTL_DAYS,
        },
    )


@require_safe
@login_required
def my_data(request):
    exports = (
        DataRequest.objects.filter(subject=request.user, kind=DataRequest.Kind.EXPORT)
        .select_related("document")
        .order_by("-created_at")[:5]
    )
    return _my_data_page(request, exports=exports, close_form=CloseAccountForm())


def _my_data_page(request, *, exports, close_form):
    closing = DataRequest.objects.filter(
        subject=request.user, kind=DataRequest.Kind.ERASURE, status=DataRequest.Status.PENDING
    ).first()
    return render(
        request,
        "privacy/my_data.html",
        {
            "exports": exports,
            "consents": consents_of(request.user),
            "close_form": close_form,
            "closing": closing,
            "cooling_off_hours": settings.IMHCF_ERASURE_COOLING_OFF_HOURS,
            "kept": erasure.kept_shown(),
        },
        status=400 if close_form.errors else 200,
    )


@require_POST
@login_required
def erasure_create(request):
    form = CloseAccountForm(request.POST)
    if not form.is_valid():
        exports = DataRequest.objects.none()
        return _my_data_page(request, exports=exports, close_form=form)
    erasure.erasure_request(subject=request.user, requested_by=request.user)
    messages.success(
        request,
        _("We have emailed you to confirm. Your account will close when the waiting time ends."),
    )
    return redirect("privacy:my_data")


@require_POST
@login_required
def erasure_cancel(request):
    if erasure.erasure_cancel(subject=request.user):
        messages.success(request, _("Your account will not be closed."))
    return redirect("privacy:my_data")


@require_POST
@login_required
def export_create(request):
    data_request = services.export_request(subject=request.user, requested_by=request.user)
    return redirect("evidence:document_detail", pk=data_request.document_id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def staff_requests(request):
    if not is_admin(request.user):
        raise Http404

    def record(data):
        request_for = (
            services.export_request
            if data["kind"] == DataRequest.Kind.EXPORT
            else erasure.erasure_request
        )
        subject = services.export_subject_for_staff(email=data["email"])
        request_for(
            subject=subject,
            requested_by=request.user,
            channel=DataRequest.Channel.POST,
            reference=data["reference"],
        )
        return data["kind"]

    return form_page(
        request,
        PostalRequestForm(request.POST or None),
        record,
        refusal=PrivacyError,
        then=lambda _kind: redirect("privacy:staff_requests"),
        done=lambda kind: DONE_MESSAGES[kind],
        template="privacy/staff_requests.html",
        context=lambda: {
            "log": DataRequest.objects.select_related(
                "subject", "requested_by", "downloaded_by", "document"
            ).order_by("-created_at")[:100],
            "section": "data_requests",
        },
    )


@require_POST
@login_required
def staff_export_download(request, pk: int):
    data_request = get_request_for_admin(request.user, pk)
    try:
        data_request = services.export_handed_over(data_request=data_request, staff=request.user)
    except PrivacyError as exc:
        messages.error(request, str(exc))
        return redirect("privacy:staff_requests")
    stamp = data_request.created_at.strftime("%Y-%m-%d")
    return private_file_response(
        data_request.document.file,
        filename=f"imhcf-subject-access-{data_request.subject_id}-{stamp}.zip",
        content_type="application/zip",
    )
