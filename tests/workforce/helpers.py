"""Organisations, teams and members with completed self-assessments, for workforce tests."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Consent
from accounts.services import consent_give
from imhcf.models import Statement
from selfassess import services as selfassess_services
from selfassess.models import Assessment, Rating
from tests.factories import UserFactory
from tests.register.helpers import make_profile
from workforce import services
from workforce.models import Membership, Organisation, Team


def make_organisation(name="Riverside NHS Trust", region="london", **extra) -> Organisation:
    nation = "wales" if region.startswith("wales") else "england"
    return Organisation.objects.create(
        name=name, kind=extra.pop("kind", "nhs"), nation=nation, region=region, **extra
    )


def join(user, organisation: Organisation, team: Team | None, role="member") -> Membership:
    return Membership.objects.create(
        user=user,
        organisation=organisation,
        team=team,
        role=role,
        status=Membership.Status.ACTIVE,
        joined_at=timezone.now(),
    )


def share(user, organisation: Organisation, *, assessment=True, cpd=False) -> Consent:
    membership = Membership.objects.get(
        user=user, organisation=organisation, status=Membership.Status.ACTIVE
    )
    return services.sharing_set(membership=membership, assessment=assessment, cpd=cpd)


def opt_in(user) -> Consent:
    return consent_give(user=user, purpose=Consent.Purpose.ANONYMISED_STATISTICS, wording="w")


def complete_snapshot(
    user, version, levels: dict[int, int], *, region="london", role=None, target=2
):
    """Profile, then a completed self-assessment with domain d achieved up to levels[d]."""
    profile = make_profile(user, region=region)
    if role:
        profile.role = role
    profile.target_level = target
    profile.save()
    assessment = Assessment.objects.filter(
        user=user, status=Assessment.Status.IN_PROGRESS
    ).first() or selfassess_services.assessment_start(user=user)
    statements = Statement.objects.filter(competency__domain__version=version).select_related(
        "competency__domain"
    )
    achieved = [s.pk for s in statements if s.level <= levels.get(s.competency.domain.number, 0)]
    Rating.objects.filter(assessment=assessment).update(value=Rating.Value.NOT_STARTED)
    Rating.objects.filter(assessment=assessment, statement_id__in=achieved).update(
        value=Rating.Value.ACHIEVED
    )
    snapshot = selfassess_services.assessment_complete(assessment=assessment, target_level=target)
    services.summary_refresh(user_id=user.pk)
    return snapshot


def practitioners(n: int, prefix="member"):
    return [
        UserFactory(full_name=f"{prefix.title()} {i:03d}", email=f"{prefix}{i}@example.org")
        for i in range(n)
    ]
