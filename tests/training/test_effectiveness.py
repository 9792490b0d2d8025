"""Before-and-after figures for consenting attendees, with disclosure control."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from imhcf.models import Statement
from selfassess.models import Assessment, Rating
from tests.factories import UserFactory
from training import disclosure, selectors, services
from training.models import Attendance, CourseSession

pytestmark = pytest.mark.django_db


def snapshot(user, version, when, values: dict[str, str]):
    """A completed self-assessment at ``when``, rated as ``values`` (key -> value)."""
    assessment = Assessment.objects.create(
        user=user, version=version, status=Assessment.Status.COMPLETED, completed_at=when
    )
    statements = Statement.objects.filter(competency__domain__version=version).select_related(
        "competency"
    )
    Rating.objects.bulk_create(
        Rating(assessment=assessment, statement=s, value=values.get(s.key, "not_started"))
        for s in statements
    )
    return assessment


def attendees(course, version, provider_staff, count: int, *, session=None, consent=True):
    """``count`` attendees who rated 1.01/L1 working towards before and achieved after."""
    session = session or course.sessions.order_by("pk").first()
    start = timezone.make_aware(
        timezone.datetime.combine(session.starts_on, timezone.datetime.min.time())
    )
    people = []
    for _n in range(count):
        user = UserFactory()
        services.attendance_confirm_emails(session=session, user=provider_staff, text=user.email)
        snapshot(user, version, start - timedelta(days=30), {"1.01/L1": "working_towards"})
        snapshot(user, version, start + timedelta(days=5), {"1.01/L1": "achieved"})
        if consent:
            services.effectiveness_consent_set(
                attendance=Attendance.objects.get(session=session, email=user.email),
                user=user,
                agree=True,
            )
        people.append(user)
    return people


def test_five_consenting_attendees_show_their_movement(course, version, provider_staff):
    attendees(course, version, provider_staff, 5)
    assert services.effectiveness_refresh(course=course) == 5
    effect = selectors.effectiveness_for(course)
    assert effect.total_people == 5
    row = next(r for r in effect.rows if r.key == "1.01/L1")
    assert (row.people, row.achieved_before, row.achieved_after, row.moved_up) == (5, 0, 5, 5)


def test_four_people_are_hidden(course, version, provider_staff):
    attendees(course, version, provider_staff, 4)
    services.effectiveness_refresh(course=course)
    effect = selectors.effectiveness_for(course)
    assert effect.total_people is None
    assert not any(r.shown for r in effect.rows)


def test_people_who_did_not_consent_are_not_counted(course, version, provider_staff):
    attendees(course, version, provider_staff, 5, consent=False)
    assert services.effectiveness_refresh(course=course) == 0


def test_withdrawing_consent_takes_the_person_out(course, version, provider_staff):
    people = attendees(course, version, provider_staff, 5)
    services.effectiveness_consent_set(
        attendance=Attendance.objects.get(email=people[0].email), user=people[0], agree=False
    )
    assert services.effectiveness_refresh(course=course) == 4
    assert selectors.effectiveness_for(course).total_people is None


def test_a_snapshot_during_the_course_is_not_after_it(course, version, provider_staff):
    (person,) = attendees(course, version, provider_staff, 1)
    session = course.sessions.get()
    # Only a snapshot on the course's own day exists after the "before" one.
    Assessment.objects.filter(
        user=person, completed_at__gt=timezone.now() - timedelta(days=30)
    ).delete()
    midday = timezone.make_aware(
        timezone.datetime.combine(session.starts_on, timezone.datetime.min.time())
    ) + timedelta(hours=12)
    snapshot(person, version, midday, {"1.01/L1": "achieved"})
    assert services.effectiveness_refresh(course=course) == 0


def test_a_small_cohort_cannot_be_worked_out_by_subtraction(course, version, provider_staff):
    second = CourseSession.objects.create(
        course=course, starts_on=course.sessions.get().starts_on, place="Online"
    )
    attendees(course, version, provider_staff, 6)
    attendees(course, version, provider_staff, 2, session=second)
    services.effectiveness_refresh(course=course)
    effect = selectors.effectiveness_for(course)
    # The course total (8) is shown; the 2 are hidden, so the 6 must be too.
    assert effect.total_people == 8
    assert [c.people for c in effect.cohorts] == [None, None]


def test_hidden_groups_rule():
    assert disclosure.hidden_groups({"a": 6, "b": 2}, 5) == {"a", "b"}
    assert disclosure.hidden_groups({"a": 6, "b": 5, "c": 2}, 5) == {"b", "c"}
    assert disclosure.hidden_groups({"a": 6, "b": 3, "c": 3}, 5) == {"b", "c"}
    assert disclosure.hidden_groups({"a": 6, "b": 0}, 5) == set()


def test_provider_sees_the_summary_page_and_feedback_only_from_five(
    course, version, provider_staff, provider_client
):
    people = attendees(course, version, provider_staff, 5)
    services.effectiveness_refresh(course=course)
    for n, person in enumerate(people[:4]):
        services.feedback_give(
            attendance=Attendance.objects.get(email=person.email),
            user=person,
            rating=4,
            comment=f"Comment {n}",
        )
    url = reverse("training:course_effectiveness", args=[course.pk])
    page = provider_client.get(url).content.decode()
    assert "5 people compared." in page
    assert "Comment 0" not in page
    services.feedback_give(
        attendance=Attendance.objects.get(email=people[4].email),
        user=people[4],
        rating=5,
        comment="",
    )
    page = provider_client.get(url).content.decode()
    assert "Comment 0" in page
    assert "4.2 out of 5" in page


def test_effectiveness_page_query_budget(
    course, version, provider_staff, provider_client, django_assert_num_queries
):
    attendees(course, version, provider_staff, 6)
    services.effectiveness_refresh(course=course)
    # session, user, memberships, MFA, the course, sessions, cohorts, summaries,
    # mapped statements, feedback
    with django_assert_num_queries(10):
        response = provider_client.get(reverse("training:course_effectiveness", args=[course.pk]))
    assert response.status_code == 200


def test_the_hourly_task_refreshes_consenting_courses(course, version, provider_staff, settings):
    from training.tasks import training_hourly

    attendees(course, version, provider_staff, 5)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    training_hourly.delay()
    assert selectors.effectiveness_for(course).total_people == 5
