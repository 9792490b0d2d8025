"""Writes about organisations, teams, memberships, sharing and requirements.

Views, admin actions, commands and tasks all call these. Each checks the state
it starts from and raises ``WorkforceError`` with a message for the person.
A membership changes state only through ``_membership_transition``, which
locks the row and refuses a change its current state does not allow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Consent
from accounts.roles import COMMISSIONERS_GROUP
from accounts.services import consent_give, consent_withdraw
from workforce.errors import WorkforceError
from workforce.models import (
    CommissionerScope,
    DataView,
    Invite,
    Membership,
    Organisation,
    RoleRequirement,
    Team,
)

INVITE_SALT = "workforce.invites"
INVITE_MAX_DAYS = 30

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


# --- Memberships -----------------------------------------------------------------


def _membership_transition(
    membership_id: int, allowed: Iterable[str], effect: Callable[[Membership], None]
) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership_id)
        if membership.status not in set(allowed):
            raise WorkforceError(
                _("This has already changed (the membership is now “%(state)s”). Reload the page.")
                % {"state": membership.get_status_display()}
            )
        effect(membership)
        membership.save()
    return membership


def _current_membership(user, organisation: Organisation) -> Membership | None:
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .exclude(status=S.LEFT)
        .first()
    )


def join_request(*, user, organisation: Organisation, team: Team | None = None) -> Membership:
    """Ask to join; an admin (or the team's lead) approves or refuses."""
    if organisation.merged_into_id:
        raise WorkforceError(_("This organisation has been merged into another."))
    if team is not None and team.organisation_id != organisation.pk:
        raise WorkforceError(_("Choose a team in this organisation."))
    current = _current_membership(user, organisation)
    if current is not None:
        message = (
            _("You are already a member of %(org)s.")
            if current.is_active
            else _("You have already asked to join %(org)s.")
        )
        raise WorkforceError(message % {"org": organisation.name})
    try:
        with transaction.atomic():
            return Membership.objects.create(
                user=user, organisation=organisation, team=team, status=S.REQUESTED
            )
    except IntegrityError as exc:  # a double click: the first request stands
        raise WorkforceError(
            _("You have already asked to join %(org)s.") % {"org": organisation.name}
        ) from exc


def join_decide(*, membership: Membership, approve: bool) -> Membership:
    def effect(m: Membership) -> None:
        now = timezone.now()
        if approve:
            m.status, m.joined_at = S.ACTIVE, now
        else:
            m.status, m.left_at = S.LEFT, now

    return _membership_transition(membership.pk, {S.REQUESTED}, effect)


def membership_leave(*, membership: Membership) -> Membership:
    """Leave (or be removed); sharing with the organisation stops at the same moment."""

    def effect(m: Membership) -> None:
        m.status, m.left_at = S.LEFT, timezone.now()
        consent_withdraw(
            user=m.user_id,
            purpose=Consent.Purpose.ORGANISATION_SHARING,
            scope=f"organisation:{m.organisation_id}",
        )

    return _membership_transition(membership.pk, {S.REQUESTED, S.ACTIVE}, effect)


def membership_update(*, membership: Membership, team: Team | None, role: str) -> Membership:
    if team is not None and team.organisation_id != membership.organisation_id:
        raise WorkforceError(_("Choose a team in this organisation."))
    if role not in R.values:
        raise WorkforceError(_("Choose a role."))
    if role == R.TEAM_LEAD and team is None:
        raise WorkforceError(_("A team lead must be in a team."))

    def effect(m: Membership) -> None:
        m.team, m.role = team, role

    return _membership_transition(membership.pk, {S.ACTIVE, S.REQUESTED}, effect)


# --- Invite links ----------------------------------------------------------------


def invite_create(
    *, organisation: Organisation, team: Team | None, role: str, created_by, days: int = 14
) -> Invite:
    if team is not None and team.organisation_id != organisation.pk:
        raise WorkforceError(_("Choose a team in this organisation."))
    if role not in (R.MEMBER, R.TEAM_LEAD):
        raise WorkforceError(_("An invite link can make people members or team leads."))
    if role == R.TEAM_LEAD and team is None:
        raise WorkforceError(_("A team lead must be in a team."))
    if not 1 <= days <= INVITE_MAX_DAYS:
        raise WorkforceError(
            _("An invite link can last from 1 to %(n)s days.") % {"n": INVITE_MAX_DAYS}
        )
    return Invite.objects.create(
        organisation=organisation,
        team=team,
        role=role,
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=days),
    )


