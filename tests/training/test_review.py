"""Framework staff review course mappings; every decision is audited."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.training.helpers import make_course, statements_of
from training import services
from training.errors import TrainingError
from training.models import Course, CourseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(provider, provider_staff, version):
    return make_course(provider, provider_staff, statements_of(version, 6))


def test_staff_accept_a_mapping_and_the_decision_is_audited(in_review, admin_client, admin_user):
    queue = admin_client.get(reverse("training:staff_queue"))
    assert in_review.title in queue.content.decode()
    response = admin_client.post(
        reverse("training:staff_review", args=[in_review.pk]),
        {"decision": "accept", "comment": "Notes match the content."},
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Course.Status.REVIEWED
    event = in_review.events.get(action="accept")
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        admin_user,
        "in_review",
        "reviewed",
        "Notes match the content.",
    )


def test_asking_for_changes_needs_a_comment(in_review, admin_client):
    response = admin_client.post(
        reverse("training:staff_review", args=[in_review.pk]), {"decision": "request_changes"}
    )
    assert response.status_code == 400
    in_review.refresh_from_db()
    assert in_review.status == Course.Status.IN_REVIEW


def test_changes_requested_then_resubmitted(in_review, admin_user, provider_staff):
    services.mapping_review_request_changes(
        course=in_review, reviewer=admin_user, comment="1.02 is not taught."
    )
    with pytest.raises(TrainingError):
        services.mapping_review_accept(course=in_review, reviewer=admin_user)
    services.course_publish(course=in_review, user=provider_staff)
    in_review.refresh_from_db()
    assert in_review.status == Course.Status.IN_REVIEW
    actions = list(in_review.events.values_list("action", "to_status"))
    assert actions[-2:] == [("request_changes", "changes_requested"), ("publish", "in_review")]


def test_changing_a_reviewed_mapping_sends_it_back(in_review, admin_user, provider_staff, version):
    services.mapping_review_accept(course=in_review, reviewer=admin_user)
    services.course_mappings_set(
        course=in_review,
        user=provider_staff,
        notes={s.pk: "Covered" for s in statements_of(version, 3)},
    )
    in_review.refresh_from_db()
    assert in_review.status == Course.Status.DRAFT
    assert in_review.mappings.count() == 3


def test_practitioners_and_providers_cannot_review(in_review, practitioner_client, provider_client):
    for client in (practitioner_client, provider_client):
        assert client.get(reverse("training:staff_review", args=[in_review.pk])).status_code == 404
        assert client.get(reverse("training:staff_queue")).status_code == 404


def test_course_events_cannot_be_changed(in_review):
    event = CourseEvent.objects.filter(course=in_review).first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    if connection.vendor == "postgresql":
        from django.db import DatabaseError, transaction

        with pytest.raises(DatabaseError), transaction.atomic():
            CourseEvent.objects.filter(pk=event.pk).update(reason="rewritten")
