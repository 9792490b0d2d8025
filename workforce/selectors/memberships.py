"""Reads about who belongs where: memberships, requests, invites, and who saw a
person's shared data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from accounts.models import Consent
from workforce.models import (
    DataView,
    Invite,
    Membership,
    Organisation,
    Team,
)

S = Membership.Status
R = Membership.Role


# --- Who belongs where ------------------------------------------------------------


def memberships_of(user) -> list[Membership]:
    """The person's current memberships and requests, with their organisation and team."""
    return list(
        Membership.objects.filter(user=user)
        .exclude(status=S.LEFT)
        .select_related("organisation", "team")
        .order_by("organisation__name", "pk")
    )


def sharing_terms_of(user) -> dict[str, dict]:
    """Consent scope -> what the person shares with that organisation now."""
    return dict(
        Consent.objects.filter(
            user=user, purpose=Consent.Purpose.ORGANISATION_SHARING, withdrawn_at__isnull=True
        ).values_list("scope", "terms")
    )


def organisations_to_join(user, query: str = "") -> list[Organisation]:
    mine = Membership.objects.filter(user=user).exclude(status=S.LEFT).values("organisation_id")
    qs = Organisation.objects.filter(merged_into__isnull=True).exclude(pk__in=mine)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(ods_code__iexact=query))
    return list(qs.order_by("-verified", "name")[:50])


def teams_led_by(user) -> list[Team]:
    """Teams the person leads, and every team of organisations they administer."""
    active = Membership.objects.filter(user=user, status=S.ACTIVE)
    return list(
        Team.objects.filter(
            Q(pk__in=active.filter(role=R.TEAM_LEAD).values("team_id"))
            | Q(organisation__in=active.filter(role=R.ORGANISATION_ADMIN).values("organisation_id"))
        )
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def organisations_administered_by(user) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__status=S.ACTIVE,
            memberships__role=R.ORGANISATION_ADMIN,
        ).order_by("name")
    )


def holds_lead_role(user) -> bool:
    """Team leads and organisation admins see others' shared data (so must use MFA)."""
    return Membership.objects.filter(
        user=user, status=S.ACTIVE, role__in=(R.TEAM_LEAD, R.ORGANISATION_ADMIN)
    ).exists()


@dataclass
class OrganisationAdminPage:
    organisation: Organisation
    teams: list[Team]
    members: list[Membership]
    requests: list[Membership]
    invites: list[Invite]


def organisation_admin_page(organisation: Organisation) -> OrganisationAdminPage:
    memberships = list(
        organisation.memberships.exclude(status=S.LEFT)
        .select_related("user", "team")
        .order_by("user__full_name", "pk")
    )
    return OrganisationAdminPage(
        organisation=organisation,
        teams=list(organisation.teams.all()),
        members=[m for m in memberships if m.status == S.ACTIVE],
        requests=[m for m in memberships if m.status == S.REQUESTED],
        invites=list(organisation.invites.select_related("team").order_by("-created_at")[:50]),
    )


def team_requests(team: Team) -> list[Membership]:
    return list(team.memberships.filter(status=S.REQUESTED).select_related("user").order_by("pk"))


def team_invites(team: Team) -> list[Invite]:
    return list(team.invites.order_by("-created_at")[:20])


def views_of(user, limit: int = 200) -> list[DataView]:
    """Who has seen the person's shared data, newest first."""
    return list(
        DataView.objects.filter(subject=user).select_related("organisation", "team")[:limit]
    )
