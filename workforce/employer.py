"""Who checks registrations for an employer: the rule this app gives the register.

The register's bulk check of registration numbers is for employers. Here an
employer is a team lead or organisation admin, in an active membership, of an
organisation AIMH UK staff have verified and that has not been merged into
another: someone who answers for a workforce, vouched for by staff. A member
of a team, or anyone in an organisation nobody has verified, is not.
"""

from __future__ import annotations

from workforce.models import Membership


def checks_registrations(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        role__in=(Membership.Role.TEAM_LEAD, Membership.Role.ORGANISATION_ADMIN),
        organisation__verified=True,
        organisation__merged_into__isnull=True,
    ).exists()
