"""The evidence list and adding, editing and deleting an item, as a practitioner uses them.

Over 400 lines on purpose: every view of one resource, each with its happy path, wrong method,
wrong owner and wrong role.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence import services
from evidence.models import EvidenceItem, EvidenceLink
from imhcf.models import Statement
from tests.evidence.factories import EvidenceItemFactory

pytestmark = pytest.mark.usefixtures("private_storage")


LIST_URL = reverse("evidence:list")
NEW_URL = reverse("evidence:item_create")


@pytest.fixture
def statements(framework):
    return list(
        Statement.objects.filter(competency__domain__version=framework).select_related(
            "competency__domain"
        )
    )


@pytest.fixture
def item(practitioner):
    return EvidenceItemFactory(
        owner=practitioner,
        kind=EvidenceItem.Kind.TRAINING,
        title="Attachment in the first year",
        start_date=date(2026, 3, 14),
        hours=Decimal("6"),
    )


def valid_data(**overrides) -> dict:
    data = {
        "kind": "training",
        "title": "Parent-infant observation seminar",
        "start_date": "2026-02-10",
        "end_date": "",
        "hours": "3.5",
        "provider": "Regional IMH network",
        "description": "What I noticed about the cues of the baby.",
    }
    data.update(overrides)
    return data


def link(item, *statements, justification=""):
    for statement in statements:
        EvidenceLink.objects.create(item=item, statement=statement, justification=justification)


# Who may reach what ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("evidence:list", []),
        ("evidence:item_create", []),
        ("evidence:item_detail", [1]),
        ("evidence:item_edit", [1]),
        ("evidence:item_delete", [1]),
        ("evidence:item_statements", [1]),
        ("evidence:attach", [1]),
        ("evidence:file_delete", [1]),
        ("evidence:cpd", []),
    ],
)
def test_anonymous_visitor_is_sent_to_sign_in(anon_client, db, name, args):
    url = reverse(name, args=args)
    response = anon_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next={url}" in response["Location"]


def test_anonymous_post_to_create_saves_nothing(anon_client, db):
    response = anon_client.post(NEW_URL, valid_data())
    assert response.status_code == 302
    assert not EvidenceItem.objects.exists()


@pytest.mark.parametrize(
    "name", ["evidence:item_detail", "evidence:item_edit", "evidence:item_delete"]
)
def test_other_practitioner_gets_404_for_an_item(other_client, item, name):
    assert other_client.get(reverse(name, args=[item.pk])).status_code == 404


def test_other_practitioner_cannot_edit_an_item(other_client, item):
    response = other_client.post(
        reverse("evidence:item_edit", args=[item.pk]), valid_data(title="Taken over")
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.title == "Attachment in the first year"


def test_other_practitioner_cannot_delete_an_item(other_client, item):
    assert other_client.post(reverse("evidence:item_delete", args=[item.pk])).status_code == 404
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize(
    "method, name, needs_item",
    [
        ("post", "evidence:list", False),
        ("put", "evidence:item_create", False),
        ("post", "evidence:item_detail", True),
        ("delete", "evidence:item_edit", True),
        ("delete", "evidence:item_delete", True),
    ],
)
def test_wrong_method_is_405(practitioner_client, item, method, name, needs_item):
    url = reverse(name, args=[item.pk] if needs_item else [])
    assert getattr(practitioner_client, method)(url).status_code == 405


# The list ---------------------------------------------------------------------------------


def test_empty_list_explains_evidence_and_leads_to_add_evidence(practitioner_client):
    response = practitioner_client.get(LIST_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "You have not recorded any evidence yet" in body
    assert "Evidence is a record of something you have done" in body
    assert f'href="{NEW_URL}"' in body


def test_list_shows_kind_dates_hours_codes_and_file_count(practitioner_client, item, statements):
    link(item, statements[0], statements[4])
    EvidenceItemFactory(
        owner=item.owner,
        kind=EvidenceItem.Kind.SUPERVISION,
        deidentified=True,
        title="Group supervision",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 1, 9),
        hours=Decimal("1.5"),
    )
    body = practitioner_client.get(LIST_URL).content.decode()
    assert "Attachment in the first year" in body
    assert "Training or course" in body and "Supervision report" in body
    assert "14 Mar 2026" in body
    assert "5 Jan 2026 \u2013 9 Jan 2026" in body
    assert "6 hours" in body and "1.5 hours" in body
    assert "1.01&nbsp;L1" in body and "1.02&nbsp;L2" in body
    assert "0 files" in body


def test_list_escapes_titles_and_shows_its_filters_in_the_language_asked_each_time(
    practitioner_client, practitioner, item
):
    # The list is built in Python (evidence/list_html.py) and its unbound filter controls are
    # kept per language in the process: English, Welsh, then English again from the same cache.
    EvidenceItemFactory(owner=practitioner, title='<script>alert("x")</script> & co')
    english = practitioner_client.get(LIST_URL).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in english
    assert "<script>alert" not in english
    assert "All kinds" in english and "Pob math" not in english
    practitioner.language = "cy"
    practitioner.save(update_fields=["language"])
    welsh = practitioner_client.get(LIST_URL).content.decode()
    assert "Pob math" in welsh and "All kinds" not in welsh
    practitioner.language = "en-gb"
    practitioner.save(update_fields=["language"])
    assert "All kinds" in practitioner_client.get(LIST_URL).content.decode()


def test_list_total_counts_an_item_once_however_many_statements_it_supports(
    practitioner_client, item, statements
):
    link(item, *statements[:9])
    EvidenceItemFactory(owner=item.owner, hours=Decimal("2.25"))
    response = practitioner_client.get(LIST_URL)
    assert response.context["total_hours"] == Decimal("8.25")
    assert "<strong>2</strong> items, <strong>8.25 hours</strong> in total" in (
        response.content.decode()
    )


def test_list_total_of_one_item_and_one_hour_is_singular(practitioner_client, practitioner):
    EvidenceItemFactory(owner=practitioner, hours=Decimal("1"))

    body = practitioner_client.get(LIST_URL).content.decode()

    assert "<strong>1</strong> item, <strong>1 hour</strong> in total" in body
    assert "1 hours" not in body and "1 items" not in body


def test_list_shows_only_the_practitioners_own_evidence(
    practitioner_client, item, other_practitioner
):
    EvidenceItemFactory(owner=other_practitioner, title="Another practitioner course")
    body = practitioner_client.get(LIST_URL).content.decode()
    assert "Attachment in the first year" in body
    assert "Another practitioner course" not in body


def test_list_filters_by_kind_domain_and_dates_with_totals_to_match(
    practitioner_client, practitioner, statements
):
    domain_2 = [s for s in statements if s.competency.domain.number == 2]
    course = EvidenceItemFactory(
        owner=practitioner, title="Course", start_date=date(2026, 1, 10), hours=Decimal("4")
    )
    link(course, *domain_2[:3])  # several statements in one domain: still one item
    reflection = EvidenceItemFactory(
        owner=practitioner,
        kind=EvidenceItem.Kind.REFLECTIVE,
        title="Reflection",
        start_date=date(2025, 6, 1),
        hours=Decimal("1"),
    )
    link(reflection, statements[0])

    by_kind = practitioner_client.get(LIST_URL, {"kind": "reflective"})
    assert [i.title for i in by_kind.context["page"]] == ["Reflection"]
    assert by_kind.context["total_hours"] == Decimal("1")

    by_domain = practitioner_client.get(LIST_URL, {"domain": "2"})
    assert [i.title for i in by_domain.context["page"]] == ["Course"]
    assert by_domain.context["total_hours"] == Decimal("4")

    by_dates = practitioner_client.get(
        LIST_URL, {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    )
    assert [i.title for i in by_dates.context["page"]] == ["Course"]


def test_a_mistyped_filter_date_is_reported_and_the_other_filters_still_apply(
    practitioner_client, practitioner
):
    EvidenceItemFactory(owner=practitioner, title="Course")
    EvidenceItemFactory(owner=practitioner, kind=EvidenceItem.Kind.REFLECTIVE, title="Reflection")
    response = practitioner_client.get(LIST_URL, {"kind": "reflective", "date_from": "not a date"})
    assert response.status_code == 200
    assert [i.title for i in response.context["page"]] == ["Reflection"]
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="not a date"' in body


def test_a_filter_that_matches_nothing_says_so_rather_than_the_empty_state(
    practitioner_client, item
):
    body = practitioner_client.get(LIST_URL, {"kind": "clinical"}).content.decode()
    assert "None of your evidence matches these filters" in body
    assert "You have not recorded any evidence yet" not in body


def test_long_lists_are_paginated_and_keep_the_filters(practitioner_client, practitioner):
    EvidenceItemFactory.create_batch(25, owner=practitioner)
    first = practitioner_client.get(LIST_URL, {"kind": "training"})
    assert len(first.context["page"].object_list) == 20
    assert "?kind=training&amp;page=2" in first.content.decode()
    second = practitioner_client.get(LIST_URL, {"kind": "training", "page": "2"})
    assert len(second.context["page"].object_list) == 5
    assert second.context["total_hours"] == Decimal("3.5") * 25


def _items_with_links(owner, statements, count):
    items = EvidenceItemFactory.create_batch(count, owner=owner)
    EvidenceLink.objects.bulk_create(
        EvidenceLink(item=item, statement=statement)
        for index, item in enumerate(items)
        for statement in statements[index % 5 : index % 5 + 4]
    )


@pytest.mark.parametrize("count", [3, 60])
def test_list_query_count_does_not_grow_with_the_number_of_items(
    practitioner_client, practitioner, statements, django_assert_num_queries, count
):
    _items_with_links(practitioner, statements, count)
    # 1 session, 2 user, 3 published domains for the filter, 4 paginator count,
    # 5 the page of items with file counts, 6 their links with statements and
    # competencies (prefetch), 7 the hours total.
    with django_assert_num_queries(7):
        response = practitioner_client.get(LIST_URL, {"domain": "1"})
    assert response.status_code == 200
    # The same budget filtered or not; and the page holds at most PAGE_SIZE items.
    with django_assert_num_queries(7):
        practitioner_client.get(LIST_URL)


# Adding -----------------------------------------------------------------------------------


def test_adding_evidence_saves_it_for_the_practitioner_and_shows_it(
    practitioner_client, practitioner
):
    response = practitioner_client.post(NEW_URL, valid_data())
    item = EvidenceItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:item_detail", args=[item.pk])
    assert item.owner == practitioner
    assert item.hours == Decimal("3.5")
    assert item.start_date == date(2026, 2, 10)
    page = practitioner_client.get(response["Location"]).content.decode()
    assert "Parent-infant observation seminar" in page
    assert "is saved" in page


def test_the_form_explains_each_kind_and_the_deidentification_confirmation(practitioner_client):
    body = practitioner_client.get(NEW_URL).content.decode()
    assert "A seminar, workshop, course or conference session" in body
    assert "A record of reflective or clinical supervision" in body
    # Without JavaScript the confirmation is simply there, with what it means.
    assert "I have removed client-identifying details" in body
    assert "Needed for supervision reports and clinical work experience" in body
    assert "data-deidentify" in body


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"hours": "three"}, "hours", "Enter hours as a number"),
        ({"hours": "-2"}, "hours", "Hours cannot be negative"),
        ({"hours": "2500"}, "hours", "Hours must be 2000 or fewer"),
        ({"hours": "1.255"}, "hours", "no more than two decimal places"),
        ({"hours": "30"}, "hours", "more hours than 1 day holds"),
        ({"end_date": "2026-02-01"}, "end_date", "cannot be before the first day"),
        ({"start_date": "2031-01-01"}, "start_date", "more than a year from today"),
        ({"start_date": "31/02/2026"}, "start_date", "Enter a real date"),
        ({"title": ""}, "title", "This field is required"),
    ],
)
def test_bad_input_re_renders_with_everything_typed_and_an_error_summary(
    practitioner_client, overrides, field, message
):
    data = valid_data(**overrides)
    response = practitioner_client.post(NEW_URL, data)
    assert response.status_code == 400
    assert not EvidenceItem.objects.exists()
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    body = response.content.decode()
    assert "There is a problem" in body
    assert f'href="#id_{field}"' in body
    # Nothing typed is lost, the bad value included.
    assert 'value="Parent-infant observation seminar"' in body or field == "title"
    assert "What I noticed about the cues of the baby." in body
    assert 'value="training" checked' in body
    if data[field]:
        assert f'value="{data[field]}"' in body


def test_many_hours_are_fine_over_several_days(practitioner_client):
    response = practitioner_client.post(
        NEW_URL, valid_data(hours="30", start_date="2026-02-10", end_date="2026-02-14")
    )
    assert response.status_code == 302
    assert EvidenceItem.objects.get().hours == Decimal("30")


@pytest.mark.parametrize("kind", ["supervision", "clinical"])
def test_sensitive_evidence_without_the_deidentification_confirmation_is_refused(
    practitioner_client, kind
):
    response = practitioner_client.post(NEW_URL, valid_data(kind=kind))
    assert response.status_code == 400
    assert not EvidenceItem.objects.exists()
    errors = response.context["form"].errors["deidentified"]
    assert "Confirm that you have removed anything that could identify a client" in errors[0]
    body = response.content.decode()
    assert 'href="#id_deidentified"' in body
    assert "What I noticed about the cues of the baby." in body


def test_sensitive_evidence_with_the_confirmation_is_saved(practitioner_client):
    response = practitioner_client.post(NEW_URL, valid_data(kind="supervision", deidentified="on"))
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.kind == "supervision" and item.deidentified


def test_a_refusal_from_the_service_is_shown_on_the_form_with_nothing_lost(
    practitioner_client, statements
):
    # The form has no field for the justification typed on a statement's row, so only the
    # service can refuse one that is too long: a real refusal, not a stand-in.
    too_long = "x" * (services.JUSTIFICATION_MAX_LENGTH + 1)
    response = practitioner_client.post(
        NEW_URL, valid_data(statement=statements[0].pk, justification=too_long)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert (
        f"Keep each justification to {services.JUSTIFICATION_MAX_LENGTH} characters or fewer."
        in body
    )
    assert 'value="Parent-infant observation seminar"' in body
    assert EvidenceItem.objects.count() == 0


def test_other_kinds_do_not_need_the_confirmation(practitioner_client):
    assert practitioner_client.post(NEW_URL, valid_data(kind="reflective")).status_code == 302


# Editing ----------------------------------------------------------------------------------


def test_editing_changes_the_item(practitioner_client, item):
    url = reverse("evidence:item_edit", args=[item.pk])
    form_page = practitioner_client.get(url).content.decode()
    assert 'value="Attachment in the first year"' in form_page
    assert 'value="2026-03-14"' in form_page
    response = practitioner_client.post(
        url, valid_data(title="Attachment, revisited", hours="7.25")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Attachment, revisited"
    assert item.hours == Decimal("7.25")


def test_a_bad_edit_changes_nothing_and_keeps_what_was_typed(practitioner_client, item):
    url = reverse("evidence:item_edit", args=[item.pk])
    response = practitioner_client.post(url, valid_data(title="New title", hours="-1"))
    assert response.status_code == 400
    assert 'value="New title"' in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Attachment in the first year"


def test_changing_an_item_to_supervision_asks_for_the_confirmation(practitioner_client, item):
    url = reverse("evidence:item_edit", args=[item.pk])
    response = practitioner_client.post(url, valid_data(kind="supervision"))
    assert response.status_code == 400
    assert "deidentified" in response.context["form"].errors
    item.refresh_from_db()
    assert item.kind == "training"


# Viewing and deleting ---------------------------------------------------------------------


def test_item_page_shows_its_facts_and_statements(practitioner_client, item, statements):
    link(item, statements[0], justification="We practised noticing cues.")
    body = practitioner_client.get(reverse("evidence:item_detail", args=[item.pk])).content.decode()
    assert "Attachment in the first year" in body
    assert "14 March 2026" in body
    assert "1.01&nbsp;L1" in body
    assert "We practised noticing cues." in body
    assert reverse("evidence:item_statements", args=[item.pk]) in body


def test_delete_asks_first_and_a_get_deletes_nothing(practitioner_client, item, statements):
    link(item, *statements[:2])
    response = practitioner_client.get(reverse("evidence:item_delete", args=[item.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "This cannot be undone" in body
    assert "its links to 2 statements" in body
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


def test_deleting_an_item_removes_it_and_its_links(practitioner_client, item, statements):
    link(item, *statements[:2])
    response = practitioner_client.post(reverse("evidence:item_delete", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    assert not EvidenceLink.objects.exists()


def test_dates_far_in_the_past_are_taken_as_typing_slips(practitioner_client):
    response = practitioner_client.post(NEW_URL, valid_data(start_date="0026-02-10"))
    assert response.status_code == 400
    assert "start_date" in response.context["form"].errors


def test_a_planned_activity_within_the_year_is_accepted(practitioner_client):
    soon = timezone.localdate() + timedelta(days=30)
    response = practitioner_client.post(NEW_URL, valid_data(start_date=soon.isoformat()))
    assert response.status_code == 302
