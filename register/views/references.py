"""The applicant replaces a referee; an administrator waives a reference.

The referee's own pages are in ``register.views.referee``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from imhcf.http import form_page
from register import access
from register.errors import RegisterError
from register.forms_references import ReplaceRefereeForm, WaiveReferenceForm
from register.services import references
from register.views import staff
from register.views.actions import refusal_shown


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reference_replace(request: HttpRequest, pk: int, reference_pk: int) -> HttpResponse:
    reference = access.get_reference_for_applicant(request.user, pk, reference_pk)
    application = reference.application
    if not references.replaceable(reference) or application.status != "awaiting_references":
        messages.info(request, _("This referee cannot be replaced now."))
        return redirect("register:application_detail", pk=application.pk)
    form = ReplaceRefereeForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda _data: references.reference_replace(
            reference=reference, applicant=request.user, referee=form.referee(reference.kind)
        ),
        refusal=RegisterError,
        then=lambda _new: redirect("register:application_detail", pk=application.pk),
        done=lambda new: (
            _("We have emailed %(name)s a request for a reference.") % {"name": new.name}
        ),
        template="register/practitioner/reference_replace.html",
        context={"reference": reference, "application": application},
    )


@login_required
@require_POST
def staff_reference_waive(request: HttpRequest, pk: int, reference_pk: int) -> HttpResponse:
    reference = access.get_reference_for_admin(request.user, pk, reference_pk)
    form = WaiveReferenceForm(request.POST, prefix=f"waive-{reference.pk}")
    if not form.is_valid():
        # The application page again, with this reference's form bound: the reason typed is kept.
        return staff.render_application(
            request, reference.application, waive_form=(reference.pk, form), status=400
        )
    waived = _("The reference is waived; the reason is in the audit trail.")
    with refusal_shown(request, success=waived):
        references.reference_waive(
            reference=reference, admin=request.user, reason=form.cleaned_data["reason"]
        )
    return redirect("register:staff_application", pk=reference.application_id)
