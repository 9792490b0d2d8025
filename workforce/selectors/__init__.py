"""Reads about organisations, teams and what members share: ``memberships`` (who belongs
where), ``requirements`` (what a team requires), ``team`` (the team page) and ``shared``
(one member's shared data). This is their front door (README, "Architecture").
"""

from workforce.selectors.memberships import (
    OrganisationAdminPage,
    holds_lead_role,
    memberships_of,
    organisation_admin_page,
    organisations_administered_by,
    organisations_to_join,
    sharing_terms_of,
    team_invites,
    team_requests,
    teams_led_by,
    views_of,
)
from workforce.selectors.requirements import (
    DOMAIN_NUMBERS,
    required_levels,
    requirement_table,
    requirements_of,
    team_domain_names,
)
from workforce.selectors.shared import (
    SharedCpd,
    SharedMember,
    shared_member,
)
from workforce.selectors.team import (
    CPD_MONTHS,
    LEVELS,
    MemberRow,
    Need,
    TeamOverview,
    TrendPoint,
    team_overview,
)

__all__ = [
    "CPD_MONTHS",
    "DOMAIN_NUMBERS",
    "LEVELS",
    "MemberRow",
    "Need",
    "OrganisationAdminPage",
    "SharedCpd",
    "SharedMember",
    "TeamOverview",
    "TrendPoint",
    "holds_lead_role",
    "memberships_of",
    "organisation_admin_page",
    "organisations_administered_by",
    "organisations_to_join",
    "required_levels",
    "requirement_table",
    "requirements_of",
    "shared_member",
    "sharing_terms_of",
    "team_domain_names",
    "team_invites",
    "team_overview",
    "team_requests",
    "teams_led_by",
    "views_of",
]
