"""Writes about memberships and invite links.

A membership changes state only through ``_membership_transition``, which locks the row
and refuses a change its current state does not allow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Consent
from accounts.services import consent_withdraw
from workforce.errors import WorkforceError
from workforce.models import (
    Invite,
    Membership,
    Organisation,
    Team,
)

INVITE_SALT = "workforce.invites"
INVITE_MAX_DAYS = 30

R = Membership.Role
S = Membership.Status


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
