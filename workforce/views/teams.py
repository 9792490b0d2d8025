"""Pages for team leads and organisation admins (under /teams/, where MFA is required)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from imhcf.http import form_page, refusal_shown
from workforce import access, exports, selectors, services, svg
from workforce.errors import WorkforceError
from workforce.forms import (
    InviteForm,
    MembershipForm,
    RequirementForm,
    TeamForm,
)
from workforce.models import DataView, Membership

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
    return form_page(
        request,
        form,
        lambda data: services.invite_create(
            organisation=team.organisation,
            team=data.get("team", team) if is_admin else team,
            role=data["role"],
            created_by=request.user,
            days=data["days"],
        ),
        refusal=WorkforceError,
        then=lambda invite: redirect(
            reverse("workforce:team_invites", args=[team.pk]) + f"#invite-{invite.pk}"
        ),
        done=_("The invite link is ready. Copy it from the list below."),
        template="workforce/team_invites.html",
        context=lambda: {
            "team": team,
            "invites": [(i, _invite_url(request, i)) for i in selectors.team_invites(team)],
            "now": timezone.now(),
        },
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
    decided = (
        _("%(name)s is now a member.") if approve else _("%(name)s's request was refused.")
    ) % {"name": membership.user}
    with refusal_shown(request, refusal=WorkforceError, success=decided):
        services.join_decide(membership=membership, approve=approve)
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
            with refusal_shown(request, refusal=WorkforceError, success=_("Saved.")):
                services.membership_update(membership=membership, **form.cleaned_data)
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
    return form_page(
        request,
        RequirementForm(request.POST or None, domain_names=overview_domains),
        lambda data: services.requirement_set(team=team, **data),
        refusal=WorkforceError,
        then=lambda _result: redirect("workforce:requirements", pk=team.pk),
        done=_("Requirement saved."),
        template="workforce/requirements.html",
        context=lambda: {"team": team, "table": selectors.requirement_table(team)},
    )


@login_required
@require_POST
def requirement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = access.get_requirement_for_admin(request.user, pk)
    team_id = requirement.team_id
    services.requirement_delete(requirement=requirement)
    messages.success(request, _("Requirement removed."))
    return redirect("workforce:requirements", pk=team_id)
