"""Thin views: parse input, call one service or selector, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Consent
from accounts.roles import is_admin, is_commissioner
from accounts.selectors import consent_active
from workforce import access, exports, selectors, services, svg
from workforce.area import NATION_REGIONS, UK, area_refresh_request, geographies
from workforce.errors import WorkforceError
from workforce.forms import (
    InviteForm,
    MembershipForm,
    OrganisationForm,
    RequirementForm,
    SharingForm,
    StatisticsForm,
    TeamForm,
    group_choices,
)
from workforce.insight import InsightQuery, area_figures, geo_label
from workforce.models import DataView, Membership

# --- A member's own pages ------------------------------------------------------------


@login_required
@require_safe
def my_organisations(request: HttpRequest) -> HttpResponse:
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
    return render(
        request,
        "workforce/organisation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def join_request(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_joinable_organisation(pk)
    try:
        services.join_request(user=request.user, organisation=organisation)
    except WorkforceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("You have asked to join %(org)s. An admin there will approve or refuse.")
            % {"org": organisation.name},
        )
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
        try:
            services.membership_leave(membership=membership)
        except WorkforceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("You have left %(org)s. It can no longer see anything of yours.")
                % {"org": membership.organisation.name},
            )
        return redirect("workforce:mine")
    return render(request, "workforce/leave.html", {"membership": membership})


@login_required
@require_POST
def statistics(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    form = StatisticsForm(request.POST)
    form.is_valid()
    opt_in = bool(form.cleaned_data.get("opt_in"))
    with transaction.atomic():
        services.statistics_set(
            user=request.user, opt_in=opt_in, threshold=settings.IMHCF_DISCLOSURE_THRESHOLD
        )
        area_refresh_request()
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


# --- Team leads and organisation admins --------------------------------------------------


@login_required
@require_safe
def team_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workforce/team_list.html",
        {
            "teams": selectors.teams_led_by(request.user),
            "administered": selectors.organisations_administered_by(request.user),
        },
    )


def _team_overview_seen(request, team, what: str):
    overview = selectors.team_overview(team)
    services.views_record(
        viewer=request.user,
        subject_ids=[m.membership.user_id for m in overview.members],
        organisation=team.organisation,
        team=team,
        what=what,
    )
    return overview


@login_required
@require_safe
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = access.get_team_for_lead(request.user, pk)
    overview = _team_overview_seen(request, team, DataView.What.TEAM_PAGE)
    is_admin = access.is_organisation_admin(request.user, team.organisation_id)
    return render(
        request,
        "workforce/team_detail.html",
        {
            "team": team,
            "o": overview,
            "map_chart": svg.level_map(overview.map, overview.assessed_count),
            "trend_chart": svg.trend_line(overview.trend),
            "is_admin": is_admin,
            "requests": selectors.team_requests(team),
        },
    )


@login_required
@require_safe
def team_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    team = access.get_team_for_lead(request.user, pk)
    overview = _team_overview_seen(request, team, DataView.What.EXPORT)
    name = f"team-{team.pk}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.team_xlsx(overview),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.team_csv(overview), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_safe
def member_detail(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    team, membership, terms = access.get_shared_member(request.user, pk, membership_pk)
    return render(
        request,
        "workforce/member_detail.html",
        {"team": team, "shared": selectors.shared_member(membership, terms)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_invites(request: HttpRequest, pk: int) -> HttpResponse:
    team = access.get_team_for_lead(request.user, pk)
    is_admin = access.is_organisation_admin(request.user, team.organisation_id)
    form = InviteForm(
        request.POST or None, organisation=team.organisation, team=None if is_admin else team
    )
    if is_admin:
        form.fields["team"].initial = team.pk
    if request.method == "POST" and form.is_valid():
        try:
            invite = services.invite_create(
                organisation=team.organisation,
                team=form.cleaned_data.get("team", team) if is_admin else team,
                role=form.cleaned_data["role"],
                created_by=request.user,
                days=form.cleaned_data["days"],
            )
        except WorkforceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The invite link is ready. Copy it from the list below."))
            return redirect(
                reverse("workforce:team_invites", args=[team.pk]) + f"#invite-{invite.pk}"
            )
    invites = [(i, _invite_url(request, i)) for i in selectors.team_invites(team)]
    return render(
        request,
        "workforce/team_invites.html",
        {"team": team, "form": form, "invites": invites, "now": timezone.now()},
        status=400 if form.errors else 200,
    )


def _invite_url(request, invite) -> str:
    return request.build_absolute_uri(
        reverse("workforce:invite_accept", args=[services.invite_token(invite)])
    )


@login_required
@require_POST
def invite_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invite = access.get_invite_for_manager(request.user, pk)
    services.invite_revoke(invite=invite)
    messages.success(request, _("The invite link no longer works."))
    if invite.team_id:
        return redirect("workforce:team_invites", pk=invite.team_id)
    return redirect("workforce:organisation_admin", pk=invite.organisation_id)


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_manager(request.user, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.join_decide(membership=membership, approve=approve)
    except WorkforceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            (_("%(name)s is now a member.") if approve else _("%(name)s's request was refused."))
            % {"name": membership.user},
        )
    return redirect(
        (
            request.POST.get("back") == "team"
            and membership.team_id
            and reverse("workforce:team_detail", args=[membership.team_id])
        )
        or reverse("workforce:organisation_admin", args=[membership.organisation_id])
    )


@login_required
@require_POST
def membership_update(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_manager(request.user, pk)
    if not access.is_organisation_admin(request.user, membership.organisation_id):
        raise Http404
    if request.POST.get("remove"):
        services.membership_leave(membership=membership)
        messages.success(request, _("%(name)s was removed.") % {"name": membership.user})
    else:
        form = MembershipForm(request.POST, organisation=membership.organisation)
        if form.is_valid():
            try:
                services.membership_update(membership=membership, **form.cleaned_data)
            except WorkforceError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Saved."))
        else:
            messages.error(request, _("Choose a team and a role."))
    return redirect("workforce:organisation_admin", pk=membership.organisation_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_admin(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_organisation_for_admin(request.user, pk)
    team_form = TeamForm(request.POST or None, prefix="team")
    if request.method == "POST" and team_form.is_valid():
        try:
            team = services.team_create(
                organisation=organisation, name=team_form.cleaned_data["name"]
            )
        except WorkforceError as exc:
            team_form.add_error("name", str(exc))
        else:
            messages.success(request, _("Team %(name)s added.") % {"name": team.name})
            return redirect("workforce:organisation_admin", pk=organisation.pk)
    page = selectors.organisation_admin_page(organisation)
    return render(
        request,
        "workforce/organisation_admin.html",
        {
            "page": page,
            "team_form": team_form,
            "member_forms": [
                (
                    m,
                    MembershipForm(
                        initial={"team": m.team_id, "role": m.role},
                        organisation=organisation,
                        prefix=f"m{m.pk}",
                    ),
                )
                for m in page.members
            ],
            "role_choices": Membership.Role.choices,
        },
        status=400 if team_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def requirements(request: HttpRequest, pk: int) -> HttpResponse:
    team = access.get_team_for_admin(request.user, pk)
    overview_domains = dict(selectors.team_domain_names())
    form = RequirementForm(request.POST or None, domain_names=overview_domains)
    if request.method == "POST" and form.is_valid():
        try:
            services.requirement_set(team=team, **form.cleaned_data)
        except WorkforceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Requirement saved."))
            return redirect("workforce:requirements", pk=team.pk)
    return render(
        request,
        "workforce/requirements.html",
        {
            "team": team,
            "form": form,
            "table": selectors.requirement_table(team),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def requirement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = access.get_requirement_for_admin(request.user, pk)
    team_id = requirement.team_id
    services.requirement_delete(requirement=requirement)
    messages.success(request, _("Requirement removed."))
    return redirect("workforce:requirements", pk=team_id)


# --- Area insight ---------------------------------------------------------------------


def _insight(request: HttpRequest):
    scope = access.insight_scope(request.user)
    if scope is None:
        raise Http404
    may_group, allowed = scope
    ordered = [g for g in geographies() if g in allowed]
    geo = request.GET.get("geo") or (UK if UK in allowed else ordered[0])
    if geo not in allowed:
        geo = ordered[0]
    dim = value = ""
    group = request.GET.get("group", "") if may_group else ""
    if group:
        dim, _sep, value = group.partition(":")
        valid = {v for _h, opts in group_choices()[1:] for v, _l in opts}
        if group not in valid:
            dim = value = group = ""
    labels = {v: label for _h, opts in group_choices()[1:] for v, label in opts}
    group_label = str(labels.get(group, _("Everyone")))
    geo_choices = []
    for g in ordered:
        depth = 0 if g == UK else (1 if g in NATION_REGIONS else 2)
        geo_choices.append((g, "\u2003" * depth + str(geo_label(g))))
    figures = area_figures(InsightQuery(geo, dim, value))
    return figures, group_label, geo_choices, may_group, group


@require_safe
def insight(request: HttpRequest) -> HttpResponse:
    figures, group_label, geo_choices, may_group, group = _insight(request)
    return render(
        request,
        "workforce/insight.html",
        {
            "f": figures,
            "group_label": group_label,
            "geo_choices": geo_choices,
            "group_choices": group_choices() if may_group else None,
            "group": group,
            "trend_chart": svg.insight_trend(figures),
            "query_string": request.GET.urlencode(),
            "area_label": geo_label(figures.query.geo),
        },
    )


@require_safe
def insight_download(request: HttpRequest, fmt: str) -> HttpResponse:
    figures, group_label, *_rest = _insight(request)
    if fmt == "json":
        response = HttpResponse(
            exports.area_json(figures, group_label), content_type="application/json"
        )
    else:
        response = HttpResponse(
            exports.area_csv(figures, group_label), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="area-insight.{fmt}"'
    return response
