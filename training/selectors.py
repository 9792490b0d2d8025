"""Reads for the catalogue, course pages, provider pages and effectiveness figures.

Each takes a fixed number of queries whatever the number of courses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent
from imhcf.models import Domain, FrameworkVersion, Statement
from training import disclosure
from training.access import attendance_owner_q, public_courses
from training.models import (
    Attendance,
    AttendanceCode,
    Course,
    CourseEvent,
    CourseMapping,
    CourseSession,
    EffectivenessCohort,
    EffectivenessSummary,
    Feedback,
)
from workforce.models import Organisation

PAGE_SIZE = 20
STATEMENT_CODE = re.compile(r"^([1-7]\.\d{2})(?:\s*/?\s*L?([1-3]))?$", re.IGNORECASE)


# --- The public catalogue -----------------------------------------------------------------------


@dataclass
class Search:
    words: str = ""
    domain: int | None = None
    level: int | None = None
    statement: str = ""
    region: str = ""
    mode: str = ""
    starts_after: date | None = None
    starts_before: date | None = None

    @property
    def active(self) -> bool:
        return any(vars(self).values())


def _statement_filter(text: str) -> dict | None:
    """ "1.01", "1.01/L2" or "1.01 2" as filters on mapping rows; None for anything else."""
    match = STATEMENT_CODE.match(text.strip())
    if not match:
        return None
    found = {"statement__competency__code": match.group(1)}
    if match.group(2):
        found["statement__level"] = int(match.group(2))
    return found


def catalogue_queryset(search: Search):
    """Published courses matching every given filter, soonest session first."""
    today = timezone.localdate()
    courses = public_courses()
    for word in search.words.split()[:10]:
        courses = courses.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(provider__name__icontains=word)
        )
    # One mapping must meet the domain, level and statement conditions together.
    on_mapping: dict = {}
    if search.domain:
        on_mapping["statement__competency__domain__number"] = search.domain
    if search.level:
        on_mapping["statement__level"] = search.level
    if search.statement:
        statement = _statement_filter(search.statement)
        if statement is None:
            # A code that cannot be one matches nothing rather than everything.
            return courses.none()
        on_mapping |= statement
    if on_mapping:
        courses = courses.filter(
            pk__in=CourseMapping.objects.filter(**on_mapping).values("course_id")
        )
    if search.mode:
        courses = courses.filter(mode=search.mode)
    on_session: dict = {}
    if search.region:
        on_session["region"] = search.region
    if search.starts_after:
        on_session["starts_on__gte"] = search.starts_after
    if search.starts_before:
        on_session["starts_on__lte"] = search.starts_before
    if on_session:
        courses = courses.filter(
            pk__in=CourseSession.objects.filter(**on_session).values("course_id")
        )
    return courses.annotate(
        next_session=Min("sessions__starts_on", filter=Q(sessions__starts_on__gte=today)),
        statement_count=Count("mappings", distinct=True),
    ).order_by(F("next_session").asc(nulls_last=True), "title", "pk")


@dataclass
class CatalogueRow:
    course: Course
    domains: list[int] = field(default_factory=list)
    sessions: list[CourseSession] = field(default_factory=list)


def catalogue_page(search: Search, page_number) -> tuple[Page, list[CatalogueRow]]:
    """One page of results: count, page, the page's mappings and sessions. Four queries."""
    paginator = Paginator(
        catalogue_queryset(search).select_related("provider"),
        PAGE_SIZE,
        allow_empty_first_page=True,
    )
    page = paginator.get_page(page_number)
    courses = list(page.object_list)
    ids = [c.pk for c in courses]
    domains: dict[int, set[int]] = defaultdict(set)
    sessions: dict[int, list[CourseSession]] = defaultdict(list)
    if ids:
        for course_id, number in CourseMapping.objects.filter(course_id__in=ids).values_list(
            "course_id", "statement__competency__domain__number"
        ):
            domains[course_id].add(number)
        today = timezone.localdate()
        for session in CourseSession.objects.filter(course_id__in=ids, starts_on__gte=today):
            sessions[session.course_id].append(session)
    return page, [CatalogueRow(c, sorted(domains[c.pk]), sessions[c.pk][:3]) for c in courses]


def published_domains() -> list[Domain]:
    return list(
        Domain.objects.filter(version__status=FrameworkVersion.Status.PUBLISHED).order_by("number")
    )


# --- A course page: what it covers on the 7 x 3 map -----------------------------------------


@dataclass
class MapCell:
    level: int
    mappings: list[CourseMapping] = field(default_factory=list)


@dataclass
class MapRow:
    domain: Domain
    cells: list[MapCell]


def course_map(course: Course) -> list[MapRow]:
    """The published domains by level, each cell the course's mappings there: two queries."""
    mappings = list(
        course.mappings.select_related("statement__competency__domain").order_by(
            "statement__competency__domain__number",
            "statement__competency__order",
            "statement__competency__code",
            "statement__level",
        )
    )
    by_cell: dict[tuple[int, int], list[CourseMapping]] = defaultdict(list)
    for mapping in mappings:
        statement = mapping.statement
        by_cell[(statement.competency.domain.number, statement.level)].append(mapping)
    return [
        MapRow(d, [MapCell(level, by_cell[(d.number, level)]) for level in (1, 2, 3)])
        for d in published_domains()
    ]


def course_sessions(course: Course) -> list[CourseSession]:
    return list(course.sessions.all())


