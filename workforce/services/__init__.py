"""Every change to organisations, teams, memberships, sharing and requirements goes through
these modules: ``organisations`` (organisations, teams, requirements, commissioners),
``memberships`` (memberships and invite links), ``sharing`` (what members share, and
who saw it), ``summaries`` (each practitioner's summary of their newest snapshot) and
``area`` (the background refresh of the area figures). Views, admin actions, commands
and tasks all call them, through this front door (README, "Architecture").
"""

from workforce.services.area import area_refresh_request, area_refresh_run
from workforce.services.memberships import (
    INVITE_MAX_DAYS,
    INVITE_SALT,
    invite_accept,
    invite_create,
    invite_revoke,
    invite_token,
    join_decide,
    join_request,
    membership_leave,
    membership_update,
)
from workforce.services.organisations import (
    commissioner_grant,
    commissioner_revoke,
    organisation_create,
    organisation_merge,
    organisation_verify,
    requirement_delete,
    requirement_set,
    team_create,
)
from workforce.services.sharing import (
    sharing_set,
    sharing_wording,
    statistics_set,
    statistics_wording,
    views_record,
)
from workforce.services.summaries import (
    statement_key,
    summaries_refresh_all,
    summary_build,
    summary_refresh,
)

__all__ = [
    "INVITE_MAX_DAYS",
    "INVITE_SALT",
    "area_refresh_request",
    "area_refresh_run",
    "commissioner_grant",
    "commissioner_revoke",
    "invite_accept",
    "invite_create",
    "invite_revoke",
    "invite_token",
    "join_decide",
    "join_request",
    "membership_leave",
    "membership_update",
    "organisation_create",
    "organisation_merge",
    "organisation_verify",
    "requirement_delete",
    "requirement_set",
    "sharing_set",
    "sharing_wording",
    "statement_key",
    "statistics_set",
    "statistics_wording",
    "summaries_refresh_all",
    "summary_build",
    "summary_refresh",
    "team_create",
    "views_record",
]
