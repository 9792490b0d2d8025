from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.roles import FRAMEWORK_EDITORS_GROUP, REVIEWERS_GROUP

# Framework editors change wording and the glossary; they cannot delete
# published material or touch people's data.
FRAMEWORK_EDITOR_PERMISSIONS = {
    "imhcf": [
        "view_frameworkversion",
        "change_frameworkversion",
        "add_frameworkversion",
        "view_domain",
        "change_domain",
        "view_level",
        "change_level",
        "view_competency",
        "change_competency",
        "add_competency",
        "view_statement",
        "change_statement",
        "add_statement",
        "view_glossaryterm",
        "change_glossaryterm",
        "add_glossaryterm",
        "view_wordingrevision",
    ],
}


@transaction.atomic
def ensure_role_groups() -> None:
    """Create the role groups with exactly their permissions. Safe to run repeatedly."""
    editors, _ = Group.objects.get_or_create(name=FRAMEWORK_EDITORS_GROUP)
    perms = []
    for app_label, codenames in FRAMEWORK_EDITOR_PERMISSIONS.items():
        perms += list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    editors.permissions.set(perms)
    Group.objects.get_or_create(name=REVIEWERS_GROUP)
