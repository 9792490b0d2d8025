"""Who a user is to the application. One place, so views and middleware agree."""

REVIEWERS_GROUP = "Reviewers"
FRAMEWORK_EDITORS_GROUP = "Framework editors"


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


def requires_mfa(user) -> bool:
    """Reviewers and staff handle other people's sensitive data: they must use MFA."""
    return is_admin(user) or is_reviewer(user) or bool(user.is_authenticated and user.is_superuser)
