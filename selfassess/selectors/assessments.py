"""Whose profile and which assessment: the small reads the other selectors start from."""

from __future__ import annotations

from imhcf.models import Domain, FrameworkVersion, framework_order
from selfassess.models import Assessment, Profile, Rating


def profile_for(user) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def last_completed(user) -> Assessment | None:
    """The newest snapshot; ``user`` may be a user or a user id."""
    qs = Assessment.objects.filter(user=user, status=Assessment.Status.COMPLETED)
    return qs.select_related("version").order_by("-completed_at").first()


def completed_assessments(user) -> list[Assessment]:
    return list(
        Assessment.objects.filter(user=user, status=Assessment.Status.COMPLETED)
        .select_related("version")
        .order_by("-completed_at")
    )


def ratings_with_statements(assessment: Assessment, *, domain: Domain | None = None):
    """One query: ratings joined to statement, competency and domain, in framework order."""
    qs = Rating.objects.filter(assessment=assessment).select_related(
        "statement__competency__domain"
    )
    if domain is not None:
        qs = qs.filter(statement__competency__domain=domain)
    return list(qs.order_by(*framework_order("statement__")))


def version_domains(version: FrameworkVersion) -> list[Domain]:
    return list(Domain.objects.filter(version=version).order_by("number"))


def latest_assessment(user) -> Assessment | None:
    """The assessment in progress, else the last completed one."""
    in_progress = (
        Assessment.objects.filter(user=user, status=Assessment.Status.IN_PROGRESS)
        .select_related("version")
        .first()
    )
    return in_progress or last_completed(user)