def invite_token(invite: Invite) -> str:
    """The signed part of the invite link: the row's id, which nobody can forge."""
    return signing.dumps(invite.pk, salt=INVITE_SALT)


def invite_revoke(*, invite: Invite) -> Invite:
    if invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
    return invite


@transaction.atomic
def invite_accept(*, invite: Invite, user) -> Membership:
    """Join through a link that the caller has already checked is valid."""
    invite = Invite.objects.select_for_update().get(pk=invite.pk)
    if invite.revoked_at or invite.expires_at <= timezone.now():
        raise WorkforceError(_("This invite link has expired or been withdrawn."))
    organisation = invite.organisation
    current = (
        Membership.objects.select_for_update()
        .filter(user=user, organisation=organisation)
        .exclude(status=S.LEFT)
        .first()
    )
    now = timezone.now()
    if current is not None and current.is_active:
        raise WorkforceError(_("You are already a member of %(org)s.") % {"org": organisation.name})
    if current is None:
        current = Membership(user=user, organisation=organisation)
    current.team, current.role, current.invite = invite.team, invite.role, invite
    current.status, current.joined_at = S.ACTIVE, now
    current.save()
    Invite.objects.filter(pk=invite.pk).update(used_count=F("used_count") + 1)
    return current


# --- Sharing ---------------------------------------------------------------------


def sharing_wording(organisation: Organisation, *, assessment: bool, cpd: bool) -> str:
    parts = []
    if assessment:
        parts.append(
            _("my self-assessment summary (levels per domain and each statement's rating)")
        )
    if cpd:
        parts.append(_("my CPD hours by domain and kind"))
    return _(
        "I let the team leads and admins of %(org)s see %(what)s. They never see my evidence "
        "files, reflections or notes. I can stop this at any time."
    ) % {"org": organisation.name, "what": _(" and ").join(parts)}


def sharing_set(*, membership: Membership, assessment: bool, cpd: bool) -> Consent | None:
    """Share what the member chose with their organisation, or stop sharing (neither)."""
    if not membership.is_active:
        raise WorkforceError(_("Only members can share with an organisation."))
    organisation = membership.organisation
    if not (assessment or cpd):
        consent_withdraw(
            user=membership.user,
            purpose=Consent.Purpose.ORGANISATION_SHARING,
            scope=organisation.consent_scope,
        )
        return None
    return consent_give(
        user=membership.user,
        purpose=Consent.Purpose.ORGANISATION_SHARING,
        scope=organisation.consent_scope,
        terms={"assessment": assessment, "cpd": cpd},
        wording=sharing_wording(organisation, assessment=assessment, cpd=cpd),
    )


def statistics_wording() -> str:
    return _(
        "Count my self-assessment, anonymously, in workforce figures for my nation and region. "
        "Nobody sees my name or my answers, and groups of fewer than %(n)s people are never "
        "shown. I can stop this at any time."
    )


def statistics_set(*, user, opt_in: bool, threshold: int) -> Consent | None:
    if not opt_in:
        consent_withdraw(user=user, purpose=Consent.Purpose.ANONYMISED_STATISTICS)
        return None
    return consent_give(
        user=user,
        purpose=Consent.Purpose.ANONYMISED_STATISTICS,
        wording=statistics_wording() % {"n": threshold},
    )


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


# --- Views of shared data --------------------------------------------------------


def views_record(
    *, viewer, subject_ids: Iterable[int], organisation: Organisation, team: Team | None, what: str
) -> int:
    """Note that ``viewer`` saw the shared data of each of ``subject_ids``: one query."""
    rows = [
        DataView(
            viewer=viewer,
            viewer_name=viewer.get_full_name() or viewer.email,
            subject_id=subject_id,
            organisation=organisation,
            team=team,
            what=what,
        )
        for subject_id in subject_ids
    ]
    DataView.objects.bulk_create(rows)
    return len(rows)


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
