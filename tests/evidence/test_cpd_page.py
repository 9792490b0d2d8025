"""The CPD log page and asking for the CPD record."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from evidence.cpd import cpd_params
from evidence.forms import CpdPeriodForm
from evidence.models import DocumentJob, EvidenceItem, EvidenceLink
from evidence.selectors import cpd_summary
from imhcf.models import Statement
from tests.evidence.factories import EvidenceItemFactory
from tests.factories import build_framework

pytestmark = pytest.mark.usefixtures("private_storage")


CPD_URL = reverse("evidence:cpd")
RECORD_URL = reverse("evidence:cpd_record_request")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def statements(db):
    version = build_framework(domains=7, competencies_per_domain=3)
    return list(
        Statement.objects.filter(competency__domain__version=version).order_by(
            "competency__domain__number", "competency__order", "level"
        )
    )


def dated(owner, when: date, **kwargs) -> EvidenceItem:
    kwargs.setdefault("hours", Decimal("2"))
    return EvidenceItemFactory(owner=owner, start_date=when, **kwargs)


def test_the_page_defaults_to_the_last_12_months(practitioner_client, today):
    response = practitioner_client.get(CPD_URL)
    assert response.status_code == 200
    start, end = response.context["form"].period_dates
    assert end == today
    assert start == CpdPeriodForm.last_12_months(today)[0]
    assert (end - start).days in (364, 365)
    assert 'value="last12"' in response.content.decode()


def test_the_tables_escape_titles_and_the_kept_period_form_follows_the_language(
    practitioner_client, practitioner, today
):
    # The tables are built in Python and the default period's form is kept per language
    # in the process (evidence/views/cpd.py): English, Welsh, then English again.
    dated(practitioner, today, title='<img src=x onerror="alert(1)"> & co')
    english = practitioner_client.get(CPD_URL).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in english
    assert "<img src=x" not in english
    assert "Which period?" in english and 'value="last12" class="form-check-input"' in english
    practitioner.language = "cy"
    practitioner.save(update_fields=["language"])
    welsh = practitioner_client.get(CPD_URL).content.decode()
    assert "Pa gyfnod?" in welsh and "Y 12 mis diwethaf" in welsh and "Which period?" not in welsh
    practitioner.language = "en-gb"
    practitioner.save(update_fields=["language"])
    assert "Which period?" in practitioner_client.get(CPD_URL).content.decode()


def test_last_12_months_from_29_february_does_not_fail():
    start, end = CpdPeriodForm.last_12_months(date(2028, 2, 29))
    assert (start, end) == (date(2027, 3, 1), date(2028, 2, 29))


def test_hours_by_kind_domain_and_month_and_competencies_covered(
    practitioner_client, practitioner, other_practitioner, statements, today
):
    course = dated(practitioner, today - timedelta(days=3), hours=Decimal("6"), title="Course")
    EvidenceLink.objects.bulk_create(
        EvidenceLink(item=course, statement=s)
        for s in statements[:4]  # 1.01 L1-3, 1.02 L1
    )
    reflection = dated(
        practitioner,
        today - timedelta(days=40),
        kind=EvidenceItem.Kind.REFLECTIVE,
        hours=Decimal("1.5"),
        equality_inclusion=True,
        title="Reflection",
    )
    EvidenceLink.objects.create(item=reflection, statement=statements[20])  # domain 3
    dated(practitioner, today - timedelta(days=800), title="Too old")
    dated(other_practitioner, today, hours=Decimal("99"), title="Not mine")

    response = practitioner_client.get(CPD_URL)
    summary = response.context["summary"]
    assert summary.total_hours == Decimal("7.5")
    assert summary.equality_hours == Decimal("1.5")
    assert [i.title for i in summary.items] == ["Reflection", "Course"]
    assert [c.code for c in summary.competencies] == ["1.01", "1.02", "3.01"]
    body = response.content.decode()
    assert "Hours by kind of activity" in body
    assert "Training or course" in body and "Reflective account" in body
    assert "1. Domain 1" in body and "3. Domain 3" in body
    assert "Hours by month" in body
    assert today.strftime("%b %Y") in body
    assert '<progress class="cpd-bar" max="100" value="100" aria-hidden="true">' in body
    assert "style=" not in body
    assert "Too old" not in body and "Not mine" not in body


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_the_page_summary_read_as_values_matches_the_records(
    practitioner, other_practitioner, statements, today, language
):
    # The page reads links as values (links=False); the CPD record prefetches them.
    course = dated(practitioner, today - timedelta(days=3), title="Course")
    EvidenceLink.objects.bulk_create(EvidenceLink(item=course, statement=s) for s in statements[:4])
    other = dated(practitioner, today - timedelta(days=40), hours=Decimal("1.5"))
    EvidenceLink.objects.create(item=other, statement=statements[20])
    dated(other_practitioner, today, title="Not mine")
    start, end = CpdPeriodForm.last_12_months(today)
    with translation.override(language):
        page = cpd_summary(practitioner, start, end, links=False)
        record = cpd_summary(practitioner, start, end)
    assert page.items == record.items
    for name in ("total_hours", "equality_hours", "hours_by_kind", "hours_by_domain"):
        assert getattr(page, name) == getattr(record, name)
    assert page.hours_by_month == record.hours_by_month
    assert [(c.code, c.title, c.levels) for c in page.competencies] == [
        (c.code, c.title, c.levels) for c in record.competencies
    ]
    assert page.competencies and page.hours_by_domain


def test_this_year_preset(practitioner_client, practitioner, today):
    dated(practitioner, today.replace(month=1, day=1), title="New year course")
    dated(practitioner, today.replace(month=1, day=1) - timedelta(days=1), title="Last year")
    response = practitioner_client.get(CPD_URL, {"period": "year"})
    assert response.context["form"].period_dates == (today.replace(month=1, day=1), today)
    assert [i.title for i in response.context["summary"].items] == ["New year course"]


def test_a_custom_period(practitioner_client, practitioner):
    dated(practitioner, date(2024, 5, 1), title="In")
    dated(practitioner, date(2024, 7, 1), title="Out")
    response = practitioner_client.get(
        CPD_URL, {"period": "custom", "date_from": "2024-04-01", "date_to": "2024-06-30"}
    )
    assert [i.title for i in response.context["summary"].items] == ["In"]
    assert "1 April 2024 to 30 June 2024" in response.content.decode()


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"date_from": "2024-06-30", "date_to": "2024-04-01"}, "date_to", "cannot be before"),
        ({"date_from": "2018-01-01", "date_to": "2024-01-01"}, "date_to", "five years or less"),
        ({"date_from": "", "date_to": "2024-01-01"}, "date_from", "Enter the first day"),
        ({"date_from": "2024-13-45", "date_to": "2024-01-01"}, "date_from", "valid date"),
    ],
)
def test_a_bad_custom_period_is_explained_and_keeps_what_was_typed(
    practitioner_client, params, field, message
):
    response = practitioner_client.get(CPD_URL, {"period": "custom", **params})
    assert response.status_code == 200
    assert response.context["summary"] is None
    assert message in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert "There is a problem" in body
    for value in params.values():
        if value:
            assert f'value="{value}"' in body


def test_five_years_exactly_is_allowed_and_a_day_more_is_not(practitioner_client):
    response = practitioner_client.get(
        CPD_URL, {"period": "custom", "date_from": "2020-01-01", "date_to": "2024-12-31"}
    )
    assert response.context["summary"] is not None
    response = practitioner_client.get(
        CPD_URL, {"period": "custom", "date_from": "2020-01-01", "date_to": "2025-01-01"}
    )
    assert response.context["summary"] is None


def test_an_empty_period_says_there_is_nothing_yet(practitioner_client):
    body = practitioner_client.get(CPD_URL).content.decode()
    assert "You have no evidence dated in this period." in body


@pytest.mark.parametrize("count", [3, 60])
def test_cpd_page_query_count_does_not_grow_with_the_number_of_items(
    practitioner_client, practitioner, statements, today, django_assert_num_queries, count
):
    items = [dated(practitioner, today - timedelta(days=n * 5)) for n in range(count)]
    EvidenceLink.objects.bulk_create(
        EvidenceLink(item=item, statement=s)
        for index, item in enumerate(items)
        for s in statements[index % 10 : index % 10 + 5]
    )
    DocumentJob.objects.create(owner=practitioner, kind=DocumentJob.Kind.CPD_RECORD, params={})
    # 1 session, 2 user, 3 the period's items, 4 their links with statements,
    # competencies and domains (prefetch), 5 recent CPD record jobs.
    with django_assert_num_queries(5):
        response = practitioner_client.get(CPD_URL)
    assert len(response.context["summary"].items) == count


# The CPD record ---------------------------------------------------------------------------


def record_data(start: date, end: date) -> dict:
    return {"period": "custom", "date_from": start.isoformat(), "date_to": end.isoformat()}


def test_download_my_cpd_record_makes_a_job_and_shows_its_progress(
    practitioner_client, practitioner, today, django_capture_on_commit_callbacks
):
    start = today - timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = practitioner_client.post(RECORD_URL, record_data(start, today))
    job = DocumentJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:document_detail", args=[job.pk])
    assert job.owner == practitioner
    assert job.kind == DocumentJob.Kind.CPD_RECORD
    assert job.params == cpd_params(start, today)
    assert job.status == DocumentJob.Status.PENDING
    assert len(callbacks) == 1  # enqueued after commit, not run in this test


def test_the_page_offers_the_download_for_the_period_shown(practitioner_client, today):
    body = practitioner_client.get(
        CPD_URL, {"period": "custom", "date_from": "2025-01-01", "date_to": "2025-03-31"}
    ).content.decode()
    assert f'action="{RECORD_URL}"' in body
    assert 'name="date_from" value="2025-01-01"' in body
    assert 'name="date_to" value="2025-03-31"' in body
    assert "Download my CPD record" in body


def test_a_double_submit_makes_one_job(practitioner_client, today):
    data = record_data(today - timedelta(days=30), today)
    first = practitioner_client.post(RECORD_URL, data)
    second = practitioner_client.post(RECORD_URL, data)
    assert DocumentJob.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_bad_period_for_the_record_makes_no_job(practitioner_client):
    response = practitioner_client.post(
        RECORD_URL, {"period": "custom", "date_from": "2024-06-30", "date_to": "2024-01-01"}
    )
    assert response.status_code == 400
    assert "cannot be before" in response.content.decode()
    assert not DocumentJob.objects.exists()


def test_the_record_is_asked_for_only_by_post(practitioner_client):
    assert practitioner_client.get(RECORD_URL).status_code == 405
    assert practitioner_client.post(CPD_URL).status_code == 405


def test_anonymous_cannot_ask_for_a_record(anon_client, db, today):
    response = anon_client.post(RECORD_URL, record_data(today - timedelta(days=5), today))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not DocumentJob.objects.exists()


def test_recent_records_are_listed_with_status_and_links_and_only_ones_own(
    practitioner_client, practitioner, other_practitioner
):
    done = DocumentJob.objects.create(
        owner=practitioner,
        kind=DocumentJob.Kind.CPD_RECORD,
        params=cpd_params(date(2025, 1, 1), date(2025, 12, 31)),
        status=DocumentJob.Status.DONE,
        file="documents/x.pdf",
    )
    failed = DocumentJob.objects.create(
        owner=practitioner,
        kind=DocumentJob.Kind.CPD_RECORD,
        params=cpd_params(date(2024, 1, 1), date(2024, 12, 31)),
        status=DocumentJob.Status.FAILED,
    )
    theirs = DocumentJob.objects.create(
        owner=other_practitioner,
        kind=DocumentJob.Kind.CPD_RECORD,
        params=cpd_params(date(2023, 1, 1), date(2023, 12, 31)),
    )
    body = practitioner_client.get(CPD_URL).content.decode()
    assert reverse("evidence:document_detail", args=[done.pk]) in body
    assert reverse("evidence:document_download", args=[done.pk]) in body
    assert reverse("evidence:document_detail", args=[failed.pk]) in body
    assert "Ready" in body and "Failed" in body
    assert reverse("evidence:document_detail", args=[theirs.pk]) not in body
    assert "1 Jan 2023" not in body
    assert "1 Jan 2025 to 31 Dec 2025" in body


def test_other_practitioner_gets_404_for_a_cpd_record(other_client, practitioner):
    job = DocumentJob.objects.create(
        owner=practitioner, kind=DocumentJob.Kind.CPD_RECORD, params={}
    )
    assert other_client.get(reverse("evidence:document_detail", args=[job.pk])).status_code == 404
