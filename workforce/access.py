"""Fetch-and-authorise, one helper per resource; anyone who may not see it gets 404.

Leads and admins see a member's data only through ``get_shared_member``, which
checks the member's consent as it stands at that moment and records the view.
"""

from __future__ import annotations

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Consent
from accounts.roles import is_admin, is_commissioner
from imhcf.forms_text import parse_id
from workforce import services
from workforce.models import (
    CommissionerScope,
    DataView,
    Invite,
    Membership,
    Organisation,
    RoleRequirement,
    Team,
)

S = Membership.Status
R = Membership.Role


def _pk(value) -> int:
    """An id from the URL, or 404 for one no row can have (a foreign-key lookup is not
    range-checked by Django)."""
    pk = parse_id(value)
    if not pk:
        raise Http404
    return pk


def _active(user):
    return Membership.objects.filter(user=user, status=S.ACTIVE)


def is_organisation_admin(user, organisation_id: int) -> bool:
    return _active(user).filter(organisation_id=organisation_id, role=R.ORGANISATION_ADMIN).exists()


def get_team_for_lead(user, pk: int) -> Team:
    """A team the user leads, or any team of an organisation the user administers."""
    team = get_object_or_404(Team.objects.select_related("organisation"), pk=_pk(pk))
    active = _active(user)
    leads = active.filter(team=team, role=R.TEAM_LEAD).exists()
    if not (leads or is_organisation_admin(user, team.organisation_id)):
        raise Http404
    return team


def get_team_for_admin(user, pk: int) -> Team:
    team = get_object_or_404(Team.objects.select_related("organisation"), pk=_pk(pk))
    if not is_organisation_admin(user, team.organisation_id):
        raise Http404
    return team


def get_organisation_for_admin(user, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=_pk(pk), merged_into__isnull=True)
    if not is_organisation_admin(user, organisation.pk):
        raise Http404
    return organisation


def get_joinable_organisation(pk: int) -> Organisation:
    return get_object_or_404(Organisation, pk=_pk(pk), merged_into__isnull=True)


def get_own_membership(user, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("organisation", "team").exclude(status=S.LEFT),
        pk=_pk(pk),
        user=user,
    )


def get_membership_for_manager(user, pk: int) -> Membership:
    """A membership (or request) an admin of its organisation, or its team's lead, may decide."""
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "team", "user").exclude(status=S.LEFT),
        pk=_pk(pk),
    )
    if is_organisation_admin(user, membership.organisation_id):
        return membership
    if (
        membership.team_id
        and _active(user).filter(team_id=membership.team_id, role=R.TEAM_LEAD).exists()
        and membership.role == R.MEMBER
    ):
        return membership
    raise Http404


def get_invite_for_manager(user, pk: int) -> Invite:
    invite = get_object_or_404(Invite.objects.select_related("organisation", "team"), pk=_pk(pk))
    if is_organisation_admin(user, invite.organisation_id):
        return invite
    if invite.team_id and _active(user).filter(team_id=invite.team_id, role=R.TEAM_LEAD).exists():
        return invite
    raise Http404


def get_requirement_for_admin(user, pk: int) -> RoleRequirement:
    requirement = get_object_or_404(RoleRequirement.objects.select_related("team"), pk=_pk(pk))
    if not is_organisation_admin(user, requirement.team.organisation_id):
        raise Http404
    return requirement


def get_invite_by_token(token: str) -> Invite:
    """The invite a link names, if the link is genuine, unexpired and not revoked; else 404."""
    try:
        pk = signing.loads(
            token, salt=services.INVITE_SALT, max_age=services.INVITE_MAX_DAYS * 24 * 3600
        )
    except signing.BadSignature:
        raise Http404 from None
    if not isinstance(pk, int):
        raise Http404
    return get_object_or_404(
        Invite.objects.select_related("organisation", "team"),
        pk=_pk(pk),
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        organisation__merged_into__isnull=True,
    )


def get_shared_member(user, team_pk: int, membership_pk: int) -> tuple[Team, Membership, dict]:
    """A member of a team the user leads, with what they share now; the view is recorded.

    A member who does not share (or has just withdrawn) is, to the lead, not there: 404.
    """
    team = get_team_for_lead(user, _pk(team_pk))
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=_pk(membership_pk), team=team, status=S.ACTIVE
    )
    consent = Consent.objects.filter(
        user_id=membership.user_id,
        purpose=Consent.Purpose.ORGANISATION_SHARING,
        scope=team.organisation.consent_scope,
        withdrawn_at__isnull=True,
    ).first()
    terms = consent.terms if consent else {}
    if not (terms.get("assessment") or terms.get("cpd")):
        raise Http404
    services.views_record(
        viewer=user,
        subject_ids=[membership.user_id],
        organisation=team.organisation,
        team=team,
        what=DataView.What.MEMBER_PAGE,
    )
    return team, membership, terms


def insight_scope(user) -> tuple[bool, set[str]] | None:
    """Who may see area insight, and where: (may break down by group, geographies).

    Staff see everything; commissioners their nations and regions (a nation
    brings its regions); when the regional summary is public, everyone else
    sees every geography without groups. None means not at all.
    """
    from django.conf import settings

    from workforce.area import NATION_REGIONS, geographies

    if is_admin(user):
        return True, set(geographies())
    if is_commissioner(user):
        geos: set[str] = set()
        for nation, region in CommissionerScope.objects.filter(user=user).values_list(
            "nation", "region"
        ):
            if region:
                geos.add(region)
            else:
                geos.add(nation)
                geos.update(NATION_REGIONS.get(nation, []))
        if geos:
            return True, geos
    if settings.IMHCF_INSIGHT_PUBLIC:
        return False, set(geographies())
    return None
