import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from imhcf import glossary
from imhcf.glossary import GlossaryMatcher
from tests.factories import GlossaryTermFactory, StatementFactory


@pytest.fixture
def matcher(db):
    version_terms = [
        GlossaryTermFactory.build(
            term="attunement", slug="attunement", definition="Being in tune.", forms="attuned"
        ),
        GlossaryTermFactory.build(
            term="emotional dysregulation",
            slug="emotional-dysregulation",
            definition="Feelings beyond the person's capacity to manage them.",
            forms="dysregulation\ndysregulated",
        ),
        GlossaryTermFactory.build(
            term="attachment", slug="attachment", definition="The bond <strong>baby</strong>."
        ),
    ]
    return GlossaryMatcher(version_terms)


def _marked_terms(html: str) -> list[str]:
    return re.findall(r'class="gloss-term"[^>]*>([^<]+)</a>', html)


def test_term_and_its_forms_are_marked_case_insensitively(matcher):
    html = matcher.mark("An Attuned parent notices DYSREGULATION early.", "t")
    assert _marked_terms(html) == ["Attuned", "DYSREGULATION"]
    assert 'href="/framework/glossary/#term-attunement"' in html
    assert 'href="/framework/glossary/#term-emotional-dysregulation"' in html


def test_only_whole_words_are_marked(matcher):
    html = matcher.mark("Reattunement and attachments and nonattuned are not terms.", "t")
    assert _marked_terms(html) == []


def test_longest_form_wins(matcher):
    html = matcher.mark("Emotional dysregulation in toddlers.", "t")
    assert _marked_terms(html) == ["Emotional dysregulation"]


def test_first_use_only_is_marked_per_text(matcher):
    html = matcher.mark("Attunement builds on attunement.", "t")
    assert _marked_terms(html) == ["Attunement"]


def test_definition_is_the_accessible_description_and_is_escaped(matcher):
    html = matcher.mark("Secure attachment.", "st-9")
    assert 'aria-describedby="st-9-1"' in html
    assert 'id="st-9-1"' in html and 'role="tooltip"' in html
    # The definition's own markup arrives as text, never as HTML.
    assert "&lt;strong&gt;baby&lt;/strong&gt;" in html


def test_statement_text_is_shown_as_text_and_attributes_are_never_marked(matcher):
    html = matcher.mark('<a title="attunement">x</a> & attunement', "t")
    # The statement's own angle brackets arrive escaped: it is text, not markup.
    assert "<a title" not in html
    assert html.startswith("&lt;a title=&quot;")

    class Collect(HTMLParser):
        attribute_values: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.attribute_values += [value or "" for _, value in attrs]

    parser = Collect()
    parser.feed(str(html))
    # Attributes we generate (href, aria-describedby, id) hold no nested markup.
    assert parser.attribute_values
    assert not any("<" in v or "&lt;" in v for v in parser.attribute_values)


def test_definitions_are_not_marked_inside_tooltips(matcher):
    # "attachment"'s definition mentions no term, but "emotional dysregulation"'s
    # definition mentions none either; check the tooltip of attunement stays plain.
    html = matcher.mark("Attunement.", "t")
    tip = html.split('role="tooltip"', 1)[1]
    assert "gloss-term" not in tip


def test_marked_statements_are_cached_per_version_revision(db, django_assert_num_queries):
    cache.clear()
    statement = StatementFactory(text="Attunement matters.")
    version = statement.competency.domain.version
    GlossaryTermFactory(version=version, term="attunement", slug="attunement")
    with django_assert_num_queries(2):  # glossary terms, statement texts
        first = glossary.marked_statements(version)
    with django_assert_num_queries(0):
        second = glossary.marked_statements(version)
    assert first == second
    assert "gloss-term" in first[statement.pk]

    version.content_revision += 1
    statement.text = "Now without the term."
    statement.save()
    version.save()
    assert "gloss-term" not in glossary.marked_statements(version)[statement.pk]
