"""The public catalogue, course pages and the courses that cover a gap."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone

from imhcf.models import Domain, FrameworkVersion, framework_order
from training.access import public_courses
from training.models import (
    Course,
    CourseMapping,
    CourseSession,
)

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


def _given(conditions: dict) -> dict:
    """The conditions a search filled in; an empty field asks for nothing."""
    return {lookup: value for lookup, value in conditions.items() if value}


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
    on_mapping = _given(
        {
            "statement__competency__domain__number": search.domain,
            "statement__level": search.level,
        }
    )
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
    on_session = _given(
        {
            "region": search.region,
            "starts_on__gte": search.starts_after,
            "starts_on__lte": search.starts_before,
        }
    )
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
            *framework_order("statement__")
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
