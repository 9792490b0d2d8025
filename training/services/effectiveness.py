"""Before-and-after figures: the summary tables background work refreshes."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from accounts.models import Consent
from selfassess.models import VALUE_RANK, Assessment, Rating
from training.models import (
    Attendance,
    Course,
    EffectivenessCohort,
    EffectivenessSummary,
)

# --- Effectiveness: the summary tables background work refreshes --------------------------------

RANKED = (Rating.Value.NOT_STARTED, Rating.Value.WORKING_TOWARDS, Rating.Value.ACHIEVED)


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _day_end(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


@transaction.atomic
def effectiveness_refresh(*, course: Course) -> int:
    """Recount the course's before-and-after figures from consenting attendees' snapshots.

    For each consenting attendee of each session: the last snapshot completed
    before the session's first day, and the first completed after its last day;
    both are needed. Ratings are compared on the course's mapped statements by
    stable key, so snapshots on different framework editions still compare.
    A fixed number of queries whatever the number of attendees. Returns the
    number of people compared across all sessions.
    """
    keys = sorted(
        f"{code}/L{level}"
        for code, level in course.mappings.values_list(
            "statement__competency__code", "statement__level"
        )
    )
    sessions = list(course.sessions.all())
    consenting = set(
        Consent.objects.filter(
            purpose=Consent.Purpose.COURSE_EFFECTIVENESS,
            scope=course.effectiveness_scope,
            withdrawn_at__isnull=True,
        ).values_list("user_id", flat=True)
    )
    attendees = defaultdict(set)
    for session_id, user_id in Attendance.objects.filter(
        session__course=course, user_id__in=consenting
    ).values_list("session_id", "user_id"):
        attendees[session_id].add(user_id)
    snapshots = defaultdict(list)
    for snap in Assessment.objects.filter(
        user_id__in=consenting, status=Assessment.Status.COMPLETED
    ).order_by("completed_at", "pk"):
        snapshots[snap.user_id].append(snap)

    pairs: dict[int, list[tuple[int, int]]] = {}
    for session in sessions:
        start, end = _day_start(session.starts_on), _day_end(session.last_day)
        found = []
        for user_id in attendees.get(session.pk, ()):
            before = [s for s in snapshots[user_id] if s.completed_at < start]
            after = [s for s in snapshots[user_id] if s.completed_at > end]
            if before and after:
                found.append((before[-1].pk, after[0].pk))
        pairs[session.pk] = found

    wanted = {pk for found in pairs.values() for pair in found for pk in pair}
    values: dict[int, dict[str, str]] = defaultdict(dict)
    for assessment_id, code, level, value in Rating.objects.filter(
        assessment_id__in=wanted
    ).values_list("assessment_id", "statement__competency__code", "statement__level", "value"):
        values[assessment_id][f"{code}/L{level}"] = value

    now = timezone.now()
    EffectivenessSummary.objects.filter(session__course=course).delete()
    EffectivenessCohort.objects.filter(session__course=course).delete()
    rows, cohorts, total = [], [], 0
    for session in sessions:
        found = pairs[session.pk]
        total += len(found)
        cohorts.append(EffectivenessCohort(session=session, people=len(found), refreshed_at=now))
        for key in keys:
            before_counts, after_counts, up, down, people = Counter(), Counter(), 0, 0, 0
            for before_id, after_id in found:
                was, now_value = values[before_id].get(key), values[after_id].get(key)
                if was is None or now_value is None:
                    continue
                people += 1
                before_counts[was] += 1
                after_counts[now_value] += 1
                up += VALUE_RANK[now_value] > VALUE_RANK[was]
                down += VALUE_RANK[now_value] < VALUE_RANK[was]
            rows.append(
                EffectivenessSummary(
                    session=session,
                    statement_key=key,
                    people=people,
                    before=[before_counts[v] for v in RANKED],
                    after=[after_counts[v] for v in RANKED],
                    moved_up=up,
                    moved_down=down,
                    refreshed_at=now,
                )
            )
    EffectivenessCohort.objects.bulk_create(cohorts)
    EffectivenessSummary.objects.bulk_create(rows)
    return total


def effectiveness_refresh_all() -> int:
    """Refresh every course some attendee has consented for; returns how many."""
    scopes = (
        Consent.objects.filter(purpose=Consent.Purpose.COURSE_EFFECTIVENESS)
        .values_list("scope", flat=True)
        .distinct()
    )
    ids = {int(s.split(":", 1)[1]) for s in scopes if s.startswith("course:") and s[7:].isdigit()}
    courses = Course.objects.filter(pk__in=ids)
    for course in courses:
        effectiveness_refresh(course=course)
    return len(ids)
