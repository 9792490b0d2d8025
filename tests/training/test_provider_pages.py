"""Provider staff manage courses through the pages: create, sessions, mapping, publish."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.training.helpers import make_course, make_provider, make_staff, statements_of
from training.models import Course, CourseEvent, CourseMapping

pytestmark = pytest.mark.django_db


def test_provider_creates_maps_and_publishes_a_course(provider, provider_client, version):
    response = provider_client.post(
        reverse("training:course_create", args=[provider.pk]),
        {
            "title": "Reflective supervision for team leads",
            "summary": "How to hold a team's minds in mind.",
            "mode": "blended",
            "hours": "7.5",
        },
    )
    course = Course.objects.get(title="Reflective supervision for team leads")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:provider_course", args=[course.pk])

    starts = timezone.localdate() + timedelta(days=14)
    response = provider_client.post(
        reverse("training:session_create", args=[course.pk]),
        {"starts_on": starts.isoformat(), "ends_on": "", "place": "Online", "region": ""},
    )
    assert response.status_code == 302
    assert course.sessions.get().starts_on == starts

    chosen = statements_of(version, 6)
    data = {"statement": [s.pk for s in chosen]}
    data |= {f"note-{s.pk}": f"Covered in part {i}" for i, s in enumerate(chosen, 1)}
    response = provider_client.post(reverse("training:course_mappings", args=[course.pk]), data)
    assert response.status_code == 302
    assert CourseMapping.objects.filter(course=course).count() == 6

    response = provider_client.post(reverse("training:course_publish", args=[course.pk]))
    course.refresh_from_db()
    assert (course.published, course.status) == (True, Course.Status.IN_REVIEW)
    page = provider_client.get(reverse("training:provider_course", args=[course.pk]))
    assert page.status_code == 200
    assert "Waiting for review" in page.content.decode()
    assert list(course.events.values_list("action", flat=True)) == ["edit_mapping", "publish"]


def test_a_mapping_without_notes_is_refused_and_nothing_is_saved(
    provider, provider_staff, provider_client, version
):
    course = make_course(provider, provider_staff, [], published=False)
    statement = statements_of(version, 1)[0]
    response = provider_client.post(
        reverse("training:course_mappings", args=[course.pk]),
        {"statement": [statement.pk], f"note-{statement.pk}": "  "},
    )
    assert response.status_code == 400
    assert "Say in a few words how the course covers each statement." in response.content.decode()
    assert not course.mappings.exists()


def test_publishing_without_a_mapping_is_refused(provider, provider_staff, provider_client):
    course = make_course(provider, provider_staff, [], published=False)
    provider_client.post(reverse("training:course_publish", args=[course.pk]))
    course.refresh_from_db()
    assert not course.published
    assert not CourseEvent.objects.filter(course=course).exists()


def test_another_provider_gets_404_for_every_course_page(provider, provider_staff, version):
    course = make_course(provider, provider_staff, statements_of(version, 2))
    rival = make_staff(make_provider("Southern Training Ltd"))

    client = client_for(rival)
    session = course.sessions.get()
    for url in (
        reverse("training:provider_course", args=[course.pk]),
        reverse("training:course_edit", args=[course.pk]),
        reverse("training:course_mappings", args=[course.pk]),
        reverse("training:session_attendance", args=[session.pk]),
        reverse("training:course_effectiveness", args=[course.pk]),
        reverse("training:course_export", args=[course.pk, "attendance", "csv"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("training:course_publish", args=[course.pk])).status_code == 404


def test_staff_of_an_unverified_provider_are_not_provider_staff(version):
    unverified = make_provider("Not Yet Checked Ltd", verified=False)
    staff = make_staff(unverified)

    client = client_for(staff)
    assert client.get(reverse("training:provider_home")).status_code == 404


def test_provider_staff_without_two_factor_are_sent_to_turn_it_on(provider):
    staff = make_staff(provider, totp=False)

    client = client_for(staff)
    response = client.get(reverse("training:provider_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


def test_provider_home_lists_courses(provider, provider_staff, provider_client, version):
    make_course(provider, provider_staff, statements_of(version, 2), title="Baby minds")
    response = provider_client.get(reverse("training:provider_home"))
    assert response.status_code == 200
    assert "Baby minds" in response.content.decode()


def test_a_session_with_attendance_cannot_be_removed(provider, provider_staff, provider_client):
    from training import services

    course = make_course(provider, provider_staff, [], published=False)
    session = course.sessions.get()
    services.attendance_confirm_emails(session=session, user=provider_staff, text="a@example.org")
    provider_client.post(reverse("training:session_delete", args=[session.pk]))
    assert course.sessions.exists()
    session.attendances.all().delete()
    response = provider_client.post(reverse("training:session_delete", args=[session.pk]))
    assert response.status_code == 302
    assert not course.sessions.exists()


def test_unused_codes_can_be_cancelled(provider, provider_staff, provider_client, practitioner):
    from training import services

    course = make_course(provider, provider_staff, [], published=False)
    session = course.sessions.get()
    used, _unused = services.attendance_codes_issue(session=session, user=provider_staff, count=2)
    services.attendance_code_redeem(user=practitioner, code=used.code)
    provider_client.post(reverse("training:session_codes_withdraw", args=[session.pk]))
    assert list(session.codes.values_list("code", flat=True)) == [used.code]
