"""Provider exports as CSV and XLSX, with spreadsheet formulas neutralised."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.training.helpers import make_course, statements_of
from training import services

pytestmark = pytest.mark.django_db

HOSTILE_PLACE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def course(provider, provider_staff, version):
    course = make_course(provider, provider_staff, statements_of(version, 3))
    session = course.sessions.get()
    session.place = HOSTILE_PLACE
    session.save()
    services.attendance_confirm_emails(
        session=session, user=provider_staff, text="+44@example.org, -minus@example.org"
    )
    return course


def test_attendance_csv(course, provider_client):
    response = provider_client.get(
        reverse("training:course_export", args=[course.pk, "attendance", "csv"])
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][3] == "Email"
    assert {row[3] for row in rows[1:]} == {"'+44@example.org", "'-minus@example.org"}
    assert all(row[2] == "'" + HOSTILE_PLACE for row in rows[1:])


def test_attendance_xlsx_holds_no_formula(course, provider_client):
    response = provider_client.get(
        reverse("training:course_export", args=[course.pk, "attendance", "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "'" + HOSTILE_PLACE in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_effectiveness_export_writes_hidden_not_numbers(course, provider_client):
    services.effectiveness_refresh(course=course)
    response = provider_client.get(
        reverse("training:course_export", args=[course.pk, "effectiveness", "csv"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3 * 2  # all sessions and the one session, per statement
    assert all(row[2].startswith("hidden") for row in rows[1:])


def test_an_unknown_export_is_404(course, provider_client):
    url = reverse("training:course_export", args=[course.pk, "attendance", "pdf"])
    assert provider_client.get(url).status_code == 404
