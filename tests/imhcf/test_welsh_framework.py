"""The framework in Welsh beside English: shipped, edited, marked, carried and handed over."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from imhcf import glossary, opendata
from imhcf.bilingual import TRANSLATED, localised, welsh_field
from imhcf.errors import FrameworkError
from imhcf.models import GlossaryTerm, Statement, WordingRevision
from imhcf.services.versions import version_start_draft
from imhcf.services.wording import wording_update
from tests.factories import GlossaryTermFactory, build_framework


def _rows(version):
    yield version
    yield from version.levels.all()
    yield from version.domains.all()
    for domain in version.domains.all():
        yield from domain.competencies.all()
    yield from Statement.objects.filter(competency__domain__version=version)
    yield from version.glossary_terms.all()


def test_the_shipped_framework_has_welsh_for_every_worded_field(shipped_framework):
    missing = [
        f"{row._meta.model_name} {row.pk} {field}"
        for row in _rows(shipped_framework)
        for field in TRANSLATED[row._meta.model_name]
        # A term with no other forms in English may have none in Welsh either.
        if not getattr(row, welsh_field(field)) and not (field == "forms" and not row.forms)
    ]
    assert not missing, missing
    for row in _rows(shipped_framework):
        for field in TRANSLATED[row._meta.model_name]:
            if getattr(row, field):
                assert getattr(row, welsh_field(field)) != getattr(row, field) or field == "name"


def test_the_shipped_welsh_glossary_marks_the_welsh_statements(shipped_framework):
    with translation.override("cy"):
        marked = glossary.marked_statements(shipped_framework)
    terms_cy = {t.slug: t.term_cy for t in shipped_framework.glossary_terms.all()}
    used = {slug for html in marked.values() for slug in re.findall(r"#term-([\w-]+)", html)}
    # Most Welsh terms are found in the Welsh statements, and each explains itself in Welsh.
    assert len(used) >= len(terms_cy) // 2, sorted(set(terms_cy) - used)
    some = next(html for html in marked.values() if "gloss-term" in html)
    assert any(f"<strong>{term}:</strong>" in some for term in terms_cy.values())


@pytest.fixture
def version(db):
    version = build_framework(domains=1, competencies_per_domain=1, status="draft")
    statement = Statement.objects.get(competency__domain__version=version, level=1)
    statement.text = "Notices the baby's attachment to the parent."
    statement.text_cy = "Mae'n sylwi ar ymlyniad y babi. Mae ei hymlyniad hi yn gryf."
    statement.save()
    GlossaryTermFactory(
        version=version,
        term="attachment",
        slug="attachment",
        definition="The bond a baby forms.",
        term_cy="ymlyniad",
        definition_cy="Y cwlwm y mae babi yn ei ffurfio.",
        forms_cy="hymlyniad\nnymlyniad\nymlyniadau",
    )
    cache.clear()
    return version


def _marked(version, language):
    with translation.override(language):
        return next(iter(glossary.marked_statements(version).values()))


def test_glossary_marking_finds_welsh_forms_with_mutations(version):
    welsh = _marked(version, "cy")
    english = _marked(version, "en-gb")

    assert 'href="/framework/glossary/#term-attachment"' in welsh
    assert re.findall(r'class="gloss-term"[^>]*>([^<]+)</a>', welsh) == ["ymlyniad"]
    assert "Y cwlwm y mae babi yn ei ffurfio." in welsh
    assert "<strong>ymlyniad:</strong>" in welsh
    assert re.findall(r'class="gloss-term"[^>]*>([^<]+)</a>', english) == ["attachment"]
    # A mutated form alone is found too.
    matcher = glossary.matcher_for_version(version, "cy")
    assert "gloss-term" in matcher.mark("Mae eu nymlyniad yn bwysig.", "t")


def test_a_welsh_edit_is_recorded_like_an_english_one(version):
    statement = Statement.objects.get(competency__domain__version=version, level=1)
    before = version.content_revision

    wording_update(
        obj=statement, changes={"text_cy": "Testun newydd."}, user=None, reason="Cyfieithu"
    )

    revision = WordingRevision.objects.get(field="text_cy")
    assert (revision.before, revision.after, revision.object_id) == (
        "Mae'n sylwi ar ymlyniad y babi. Mae ei hymlyniad hi yn gryf.",
        "Testun newydd.",
        statement.pk,
    )
    version.refresh_from_db()
    assert version.content_revision == before + 1


def test_the_published_version_takes_new_welsh_and_editorial_welsh_edits_only(db):
    version = build_framework(domains=1, competencies_per_domain=1, status="published")
    statement = Statement.objects.filter(competency__domain__version=version).first()

    wording_update(obj=statement, changes={"text_cy": "Datganiad cyntaf."}, user=None)
    wording_update(
        obj=statement, changes={"text_cy": "datganiad cyntaf"}, user=None, kind="editorial"
    )
    with pytest.raises(FrameworkError):
        wording_update(
            obj=statement, changes={"text_cy": "Datganiad arall."}, user=None, kind="editorial"
        )
    statement.refresh_from_db()
    assert statement.text_cy == "datganiad cyntaf"


def test_a_new_draft_carries_the_welsh(db):
    published = build_framework(domains=1, competencies_per_domain=1, status="published")
    Statement.objects.filter(competency__domain__version=published).update(text_cy="Cymraeg.")
    published.domains.update(name_cy="Parth")

    draft = version_start_draft(source=published, name="Drafft", user=None)

    assert set(
        Statement.objects.filter(competency__domain__version=draft).values_list(
            "text_cy", flat=True
        )
    ) == {"Cymraeg."}
    assert draft.domains.get().name_cy == "Parth"


def test_pages_and_open_data_carry_both_languages(version, client):
    statement = Statement.objects.get(competency__domain__version=version, level=1)
    data = opendata.framework_as_dict(version)
    first = data["domains"][0]["competencies"][0]["statements"][0]
    assert first["text"] == statement.text and first["text_cy"] == statement.text_cy
    assert data["glossary"][0]["forms_cy"] == ["hymlyniad", "nymlyniad", "ymlyniadau"]
    header = opendata.framework_as_csv(data).splitlines()[0]
    assert header.endswith("name_cy,text_cy,detail_cy")
    with translation.override("cy"):
        assert localised(statement, "text") == statement.text_cy
    assert localised(statement, "text") == statement.text
    term = GlossaryTerm.objects.get(version=version)
    with translation.override("cy"):
        assert localised(term, "definition") == "Y cwlwm y mae babi yn ei ffurfio."


def test_framework_translations_export_and_import(shipped_framework, tmp_path, capsys):
    call_command("framework_welsh", "export")
    exported = json.loads(capsys.readouterr().out)
    statement = Statement.objects.filter(competency__domain__version=shipped_framework).first()
    key = f"imhcf.statement:{statement.pk}:text"
    assert exported[key] == statement.text_cy
    path = tmp_path / "framework-cy.json"
    path.write_text(json.dumps({key: statement.text_cy + " "}), encoding="utf-8")

    call_command("framework_welsh", "import", str(path))  # the same words: nothing changes
    assert not WordingRevision.objects.exists()

    path.write_text(json.dumps({key: statement.text_cy.rstrip(".") + "!"}), encoding="utf-8")
    call_command("framework_welsh", "import", str(path))
    revision = WordingRevision.objects.get()
    assert (revision.field, revision.kind) == ("text_cy", "editorial")


def test_english_standing_in_for_welsh_is_marked_as_english(version, client):
    from django.conf import settings

    version.status = "published"
    version.save()
    version.domains.update(summary_cy="")  # a domain whose summary has no Welsh yet
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    body = client.get("/framework/domains/1/").content.decode()
    assert '<span lang="en-gb">s</span>' in body
