"""Staff CSV downloads: applications, entries and the audit trail, with formulas made inert."""

import csv
import io

import pytest
from django.urls import reverse

from register.models import Application
from tests.factories import build_framework
from tests.register import helpers


@pytest.fixture
def version(db):
    return build_framework(domains=2, competencies_per_domain=2)


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_applications_csv_lists_each_application_and_neutralises_formulas(
    admin_client, practitioner, version
):
    application = helpers.submit(practitioner, version)
    Application.objects.filter(pk=application.pk).update(
        applicant_name='=HYPERLINK("http://x")', organisation="+44 ward"
    )
    response = admin_client.get(reverse("register:staff_applications_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, row = _rows(response)
    assert header[:2] == ["Application", "Applicant"]
    assert row[1] == '\'=HYPERLINK("http://x")'
    assert row[2] == "'+44 ward"
    assert row[6] == "Waiting for reviewers"


def test_applications_csv_follows_the_status_filter(admin_client, practitioner, version):
    helpers.submit(practitioner, version)
    response = admin_client.get(reverse("register:staff_applications_csv"), {"status": "approved"})
    assert len(_rows(response)) == 1  # the header only


def test_entries_and_audit_csv(admin_client, practitioner, reviewer, second_reviewer, version):
    application = helpers.submit(practitioner, version)
    helpers.approve(application, reviewer, second_reviewer)
    entries = _rows(admin_client.get(reverse("register:staff_entries_csv")))
    assert len(entries) == 2 and entries[1][1] == practitioner.full_name
    audit = _rows(admin_client.get(reverse("register:staff_audit_csv")))
    assert audit[0][0] == "When"
    assert any(row[1] == str(application.pk) for row in audit[1:])


def test_practitioners_and_reviewers_get_404(practitioner_client, reviewer_client):
    for client in (practitioner_client, reviewer_client):
        assert client.get(reverse("register:staff_audit_csv")).status_code == 404
