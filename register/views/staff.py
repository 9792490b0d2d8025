"""The admins' pages: every application, moderation, appeals, register entries.

Everything here sits under /staff/, where the middleware already insists on
MFA; the access helpers answer 404 to anyone who is not an admin.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from imhcf.http import chosen_round
from register import access, exports
from register.errors import RegisterError
from register.forms_references import WaiveReferenceForm
from register.forms_review import (
    ENTRY_ACTION_FORMS,
    AppealDecisionForm,
    ApplicationFilterForm,
    EntrySearchForm,
    ModerationForm,
)
from register.models import Application, Reference, RegisterEntry
from register.selectors import references as reference_selectors
from register.selectors import staff as staff_selectors
from register.services import concerns, entries, reviewing
from register.views.actions import action_forms
from selfassess.models import region_label

ENTRY_ACTION_DONE = {
    "suspend": gettext_lazy(
        "The entry is suspended and the restriction is shown on the public register."
    ),
    "remove": gettext_lazy("The entry is removed from the public register."),
    "reinstate": gettext_lazy("The entry is reinstated."),
    "readmit": gettext_lazy("The practitioner may apply again."),
}


def _refused(request: HttpRequest, exc: RegisterError, to: str, pk: int) -> HttpResponse:
    """The service refused because of the record's state (it moved on, or this admin
    reviewed it): the page is shown afresh, as it now stands, with the reason."""
    messages.error(request, str(exc))
    return redirect(to, pk=pk)


# --- Applications -------------------------------------------------------------------------


@login_required
@require_safe
def staff_applications(request: HttpRequest) -> HttpResponse:
    access.require_admin(request.user)
    form = ApplicationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    counts = staff_selectors.status_counts()
    return render(
        request,
        "register/staff/applications.html",
        {
            "form": form,
            "status": status,
            "page_obj": staff_selectors.staff_applications(status, request.GET.get("page", 1)),
            "status_summary": [
                (value, label, counts[value])
                for value, label in Application.Status.choices
                if counts.get(value)
            ],
        },
    )


def render_application(
    request: HttpRequest,
    application: Application,
    *,
    moderation_form: ModerationForm | None = None,
    appeal_form: AppealDecisionForm | None = None,
    waive_form: tuple[int, WaiveReferenceForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The staff page of one application; a refused form comes back bound, with what was typed."""
    refused_waive = dict([waive_form]) if waive_form else {}
    data = staff_selectors.staff_application(application, chosen_round(request, application.round))
    references = reference_selectors.for_staff(application)
    return render(
        request,
        "register/staff/application.html",
        {
            "application": application,
            "data": data,
            "dossier": data.dossier,
            "region_label": region_label(application.region),
            "moderation_form": moderation_form or ModerationForm(prefix="moderate"),
            "appeal_form": appeal_form or AppealDecisionForm(prefix="appeal"),
            "appeal_conflict": (
                reviewing.appeal_conflict(application, request.user)
                if application.status == Application.Status.APPEALED
                else None
            ),
            "staff_references": [
                (
                    reference,
                    refused_waive.get(reference.pk)
                    or WaiveReferenceForm(prefix=f"waive-{reference.pk}"),
                )
                for reference in references
            ],
            "references": [r for r in references if r.status == Reference.Status.RECEIVED],
        },
        status=status,
    )


@login_required
@require_safe
def staff_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_admin(request.user, pk)
    return render_application(request, application)


def _decide(request, application, form, decide, done: str, **forms) -> HttpResponse:
    """A staff decision on an application: ``decide()`` once the form is valid, then back to
    the application with ``done`` (which names the new status); the form again if not."""
    if not form.is_valid():
        return render_application(request, application, status=400, **forms)
    try:
        application = decide()
    except RegisterError as exc:
        return _refused(request, exc, "register:staff_application", application.pk)
    messages.success(request, done % {"status": application.get_status_display()})
    return redirect("register:staff_application", pk=application.pk)


@login_required
@require_POST
def staff_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_admin(request.user, pk)
    form = ModerationForm(request.POST, prefix="moderate")
    return _decide(
        request,
        application,
        form,
        lambda: reviewing.application_moderate(
            application=application,
            moderator=request.user,
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
        ),
        _("Decision recorded: the application is now “%(status)s”."),
        moderation_form=form,
    )


@login_required
@require_POST
def staff_appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_admin(request.user, pk)
    form = AppealDecisionForm(request.POST, prefix="appeal")
    return _decide(
        request,
        application,
        form,
        lambda: reviewing.appeal_decide(
            application=application,
            admin=request.user,
            upheld=form.upheld,
            reasons=form.cleaned_data["reasons"],
        ),
        _("Appeal decided: the application is now “%(status)s”."),
        appeal_form=form,
    )


@login_required
@require_safe
def staff_applications_csv(request: HttpRequest) -> HttpResponse:
    access.require_admin(request.user)
    form = ApplicationFilterForm(request.GET or None)
    return exports.applications_csv(form.cleaned_data["status"] if form.is_valid() else "")


@login_required
@require_safe
def staff_audit_csv(request: HttpRequest) -> HttpResponse:
    access.require_admin(request.user)
    return exports.audit_csv()


# --- Register entries ---------------------------------------------------------------------


@login_required
@require_safe
def staff_entries_csv(request: HttpRequest) -> HttpResponse:
    access.require_admin(request.user)
    _form, query, status = _entry_search(request)
    return exports.entries_csv(query, status)


def _entry_search(request: HttpRequest) -> tuple[EntrySearchForm, str, str]:
    """The entries search form, and the words and status it asks for (blank if it is not valid)."""
    form = EntrySearchForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["q"], form.cleaned_data["status"]
    return form, "", ""


@login_required
@require_safe
def staff_entries(request: HttpRequest) -> HttpResponse:
    access.require_admin(request.user)
    form, query, status = _entry_search(request)
    return render(
        request,
        "register/staff/entries.html",
        {
            "form": form,
            "query": query,
            "status": status,
            "page_obj": staff_selectors.staff_entries(query, status, request.GET.get("page", 1)),
        },
    )


def _render_entry(
    request: HttpRequest,
    entry: RegisterEntry,
    *,
    bound: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "register/staff/entry.html",
        {
            "entry": entry,
            "data": staff_selectors.staff_entry(entry),
            "forms": action_forms(ENTRY_ACTION_FORMS, bound),
            "open_action": next(iter(bound), "") if bound else "",
        },
        status=status,
    )


@login_required
@require_safe
def staff_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_entry_for_admin(request.user, pk)
    return _render_entry(request, entry)


@login_required
@require_POST
def staff_entry_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    entry = access.get_entry_for_admin(request.user, pk)
    form_class = ENTRY_ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "suspend":
                entries.entry_suspend(
                    entry=entry,
                    admin=request.user,
                    restriction=data["restriction"],
                    restriction_cy=data["restriction_cy"],
                    reason=data["reason"],
                )
            elif action == "remove":
                entries.entry_remove(entry=entry, admin=request.user, reason=data["reason"])
            elif action == "readmit":
                concerns.readmission_allow(entry=entry, admin=request.user, reason=data["reason"])
            else:
                entries.entry_reinstate(entry=entry, admin=request.user, reason=data["reason"])
        except RegisterError as exc:
            return _refused(request, exc, "register:staff_entry", pk)
        else:
            messages.success(request, ENTRY_ACTION_DONE[action])
            return redirect("register:staff_entry", pk=pk)
    return _render_entry(request, entry, bound={action: form}, status=400)
