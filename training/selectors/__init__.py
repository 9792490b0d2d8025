"""Reads for the catalogue, course pages, provider pages and effectiveness figures.

Each takes a fixed number of queries whatever the number of courses. Each name is defined
once, in its module; this is the package's front door.
"""

from training.selectors.catalogue import (
    PAGE_SIZE,
    STATEMENT_CODE,
    CatalogueRow,
    MapCell,
    MapRow,
    Search,
    catalogue_page,
    catalogue_queryset,
    course_map,
    course_sessions,
    courses_by_statement_key,
    published_domains,
)
from training.selectors.effectiveness import (
    Cohort,
    Effectiveness,
    EffectRow,
    FeedbackSummary,
    effectiveness_for,
    feedback_for,
)
from training.selectors.provider import (
    MyAttendance,
    course_attendance_rows,
    course_events,
    mapped_statements,
    mappings_for_review,
    my_attendances,
    provider_courses,
    review_queue,
    session_attendances,
    session_unused_codes,
    sessions_with_counts,
    statement_choices,
    verified_emails,
)

__all__ = [
    "PAGE_SIZE",
    "STATEMENT_CODE",
    "CatalogueRow",
    "Cohort",
    "EffectRow",
    "Effectiveness",
    "FeedbackSummary",
    "MapCell",
    "MapRow",
    "MyAttendance",
    "Search",
    "catalogue_page",
    "catalogue_queryset",
    "course_attendance_rows",
    "course_events",
    "course_map",
    "course_sessions",
    "courses_by_statement_key",
    "effectiveness_for",
    "feedback_for",
    "mapped_statements",
    "mappings_for_review",
    "my_attendances",
    "provider_courses",
    "published_domains",
    "review_queue",
    "session_attendances",
    "session_unused_codes",
    "sessions_with_counts",
    "statement_choices",
    "verified_emails",
]
