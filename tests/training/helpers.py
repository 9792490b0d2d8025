"""Shared set-up for training tests: a verified provider with staff, a course, attendees."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from imhcf.models import Statement
from tests.conftest import enable_totp
from tests.factories import UserFactory
from training import services
from training.models import Course
from workforce.models import Membership, Organisation


def make_provider(name: str = "Northern Infant Mental Health Training", *, verified: bool = True):
    return Organisation.objects.create(
        name=name,
        kind=Organisation.Kind.EDUCATION,
        nation="england",
        region="north_west",
        verified=verified,
    )


def make_staff(provider: Organisation, email: str | None = None, *, totp: bool = True):
    user = UserFactory(**({"email": email} if email else {}))
    Membership.objects.create(
        user=user,
        organisation=provider,
        role=Membership.Role.ORGANISATION_ADMIN,
        status=Membership.Status.ACTIVE,
        joined_at=timezone.now(),
    )
    if totp:
        user.totp_secret = enable_totp(user)
    return user


def statements_of(version, count: int) -> list[Statement]:
    return list(
        Statement.objects.filter(competency__domain__version=version)
        .select_related("competency__domain")
        .order_by("competency__domain__number", "competency__code", "level")[:count]
    )


def make_course(
    provider: Organisation,
    staff,
    statements: list[Statement],
    *,
    title: str = "Attachment and attunement in the first year",
    published: bool = True,
    reviewed: bool = False,
    starts_on: date | None = None,
    region: str = "north_west",
    mode: str = Course.Mode.IN_PERSON,
) -> Course:
    course = services.course_create(
        provider=provider,
        user=staff,
        data={
            "title": title,
            "summary": "Two days on how babies and parents tune in to each other.",
            "mode": mode,
            "hours": Decimal("12"),
        },
    )
    services.session_create(
        course=course,
        data={
            "starts_on": starts_on or timezone.localdate() + timedelta(days=30),
            "ends_on": None,
            "place": "Town Hall, Preston",
            "region": region,
        },
    )
    if statements:
        services.course_mappings_set(
            course=course,
            user=staff,
            notes={s.pk: f"Taught through case studies on {s.key}" for s in statements},
        )
    if published:
        services.course_publish(course=course, user=staff)
    if reviewed:
        admin = UserFactory(is_staff=True)
        services.mapping_review_accept(course=course, reviewer=admin)
    course.refresh_from_db()
    return course
