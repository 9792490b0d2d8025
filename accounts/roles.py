"""Who a user is to the application. One place, so views and middleware agree."""

from collections.abc import Callable

REVIEWERS_GROUP = "Reviewers"
FRAMEWORK_EDITORS_GROUP = "Framework editors"
# Staff grant it, with the nations or regions each commissioner may see.
COMMISSIONERS_GROUP = "Commissioners"

# Later apps name more people who see others' data (team leads, organisation
# admins): accounts sits below them and cannot ask them directly.
_mfa_rules: list[Callable[[object], bool]] = []


def provide_mfa_rule(rule: Callable[[object], bool]) -> Callable[[object], bool]:
    """Add a test for "this person sees other people's data, so must use MFA"."""
    if rule not in _mfa_rules:
        _mfa_rules.append(rule)
    return rule


def _group_names(user) -> set[str]:
    # Cached on the instance: role checks run several times per request.
    cached = getattr(user, "_imhcf_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.pk else set()
        user._imhcf_group_names = cached
    return cached


def is_reviewer(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    # Loaded with the user row by accounts.backends when the user comes from the session.
    preloaded = getattr(user, "in_reviewers_group", None)
    if preloaded is not None:
        return preloaded
    return REVIEWERS_GROUP in _group_names(user)


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_commissioner(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return COMMISSIONERS_GROUP in _group_names(user)


def requires_mfa(user) -> bool:
    """Whoever sees other people's data must use MFA.

    Reviewers, staff and commissioners here; team leads and organisation
    admins through the rules later apps provide.
    """
    if is_admin(user) or is_reviewer(user) or bool(user.is_authenticated and user.is_superuser):
        return True
    if is_commissioner(user):
        return True
    return bool(user.is_authenticated) and any(rule(user) for rule in _mfa_rules)