def courses_by_statement_key(keys: list[tuple[str, int]]) -> dict[tuple[str, int], tuple[int, str]]:
    """For each statement key, how many published, reviewed courses cover it, and where to see them.

    The hook behind "courses that cover this gap": one query. Only reviewed
    mappings count, so a practitioner is never sent to an unchecked claim.
    """
    wanted = set(keys)
    rows = (
        CourseMapping.objects.filter(
            course__in=public_courses().filter(status=Course.Status.REVIEWED),
            statement__competency__domain__version__status=FrameworkVersion.Status.PUBLISHED,
        )
        .values_list("statement__competency__code", "statement__level")
        .annotate(n=Count("course", distinct=True))
        .order_by()
    )
    base = reverse("training:catalogue")
    found = {}
    for code, level, n in rows:
        if (code, level) in wanted:
            found[(code, level)] = (n, f"{base}?{urlencode({'statement': f'{code}/L{level}'})}")
    return found


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
        groups.setdefault(f"{domain.number}. {domain.name}", []).append(statement)
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


# --- Effectiveness, with disclosure control -----------------------------------------------------


@dataclass
class EffectRow:
    key: str
    text: str
    people: int | None  # None: hidden
    before: list[int] = field(default_factory=list)
    after: list[int] = field(default_factory=list)
    moved_up: int = 0
    moved_down: int = 0

    @property
    def shown(self) -> bool:
        return self.people is not None

    @property
    def achieved_before(self) -> int:
        return self.before[2] if self.before else 0

    @property
    def achieved_after(self) -> int:
        return self.after[2] if self.after else 0


@dataclass
class Cohort:
    session: CourseSession
    people: int | None
    rows: list[EffectRow]


@dataclass
class Effectiveness:
    total_people: int | None
    rows: list[EffectRow]
    cohorts: list[Cohort]
    threshold: int
    refreshed_at: object = None


def effectiveness_for(course: Course) -> Effectiveness:
    """The course's before-and-after figures as a provider may see them: four queries.

    The one place the disclosure rule is applied to them: cohorts (sessions)
    and per-statement figures from fewer people than the threshold are hidden,
    with secondary suppression so no hidden group can be recovered by
    subtracting shown ones from the course total.
    """
    minimum = disclosure.threshold()
    sessions = list(course.sessions.all())
    cohorts = {c.session_id: c for c in EffectivenessCohort.objects.filter(session__course=course)}
    summaries: dict[str, dict[int, EffectivenessSummary]] = defaultdict(dict)
    for row in EffectivenessSummary.objects.filter(session__course=course):
        summaries[row.statement_key][row.session_id] = row
    texts = {
        s.key: s.text
        for s in Statement.objects.filter(
            pk__in=course.mappings.values("statement_id")
        ).select_related("competency")
    }

    headcounts = {s.pk: cohorts[s.pk].people if s.pk in cohorts else 0 for s in sessions}
    hidden_sessions = disclosure.hidden_groups(headcounts, minimum)
    total = sum(headcounts.values())

    rows: list[EffectRow] = []
    per_session: dict[int, list[EffectRow]] = defaultdict(list)
    for key in sorted(summaries, key=_key_order):
        by_session = summaries[key]
        people = {pk: by_session[pk].people if pk in by_session else 0 for pk in headcounts}
        hidden = disclosure.hidden_groups(people, minimum) | hidden_sessions
        key_total = sum(people.values())
        combined = EffectRow(key, texts.get(key, ""), key_total, [0, 0, 0], [0, 0, 0])
        for summary in by_session.values():
            combined.before = [a + b for a, b in zip(combined.before, summary.before, strict=True)]
            combined.after = [a + b for a, b in zip(combined.after, summary.after, strict=True)]
            combined.moved_up += summary.moved_up
            combined.moved_down += summary.moved_down
        if not key_total or not disclosure.total_shown(key_total, minimum):
            combined = EffectRow(key, texts.get(key, ""), None)
        rows.append(combined)
        for pk in headcounts:
            summary = by_session.get(pk)
            if summary is None or pk in hidden or not summary.people:
                per_session[pk].append(EffectRow(key, texts.get(key, ""), None))
            else:
                per_session[pk].append(
                    EffectRow(
                        key,
                        texts.get(key, ""),
                        summary.people,
                        summary.before,
                        summary.after,
                        summary.moved_up,
                        summary.moved_down,
                    )
                )
    refreshed = max((c.refreshed_at for c in cohorts.values()), default=None)
    return Effectiveness(
        total_people=total if disclosure.total_shown(total, minimum) else None,
        rows=rows,
        cohorts=[
            Cohort(
                s,
                None if s.pk in hidden_sessions else headcounts[s.pk],
                per_session[s.pk],
            )
            for s in sessions
        ],
        threshold=minimum,
        refreshed_at=refreshed,
    )


def _key_order(key: str) -> tuple[int, int, int]:
    code, level = key.split("/L")
    domain, number = code.split(".")
    return int(domain), int(number), int(level)


@dataclass
class FeedbackSummary:
    count: int
    average: float | None
    comments: list[str]
    threshold: int

    @property
    def shown(self) -> bool:
        return self.average is not None


def feedback_for(course: Course) -> FeedbackSummary:
    """Anonymous feedback, shown only once enough people have given it that none stands out."""
    minimum = disclosure.threshold()
    rows = list(Feedback.objects.filter(session__course=course).values_list("rating", "comment"))
    if len(rows) < minimum:
        return FeedbackSummary(len(rows), None, [], minimum)
    comments = sorted(c for _r, c in rows if c)
    return FeedbackSummary(len(rows), sum(r for r, _c in rows) / len(rows), comments, minimum)
