"""The register's health page for staff (issue 14, part 5): what waits, and for how long."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from register.models import Application, Concern, CpdAudit, RegisterEntry, Renewal
from register.selectors import health
from tests.factories import UserFactory, build_framework
from tests.register import helpers


@pytest.fixture
def version(db):
    return build_framework(domains=2, competencies_per_domain=1)


def _applications(version, count: int, *, age_days: int) -> None:
    for n in range(count):
        application = helpers.submit(UserFactory(full_name=f"Applicant {n}"), version)
        Application.objects.filter(pk=application.pk).update(
            submitted_at=timezone.now() - timedelta(days=age_days)
        )


def _concerns(count: int, *, age_days: int) -> None:
    for n in range(count):
        concern = helpers.raise_concern(f"Someone {n}", description="A concern.")
        Concern.objects.filter(pk=concern.pk).update(
            received_at=timezone.now() - timedelta(days=age_days)
        )


def _audit(entry, *, overdue: bool) -> CpdAudit:
    renewal = helpers.renewal_made(
        entry,
        status=Renewal.Status.AUDIT,
        days_ago=40,
        cpd_hours="15",
        period_start=timezone.localdate() - timedelta(days=400),
    )
    return helpers.audit_drawn(
        renewal,
        draw=5,
        requested_at=timezone.now() - timedelta(days=40),
        due_on=timezone.localdate() + timedelta(days=-12 if overdue else 12),
    )


def _table(tables, key):
    return next(table for table in tables if table.key == key)


def test_waiting_work_is_counted_by_stage_and_age(version, reviewer, second_reviewer, practitioner):
    _applications(version, 2, age_days=3)
    _applications(version, 1, age_days=45)
    _concerns(1, age_days=100)
    helpers.approve(helpers.submit(practitioner, version), reviewer, second_reviewer)
    _audit(RegisterEntry.objects.get(practitioner=practitioner), overdue=True)

    tables = health.register_health()
    (waiting,) = _table(tables, "applications").rows
    assert waiting.label == "Waiting for reviewers"
    assert (waiting.bands, waiting.total) == ([2, 0, 1, 0], 3)
    (received,) = _table(tables, "concerns").rows
    assert (received.bands, received.total) == ([0, 0, 0, 1], 1)
    (due,) = _table(tables, "audits").rows
    assert (due.bands, due.total, due.overdue) == ([0, 0, 1, 0], 1, 1)
    assert _table(tables, "references").rows == []


# Session, user, the MFA check (authenticator); one grouped query per table
# (applications, references, concerns, CPD audits); the worker's last heartbeat
# (the staff navigation's warning).
HEALTH_QUERIES = 8


@pytest.mark.parametrize("scale", [1, 6])
def test_the_page_costs_the_same_queries_however_much_is_waiting(
    version, admin_client, django_assert_num_queries, scale
):
    _applications(version, scale, age_days=10)
    _concerns(scale, age_days=10)
    with django_assert_num_queries(HEALTH_QUERIES):
        response = admin_client.get(reverse("register:register_health"))
    assert response.status_code == 200
    assert "Waiting for reviewers" in response.content.decode()


def test_the_csv_has_one_row_per_stage_and_only_staff_get_it(
    version, admin_client, practitioner_client, reviewer_client
):
    _applications(version, 2, age_days=10)
    response = admin_client.get(reverse("register:register_health_csv"))
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("table,stage,")
    assert lines[1].startswith("applications,Waiting for reviewers,0,2,0,0,2,")
    for client in (practitioner_client, reviewer_client):
        assert client.get(reverse("register:register_health")).status_code == 404
        assert client.get(reverse("register:register_health_csv")).status_code == 404
