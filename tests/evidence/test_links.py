"""Linking evidence to statements: from the item (the picker) and from a statement (attach)."""

import re

import pytest
from django.urls import reverse

from evidence.models import EvidenceItem, EvidenceLink
from imhcf.models import Statement
from tests.conftest import refused_page
from tests.evidence.factories import EvidenceItemFactory
from tests.factories import build_framework


def statements_of(version) -> list[Statement]:
    return list(
        Statement.objects.filter(competency__domain__version=version).select_related("competency")
    )


@pytest.fixture
def statements(framework):
    return statements_of(framework)


@pytest.fixture
def other_version(framework):
    """A draft edition: its statements must never be linkable from the pages."""
    return build_framework(domains=2, competencies_per_domain=1, status="draft", name="Next draft")


@pytest.fixture
def item(practitioner):
    return EvidenceItemFactory(owner=practitioner, title="Video feedback course")


def picker_url(item) -> str:
    return reverse("evidence:item_statements", args=[item.pk])


def attach_url(statement) -> str:
    return reverse("evidence:attach", args=[statement.pk])


def linked(item) -> dict[int, str]:
    return dict(item.links.values_list("statement_id", "justification"))


def li_for(body: str, statement) -> str:
    """The picker's <li> for one statement, opening tag and all."""
    match = re.search(
        rf'<li class="picker-statement[^"]*" data-search="[^"]*"( hidden)?>\s*'
        rf'<div class="form-check mb-1">\s*<input[^>]*value="{statement.pk}"[^>]*>',
        body,
    )
    assert match, f"no picker row for statement {statement.pk}"
    return match.group(0)


# The picker on the item -------------------------------------------------------------------


def test_picker_groups_statements_by_domain_and_competency_with_glossary_terms(
    practitioner_client, item, shipped_framework
):
    response = practitioner_client.get(picker_url(item))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<details class="picker-domain') == 7
    assert "1. Relationship-based practice" in body
    assert '<span class="competency-code">1.01</span> Holding the baby in mind' in body
    assert body.count('name="statement"') == 189
    # Glossary terms explain themselves where the statements use them.
    assert 'class="gloss-term"' in body
    assert 'role="tooltip"' in body
    assert "<script>" not in body.split("</head>")[1]  # no inline scripts (CSP)
    assert "style=" not in body


def test_search_by_words_works_without_javascript(practitioner_client, item, shipped_framework):
    response = practitioner_client.get(picker_url(item), {"q": "attunement"})
    body = response.content.decode()
    matching = Statement.objects.get(
        competency__domain__version=shipped_framework,
        text__startswith="Understands what attunement",
    )
    other = Statement.objects.get(competency__domain__version=shipped_framework, pk=1)
    assert " hidden>" not in li_for(body, matching)
    assert " hidden>" in li_for(body, other)
    # The three levels of the two competencies whose titles name attunement (1.04 and 5.02);
    # "attuned" (5.07, level 1) is another word.
    assert response.context["match_count"] == 6
    assert "match" in body


def test_search_by_code_and_level_finds_one_statement(practitioner_client, item, statements):
    response = practitioner_client.get(picker_url(item), {"q": "4.01/L2"})
    assert response.context["match_count"] == 1
    assert "1 statement matches." in response.content.decode()


def test_search_that_matches_nothing_says_so(practitioner_client, item, framework):
    response = practitioner_client.get(picker_url(item), {"q": "zebra"})
    assert response.context["match_count"] == 0
    body = response.content.decode()
    assert "No statement matches that search." in body


