"""A member's own pages: their organisations, joining, sharing, leaving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Consent
from accounts.roles import is_admin, is_commissioner
from accounts.selectors import consent_active
from imhcf.http import form_rendered, refusal_shown
from workforce import access, selectors, services
from workforce.errors import WorkforceError
from workforce.forms import (
    OrganisationForm,
    SharingForm,
    StatisticsForm,
)

# --- A member's own pages ------------------------------------------------------------


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    memberships = selectors.memberships_of(request.user)
    terms = selectors.sharing_terms_of(request.user)
    rows = [(m, terms.get(m.organisation.consent_scope) or {}) for m in memberships]
    return render(
        request,
        "workforce/my_organisations.html",
        {
            "rows": rows,
            "statistics": consent_active(request.user, Consent.Purpose.ANONYMISED_STATISTICS),
            "query": query,
            "found": selectors.organisations_to_join(request.user, query) if query else [],
            "teams_led": selectors.teams_led_by(request.user),
            "administered": selectors.organisations_administered_by(request.user),
            "commissioner": is_commissioner(request.user) or is_admin(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request,
                _("%(org)s is set up, with you as its admin. Staff will verify it.")
                % {"org": organisation.name},
            )
            return redirect("workforce:organisation_admin", pk=organisation.pk)
    return form_rendered(request, "workforce/organisation_form.html", {"form": form})


@login_required
@require_POST
def join_request(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_joinable_organisation(pk)
    asked = _("You have asked to join %(org)s. An admin there will approve or refuse.") % {
        "org": organisation.name
    }
    with refusal_shown(request, refusal=WorkforceError, success=asked):
        services.join_request(user=request.user, organisation=organisation)
    return redirect("workforce:mine")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    invite = access.get_invite_by_token(token)
    if request.method == "POST":
        try:
            membership = services.invite_accept(invite=invite, user=request.user)
        except WorkforceError as exc:
            messages.error(request, str(exc))
            return redirect("workforce:mine")
        messages.success(
            request,
            _("You have joined %(org)s. Choose below what, if anything, it may see.")
            % {"org": invite.organisation.name},
        )
        return redirect("workforce:sharing", pk=membership.pk)
    return render(request, "workforce/invite_accept.html", {"invite": invite})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_own_membership(request.user, pk)
    if not membership.is_active:
        raise Http404
    current = consent_active(
        request.user, Consent.Purpose.ORGANISATION_SHARING, membership.organisation.consent_scope
    )
    terms = current.terms if current else {}
    form = SharingForm(
        request.POST or None,
        initial={"assessment": terms.get("assessment"), "cpd": terms.get("cpd")},
    )
    if request.method == "POST" and form.is_valid():
        consent = services.sharing_set(membership=membership, **form.cleaned_data)
        if consent is None:
            messages.success(
                request,
                _("%(org)s can no longer see anything of yours. This took effect now.")
                % {"org": membership.organisation.name},
            )
        else:
            messages.success(request, _("Saved. %(wording)s") % {"wording": consent.wording})
        return redirect("workforce:mine")
    return render(
        request,
        "workforce/sharing.html",
        {"membership": membership, "form": form, "current": current},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_own_membership(request.user, pk)
    if request.method == "POST":
        left = _("You have left %(org)s. It can no longer see anything of yours.") % {
            "org": membership.organisation.name
        }
        with refusal_shown(request, refusal=WorkforceError, success=left):
            services.membership_leave(membership=membership)
        return redirect("workforce:mine")
    return render(request, "workforce/leave.html", {"membership": membership})


@login_required
@require_POST
def statistics(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.POST)
    form.is_valid()
    opt_in = bool(form.cleaned_data.get("opt_in"))
    services.statistics_set(user=request.user, opt_in=opt_in)
    messages.success(
        request,
        _("You are counted in anonymised workforce figures from their next update.")
        if opt_in
        else _("You are no longer counted; the figures drop you at their next update."),
    )
    return redirect("workforce:mine")


@login_required
@require_safe
def seen(request: HttpRequest) -> HttpResponse:
    return render(request, "workforce/seen.html", {"views": selectors.views_of(request.user)})
