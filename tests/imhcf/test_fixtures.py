"""The framework and glossary shipped in fixtures/ are complete and consistent."""

import re
from collections import Counter

import pytest
from django.core.management import call_command

from imhcf.models import Competency, Domain, FrameworkVersion, GlossaryTerm, Level, Statement

BRIEF_DOMAINS = [
    "Relationship-based practice",
    "Normal and atypical development",
    "Factors that influence caregiving capacity",
    "Assessment of caregiving",
    "Supporting caregiving",
    "Reflective practice and supervision",
    "Working within the relevant legal and professional framework",
]

# The Key Terms the brief names; dysregulation is held as "emotional dysregulation".
KEY_TERMS = [
    "attachment",
    "attunement",
    "contingent responsiveness",
    "emotional regulation",
    "emotional dysregulation",
    "marked mirroring",
    "reflective function",
    "unresolved trauma",
]


def _whole_word(form: str) -> re.Pattern:
    """Same rule as the glossary marking: case-insensitive, whole words, any spacing."""
    words = r"\s+".join(map(re.escape, form.split()))
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def _statement_texts(version) -> list[str]:
    return list(
        Statement.objects.filter(competency__domain__version=version).values_list("text", flat=True)
    )


def _statements_using(term: GlossaryTerm, texts: list[str]) -> int:
    patterns = [_whole_word(form) for form in term.all_forms]
    return sum(1 for text in texts if any(p.search(text) for p in patterns))


def test_shipped_version_is_the_single_published_draft_wording(shipped_framework):
    assert FrameworkVersion.objects.count() == 1
    assert shipped_framework.name == "2026.1 project draft"
    assert shipped_framework.core_competency_name == "The infant mental health frame of mind"
    assert shipped_framework.core_competency_text.strip()
    assert shipped_framework.published_at is not None
    assert shipped_framework.based_on is None


def test_framework_has_the_seven_domains_named_in_the_brief(shipped_framework):
    domains = list(shipped_framework.domains.order_by("number").values_list("number", "name"))
    assert domains == list(enumerate(BRIEF_DOMAINS, start=1))
    assert all(d.summary.strip() for d in shipped_framework.domains.all())


def test_framework_has_three_levels(shipped_framework):
    levels = shipped_framework.levels.order_by("number")
    assert [level.number for level in levels] == [1, 2, 3]
    for level in levels:
        assert level.name.strip() and level.meaning.strip() and level.audience.strip()


def test_each_domain_has_eight_to_ten_competencies_and_sixty_or_more_in_all(shipped_framework):
    per_domain = Counter(
        Competency.objects.filter(domain__version=shipped_framework).values_list(
            "domain__number", flat=True
        )
    )
    assert sorted(per_domain) == [1, 2, 3, 4, 5, 6, 7]
    assert all(8 <= count <= 10 for count in per_domain.values()), per_domain
    assert sum(per_domain.values()) == 63  # nine in each of the seven domains


def test_every_competency_has_exactly_one_statement_at_each_level(shipped_framework):
    competencies = Competency.objects.filter(domain__version=shipped_framework)
    for competency in competencies.prefetch_related("statements"):
        levels = sorted(s.level for s in competency.statements.all())
        assert levels == [1, 2, 3], competency.code
    assert Statement.objects.count() == 3 * competencies.count()


def test_competency_codes_are_unique_and_numbered_within_their_domain(shipped_framework):
    competencies = Competency.objects.filter(domain__version=shipped_framework).select_related(
        "domain"
    )
    codes = [c.code for c in competencies]
    assert len(codes) == len(set(codes))
    for competency in competencies:
        domain_number, number = competency.code.split(".")
        assert int(domain_number) == competency.domain.number, competency.code
        assert int(number) == competency.order, competency.code
        competency.full_clean(exclude=["domain"])  # code validator and field lengths
        assert 3 <= len(competency.title.split()) <= 8, competency.title


def test_statement_texts_are_distinct_and_not_blank(shipped_framework):
    texts = _statement_texts(shipped_framework)
    assert all(text.strip() for text in texts)
    assert len(texts) == len(set(texts))


def test_every_key_term_from_the_brief_is_defined(shipped_framework):
    terms = {t.term: t for t in shipped_framework.glossary_terms.all()}
    missing = [key for key in KEY_TERMS if key not in terms]
    assert missing == []
    assert all(terms[key].definition.strip() for key in KEY_TERMS)
    assert "dysregulation" in terms["emotional dysregulation"].all_forms


def test_glossary_slugs_are_unique_lowercase_and_hyphenated(shipped_framework):
    slugs = list(shipped_framework.glossary_terms.values_list("slug", flat=True))
    assert len(slugs) == 42
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) for slug in slugs)


def test_every_glossary_term_is_used_whole_word_in_some_statement(shipped_framework):
    texts = _statement_texts(shipped_framework)
    unused = [
        term.term
        for term in shipped_framework.glossary_terms.all()
        if _statements_using(term, texts) == 0
    ]
    assert unused == []


@pytest.mark.parametrize("key", KEY_TERMS)
def test_each_key_term_is_used_in_several_statements(shipped_framework, key):
    term = shipped_framework.glossary_terms.get(term=key)
    assert _statements_using(term, _statement_texts(shipped_framework)) >= 3


def test_loading_the_fixtures_twice_leaves_the_same_rows(shipped_framework):
    models = [FrameworkVersion, Level, Domain, Competency, Statement, GlossaryTerm]
    before = {model: model.objects.count() for model in models}
    texts_before = sorted(_statement_texts(shipped_framework))

    call_command("loaddata", "framework", "glossary", verbosity=0)

    assert {model: model.objects.count() for model in models} == before
    assert sorted(_statement_texts(shipped_framework)) == texts_before