def test_saving_the_picker_links_ticked_statements_with_their_justifications(
    practitioner_client, item, statements
):
    first, second = statements[0], statements[10]
    response = practitioner_client.post(
        picker_url(item),
        {
            "statement": [first.pk, second.pk],
            f"justification-{first.pk}": "  We practised   noticing cues. ",
            f"justification-{statements[5].pk}": "ignored: not ticked",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:item_detail", args=[item.pk])
    assert linked(item) == {first.pk: "We practised noticing cues.", second.pk: ""}


def test_unticking_a_statement_unlinks_it_and_changed_notes_are_saved(
    practitioner_client, item, statements
):
    EvidenceLink.objects.create(item=item, statement=statements[0], justification="old")
    EvidenceLink.objects.create(item=item, statement=statements[1])
    practitioner_client.post(
        picker_url(item),
        {"statement": [statements[0].pk], f"justification-{statements[0].pk}": "new"},
    )
    assert linked(item) == {statements[0].pk: "new"}


def test_picker_shows_what_is_already_linked_even_when_a_search_hides_it(
    practitioner_client, item, statements
):
    EvidenceLink.objects.create(item=item, statement=statements[0], justification="kept")
    body = practitioner_client.get(picker_url(item), {"q": "7.03"}).content.decode()
    row = li_for(body, statements[0])
    # Hidden by the search but still in the form and ticked, so saving keeps the link.
    assert " hidden>" in row and "checked" in row
    assert 'value="kept"' in body


def test_a_statement_from_another_edition_is_refused(
    practitioner_client, item, statements, other_version
):
    foreign = statements_of(other_version)[0]
    EvidenceLink.objects.create(item=item, statement=statements[0])
    response = practitioner_client.post(picker_url(item), {"statement": [foreign.pk]})
    refused_page(response, "not in the current framework")
    assert linked(item) == {statements[0].pk: ""}


def test_a_nonexistent_statement_id_is_refused(practitioner_client, item, statements):
    response = practitioner_client.post(picker_url(item), {"statement": ["999999", "x"]})
    refused_page(response, "There is a problem")
    assert not item.links.exists()


def test_links_made_under_an_earlier_edition_survive_saving_the_picker(
    practitioner_client, item, statements, other_version
):
    # The older link's statement is not on the page (not in the published edition).
    old = statements_of(other_version)[0]
    EvidenceLink.objects.create(item=item, statement=old, justification="from last year")
    practitioner_client.post(picker_url(item), {"statement": [statements[2].pk]})
    assert linked(item) == {old.pk: "from last year", statements[2].pk: ""}


def test_other_practitioner_gets_404_for_the_picker(other_client, item, statements):
    assert other_client.get(picker_url(item)).status_code == 404
    response = other_client.post(picker_url(item), {"statement": [statements[0].pk]})
    assert response.status_code == 404
    assert not item.links.exists()


def test_anonymous_cannot_save_links(anon_client, item, statements):
    response = anon_client.post(picker_url(item), {"statement": [statements[0].pk]})
    assert response.status_code == 302
    assert not item.links.exists()


def test_picker_refuses_other_methods(practitioner_client, item, framework):
    assert practitioner_client.put(picker_url(item)).status_code == 405


def test_picker_query_count_does_not_grow_with_the_items_links(
    practitioner_client, practitioner, statements, django_assert_num_queries
):
    small = EvidenceItemFactory(owner=practitioner)
    large = EvidenceItemFactory(owner=practitioner)
    EvidenceLink.objects.bulk_create(EvidenceLink(item=large, statement=s) for s in statements)
    # 1 session, 2 user, 3 the item, 4 the published version, 5 the item's links,
    # 6-8 domains, competencies, statements (framework_tree). Glossary marking is cached
    # per version revision, so the first request warms it and is not counted.
    practitioner_client.get(picker_url(small))
    with django_assert_num_queries(8):
        practitioner_client.get(picker_url(small))
    with django_assert_num_queries(8):
        practitioner_client.get(picker_url(large))


# Attaching from a statement ---------------------------------------------------------------


def test_attach_page_shows_the_statement_glossed_and_the_practitioners_items(
    practitioner_client, practitioner, other_practitioner, shipped_framework
):
    statement = Statement.objects.get(
        competency__domain__version=shipped_framework,
        text__startswith="Understands what attunement",
    )
    EvidenceItemFactory(owner=practitioner, title="My course")
    EvidenceItemFactory(owner=other_practitioner, title="Their course")
    response = practitioner_client.get(attach_url(statement), {"next": "/assessment/domains/1/"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="gloss-term"' in body
    assert "My course" in body and "Their course" not in body
    assert 'name="next" value="/assessment/domains/1/"' in body
    # The new-item form arrives already aimed at this statement.
    assert f'name="statement" value="{statement.pk}"' in body
    assert "A seminar, workshop, course or conference session" in body


def test_attaching_existing_items_links_them_and_returns_to_next(
    practitioner_client, practitioner, statements
):
    statement = statements[3]
    first = EvidenceItemFactory(owner=practitioner)
    second = EvidenceItemFactory(owner=practitioner)
    response = practitioner_client.post(
        attach_url(statement),
        {
            "items": [first.pk, second.pk],
            "justification": "Both show it.",
            "next": "/assessment/domains/2/#row-4",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/assessment/domains/2/#row-4"
    assert set(EvidenceLink.objects.values_list("item_id", "statement_id", "justification")) == {
        (first.pk, statement.pk, "Both show it."),
        (second.pk, statement.pk, "Both show it."),
    }


def test_attaching_an_item_again_makes_no_second_link(practitioner_client, item, statements):
    EvidenceLink.objects.create(item=item, statement=statements[0])
    response = practitioner_client.post(attach_url(statements[0]), {"items": [item.pk]})
    assert response.status_code == 302
    assert EvidenceLink.objects.count() == 1
    page = practitioner_client.get(attach_url(statements[0])).content.decode()
    assert "already attached" in page


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_an_unsafe_next_is_ignored(practitioner_client, item, statements, target):
    response = practitioner_client.post(
        attach_url(statements[0]), {"items": [item.pk], "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == attach_url(statements[0])


def test_another_practitioners_item_id_is_refused(
    practitioner_client, other_practitioner, statements
):
    theirs = EvidenceItemFactory(owner=other_practitioner)
    response = practitioner_client.post(attach_url(statements[0]), {"items": [theirs.pk]})
    refused_page(response, "not yours or no longer exists")
    assert not EvidenceLink.objects.exists()


def test_statement_of_another_edition_or_unknown_is_404(
    practitioner_client, item, statements, other_version
):
    foreign = statements_of(other_version)[0]
    assert practitioner_client.get(attach_url(foreign)).status_code == 404
    assert practitioner_client.post(attach_url(foreign), {"items": [item.pk]}).status_code == 404
    assert practitioner_client.get(reverse("evidence:attach", args=[999999])).status_code == 404
    assert not EvidenceLink.objects.exists()


def test_attach_refuses_other_methods_and_anonymous(
    anon_client, practitioner_client, item, statements
):
    assert practitioner_client.put(attach_url(statements[0])).status_code == 405
    response = anon_client.post(attach_url(statements[0]), {"items": [item.pk]})
    assert response.status_code == 302
    assert not EvidenceLink.objects.exists()


def _new_from_statement(client, statement, **typed):
    """Adds evidence from ``statement``'s page on the grid's domain 3, as typed (``typed``
    changes the justification or hours)."""
    return client.post(
        reverse("evidence:item_create"),
        {
            "statement": statement.pk,
            "next": "/assessment/domains/3/",
            "justification": "The whole course was about this.",
            "kind": "training",
            "title": "Observation course",
            "start_date": "2026-01-20",
            "hours": "12",
            **typed,
        },
    )


def test_new_evidence_from_a_statement_is_saved_linked_and_returns_to_next(
    practitioner_client, practitioner, statements
):
    statement = statements[7]
    response = _new_from_statement(practitioner_client, statement)
    assert response.status_code == 302
    assert response["Location"] == "/assessment/domains/3/"
    item = EvidenceItem.objects.get(owner=practitioner)
    assert linked(item) == {statement.pk: "The whole course was about this."}


def test_new_evidence_with_errors_keeps_the_statement_and_what_was_typed(
    practitioner_client, statements
):
    statement = statements[7]
    response = _new_from_statement(
        practitioner_client, statement, justification="My note", hours="-4"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f'name="statement" value="{statement.pk}"' in body
    assert 'name="next" value="/assessment/domains/3/"' in body
    assert 'value="My note"' in body and 'value="Observation course"' in body
    assert "This evidence will be linked to statement" in body
    assert not EvidenceItem.objects.exists()


def test_new_evidence_for_a_statement_of_another_edition_is_404(
    practitioner_client, statements, other_version
):
    foreign = statements_of(other_version)[0]
    response = practitioner_client.post(
        reverse("evidence:item_create"),
        {"statement": foreign.pk, "kind": "training", "title": "X", "start_date": "2026-01-20"},
    )
    assert response.status_code == 404
    assert not EvidenceItem.objects.exists()
