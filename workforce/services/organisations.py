"""Writes about organisations, their teams, what each team requires, and commissioners.

Each checks the state it starts from and raises ``WorkforceError`` with a message for
the person.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Consent
from accounts.roles import COMMISSIONERS_GROUP
from accounts.services import consent_withdraw
from workforce.errors import WorkforceError
from workforce.models import (
    CommissionerScope,
    Membership,
    Organisation,
    RoleRequirement,
    Team,
)

R = Membership.Role
S = Membership.Status


# --- Organisations and teams -------------------------------------------------------


@transaction.atomic
def organisation_create(
    *, user, name: str, kind: str, nation: str, region: str, ods_code: str = ""
) -> Organisation:
    """A new organisation, not yet verified by staff, with ``user`` as its admin."""
    organisation = Organisation(
        name=name.strip(), kind=kind, nation=nation, region=region, ods_code=ods_code.strip()
    )
    organisation.full_clean()
    organisation.save()
    current = Membership.objects.filter(user=user, organisation=organisation).exclude(status=S.LEFT)
    if not current.exists():
        Membership.objects.create(
            user=user,
            organisation=organisation,
            role=R.ORGANISATION_ADMIN,
            status=S.ACTIVE,
            joined_at=timezone.now(),
        )
    return organisation


def team_create(*, organisation: Organisation, name: str) -> Team:
    name = name.strip()
    if not name:
        raise WorkforceError(_("Give the team a name."))
    if organisation.teams.filter(name__iexact=name).exists():
        raise WorkforceError(_("This organisation already has a team with that name."))
    return Team.objects.create(organisation=organisation, name=name)


def organisation_verify(*, organisation: Organisation) -> Organisation:
    if organisation.merged_into_id:
        raise WorkforceError(_("A merged organisation cannot be verified."))
    organisation.verified = True
    organisation.save(update_fields=["verified"])
    return organisation


@transaction.atomic
def organisation_merge(*, duplicate: Organisation, into: Organisation) -> Organisation:
    """Fold ``duplicate`` into ``into``: its teams, members and requests move across.

    Sharing does not move: each member agreed to share with the organisation
    they saw, so after a merge they choose again. Invite links of the duplicate
    stop working.
    """
    duplicate = Organisation.objects.select_for_update().get(pk=duplicate.pk)
    into = Organisation.objects.select_for_update().get(pk=into.pk)
    if duplicate.pk == into.pk:
        raise WorkforceError(_("An organisation cannot be merged into itself."))
    if duplicate.merged_into_id or into.merged_into_id:
        raise WorkforceError(_("One of these organisations has already been merged."))
    taken = {name.lower() for name in into.teams.values_list("name", flat=True)}
    for team in duplicate.teams.all():
        if team.name.lower() in taken:
            team.name = f"{team.name} ({duplicate.name})"[:120]
        team.organisation = into
        team.save(update_fields=["name", "organisation"])
    already = set(into.memberships.exclude(status=S.LEFT).values_list("user_id", flat=True))
    now = timezone.now()
    for membership in duplicate.memberships.exclude(status=S.LEFT):
        consent_withdraw(
            user=membership.user_id,
            purpose=Consent.Purpose.ORGANISATION_SHARING,
            scope=duplicate.consent_scope,
        )
        if membership.user_id in already:
            membership.status, membership.left_at = S.LEFT, now
            membership.save(update_fields=["status", "left_at"])
            continue
        membership.organisation = into
        membership.save(update_fields=["organisation"])
    duplicate.invites.filter(revoked_at__isnull=True).update(revoked_at=now)
    duplicate.merged_into = into
    duplicate.save(update_fields=["merged_into"])
    return into


# --- Requirements ----------------------------------------------------------------


@transaction.atomic
def requirement_set(
    *, team: Team, job_role: str, team_role: str, domains: Iterable[int], level: int
) -> list[RoleRequirement]:
    """Set the level for one kind of member in each of ``domains`` (replacing what was set)."""
    domains = sorted(set(domains))
    if not domains or not all(1 <= d <= 7 for d in domains):
        raise WorkforceError(_("Choose at least one domain."))
    if level not in (1, 2, 3):
        raise WorkforceError(_("Choose a level."))
    rows = []
    for number in domains:
        row, _created = RoleRequirement.objects.update_or_create(
            team=team,
            job_role=job_role,
            team_role=team_role,
            domain_number=number,
            defaults={"level": level},
        )
        rows.append(row)
    return rows


def requirement_delete(*, requirement: RoleRequirement) -> None:
    requirement.delete()


# --- Commissioners ----------------------------------------------------------------


@transaction.atomic
def commissioner_grant(*, user, nation: str, region: str = "") -> CommissionerScope:
    scope = CommissionerScope(user=user, nation=nation, region=region)
    scope.full_clean(validate_unique=False)
    scope, _created = CommissionerScope.objects.get_or_create(
        user=user, nation=nation, region=region
    )
    group, _c = Group.objects.get_or_create(name=COMMISSIONERS_GROUP)
    user.groups.add(group)
    return scope


@transaction.atomic
def commissioner_revoke(*, user) -> None:
    CommissionerScope.objects.filter(user=user).delete()
    user.groups.remove(*Group.objects.filter(name=COMMISSIONERS_GROUP))
