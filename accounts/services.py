from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from accounts.models import Consent
from accounts.roles import COMMISSIONERS_GROUP, FRAMEWORK_EDITORS_GROUP, REVIEWERS_GROUP

# Framework editors change wording and the glossary; they cannot touch
# people's data. The delete permissions only ever apply inside a draft: the
# admin and imhcf.services refuse to remove anything from a published or
# retired version. "add_frameworkversion" lets them start a draft and
# "change_frameworkversion" lets them publish or discard one.
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
        "delete_competency",
        "view_statement",
        "change_statement",
        "add_statement",
        "delete_statement",
        "view_glossaryterm",
        "change_glossaryterm",
        "add_glossaryterm",
        "delete_glossaryterm",
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
    Group.objects.get_or_create(name=COMMISSIONERS_GROUP)


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    full_name: str
    is_staff: bool = False
    groups: tuple[str, ...] = ()


DEMO_ACCOUNTS = (
    DemoAccount(
        role="practitioner", email="demo-practitioner@example.org", full_name="Demo Practitioner"
    ),
    DemoAccount(
        role="reviewer",
        email="demo-reviewer@example.org",
        full_name="Demo Reviewer",
        groups=(REVIEWERS_GROUP,),
    ),
    DemoAccount(
        role="admin", email="demo-admin@example.org", full_name="Demo Admin", is_staff=True
    ),
)


@transaction.atomic
def demo_accounts_ensure(*, password: str) -> tuple[DemoAccount, ...]:
    """Create or reset the demo accounts: verified, with the given password.

    Safe to run on every start. Two-factor authenticators someone has set up on
    a demo account are left alone.
    """
    ensure_role_groups()
    User = get_user_model()
    for demo in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=demo.email).first() or User(email=demo.email)
        user.full_name = demo.full_name
        user.is_active = True
        user.is_staff = demo.is_staff
        user.is_superuser = demo.is_staff
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=demo.groups))
        EmailAddress.objects.update_or_create(
            user=user,
            email=user.email,
            defaults={"verified": True, "primary": True},
        )
    return DEMO_ACCOUNTS


@transaction.atomic
def consent_give(
    *,
    user,
    purpose: Consent.Purpose | str,
    wording: str,
    scope: str = "",
    terms: dict | None = None,
) -> Consent:
    """Record that ``user`` agreed to ``purpose`` in ``scope``, on the ``wording`` shown.

    Agreeing again to the same terms keeps the consent that stands; agreeing to
    different terms withdraws it and records the new one, so the history shows
    each version of what was agreed.
    """
    terms = terms or {}
    current = (
        Consent.objects.select_for_update()
        .filter(user=user, purpose=purpose, scope=scope, withdrawn_at__isnull=True)
        .first()
    )
    if current is not None:
        if current.terms == terms:
            return current
        current.withdrawn_at = timezone.now()
        current.save(update_fields=["withdrawn_at"])
    return Consent.objects.create(
        user=user,
        purpose=purpose,
        scope=scope,
        terms=terms,
        wording=wording,
        given_at=timezone.now(),
    )


def consent_withdraw(*, user, purpose: Consent.Purpose | str, scope: str = "") -> int:
    """Withdraw ``user``'s consent to ``purpose`` in ``scope``; it takes effect at once.

    Returns how many consents were withdrawn (0 when there was none to withdraw).
    """
    return Consent.objects.filter(
        user=user, purpose=purpose, scope=scope, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())


def language_is_known(code: str) -> bool:
    return code in {known for known, _name in settings.LANGUAGES}


def user_language_set(*, user, language: str) -> bool:
    """Remember the language ``user`` chose; False (and nothing written) for an unknown one."""
    if not language_is_known(language):
        return False
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return True
