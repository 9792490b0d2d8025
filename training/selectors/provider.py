"""Provider staff's pages, the review queue and a practitioner's courses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db.models import Count, Q

from accounts.models import Consent
from imhcf.bilingual import localised
from imhcf.models import FrameworkVersion, Statement
from training.access import attendance_owner_q
from training.models import (
    Attendance,
    AttendanceCode,
    Course,
    CourseEvent,
    CourseMapping,
    CourseSession,
)
from workforce.models import Organisation

# --- Provider pages -------------------------------------------------------------------------------


def provider_courses(provider_ids: list[int]) -> list[tuple[Organisation, list[Course]]]:
    """Each provider with its courses and how many sessions and attendances they have."""
    providers = list(Organisation.objects.filter(pk__in=provider_ids).order_by("name"))
    courses = (
        Course.objects.filter(provider_id__in=provider_ids)
        .annotate(
            session_count=Count("sessions", distinct=True),
            attendance_count=Count("sessions__attendances", distinct=True),
            flagged=Count("mappings", filter=Q(mappings__needs_check=True), distinct=True),
        )
        .order_by("title", "pk")
    )
    by_provider: dict[int, list[Course]] = defaultdict(list)
    for course in courses:
        by_provider[course.provider_id].append(course)
    return [(p, by_provider[p.pk]) for p in providers]


def course_events(course: Course) -> list[CourseEvent]:
    return list(course.events.select_related("actor").order_by("created_at", "pk"))


def sessions_with_counts(course: Course) -> list[CourseSession]:
    return list(
        course.sessions.annotate(
            attendance_count=Count("attendances", distinct=True),
            unused_codes=Count("codes", filter=Q(codes__used_at__isnull=True), distinct=True),
        )
    )


def session_attendances(session: CourseSession) -> list[Attendance]:
    return list(session.attendances.select_related("code").order_by("email"))


def session_unused_codes(session: CourseSession) -> list[AttendanceCode]:
    return list(session.codes.filter(used_at__isnull=True).order_by("issued_at", "pk"))


def course_attendance_rows(course: Course) -> list[Attendance]:
    return list(
        Attendance.objects.filter(session__course=course)
        .select_related("session")
        .order_by("session__starts_on", "session_id", "email")
    )


def review_queue() -> list[Course]:
    return list(
        Course.objects.filter(status=Course.Status.IN_REVIEW)
        .select_related("provider")
        .annotate(statement_count=Count("mappings"))
        .order_by("updated_at", "pk")
    )


def mappings_for_review(course: Course) -> list[CourseMapping]:
    return list(
        course.mappings.select_related("statement__competency__domain").order_by(
            "statement__competency__domain__number",
            "statement__competency__order",
            "statement__level",
        )
    )


def statement_choices() -> list[tuple[str, list[Statement]]]:
    """The published statements grouped by domain, for the mapping form: one query."""
    groups: dict[str, list[Statement]] = {}
    for statement in Statement.objects.filter(
        competency__domain__version__status=FrameworkVersion.Status.PUBLISHED
    ).select_related("competency__domain"):
        domain = statement.competency.domain
        groups.setdefault(f"{domain.number}. {localised(domain, 'name')}", []).append(statement)
    return list(groups.items())


# --- A practitioner's courses ---------------------------------------------------------------------


def verified_emails(user) -> list[str]:
    return [
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]


@dataclass
class MyAttendance:
    attendance: Attendance
    consented: bool


def my_attendances(user, emails: list[str]) -> list[MyAttendance]:
    attendances = list(
        Attendance.objects.filter(attendance_owner_q(user, emails))
        .select_related("session__course__provider", "evidence_item")
        .order_by("-session__starts_on", "pk")
    )
    scopes = set(
        Consent.objects.filter(
            user=user, purpose=Consent.Purpose.COURSE_EFFECTIVENESS, withdrawn_at__isnull=True
        ).values_list("scope", flat=True)
    )
    return [MyAttendance(a, a.session.course.effectiveness_scope in scopes) for a in attendances]


def mapped_statements(course: Course) -> list[Statement]:
    return [m.statement for m in mappings_for_review(course)]
