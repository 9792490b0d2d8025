"""Reads about what a team requires of its members, domain by domain."""

from __future__ import annotations

from imhcf.models import Domain
from workforce.models import (
    RoleRequirement,
    Team,
)

DOMAIN_NUMBERS = list(range(1, 8))


# --- Requirements -----------------------------------------------------------------


def required_levels(
    requirements: list[RoleRequirement], *, job_role: str, team_role: str, fallback: int | None
) -> dict[int, int]:
    """Domain -> level this member should reach: the highest matching requirement.

    Where the team sets nothing for a domain, the member's own aim stands in
    (``fallback``), so gaps still mean something.
    """
    levels: dict[int, int] = {}
    for req in requirements:
        if req.job_role not in ("", job_role) or req.team_role not in ("", team_role):
            continue
        levels[req.domain_number] = max(req.level, levels.get(req.domain_number, 0))
    for number in DOMAIN_NUMBERS:
        if number not in levels and fallback:
            levels[number] = fallback
    return levels


def requirements_of(team: Team) -> list[RoleRequirement]:
    return list(team.requirements.all())


def requirement_table(team: Team) -> list[RoleRequirement]:
    return list(team.requirements.order_by("job_role", "team_role", "domain_number"))


def team_domain_names() -> list[tuple[int, str]]:
    return list(
        Domain.objects.filter(version__status="published")
        .order_by("number")
        .values_list("number", "name")
    )
