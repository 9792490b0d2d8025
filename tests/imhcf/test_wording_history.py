"""Every wording edit keeps its history: who, when, before and after."""

import pytest
from django.urls import reverse

from imhcf import services
from imhcf.errors import FrameworkError
from imhcf.models import Competency, FrameworkVersion, GlossaryTerm, WordingRevision
from tests.factories import GlossaryTermFactory, build_framework
from tests.imhcf.test_admin import change_form_data, statement_prefix

Status = FrameworkVersion.Status


@pytest.fixture
def version(db):
    # A draft: these tests reword statements, which the published version refuses
    # (tests/imhcf/test_frozen_wording.py); the history is recorded the same way.
    return build_framework(competencies_per_domain=2, name="IMHCF 2025", status="draft")


@pytest.fixture
def competency(version):
    return Competency.objects.get(domain__version=version, code="1.01")


def _url(obj) -> str:
    return reverse(f"admin:imhcf_{obj._meta.model_name}_change", args=[obj.pk])


def _edit_level_2_in_admin(client, competency, text, **extra):
    page = client.get(_url(competency))
    data = change_form_data(page)
    prefix = statement_prefix(page)
    forms = next(
        i.formset.forms for i in page.context["inline_admin_formsets"] if i.formset.prefix == prefix
    )
    index = next(n for n, form in enumerate(forms) if form.instance.level == 2)
    data[f"{prefix}-{index}-text"] = text
    data["change_kind"] = "substantive"
    data.update(extra)
    return client.post(_url(competency), data)


# --- Through the admin -----------------------------------------------------------


def test_admin_edit_records_before_after_and_who(admin_client, admin_user, competency):
    response = _edit_level_2_in_admin(
        admin_client,
        competency,
        "Applies what attunement means\r\nwhen working with a family.",
        change_reason="Clearer wording",
    )

    assert response.status_code == 302
    revision = WordingRevision.objects.get()
    statement = competency.statements.get(level=2)
    assert revision.target == statement
    assert revision.version_id == competency.domain.version_id
    assert revision.field == "text"
    assert revision.before == "Statement 1.01 level 2."
    assert revision.after == "Applies what attunement means\nwhen working with a family."
    assert revision.changed_by == admin_user
    assert revision.changed_at is not None
    assert revision.reason == "Clearer wording"
    assert statement.text == revision.after


def test_framework_editor_edits_are_credited_to_them(client, framework_editor, competency):
    client.force_login(framework_editor)
    _edit_level_2_in_admin(client, competency, "Applies it with families.")
    assert WordingRevision.objects.get().changed_by == framework_editor


def test_history_is_shown_on_the_change_page(admin_client, competency):
    _edit_level_2_in_admin(admin_client, competency, "Applies it with families.")
    statement = competency.statements.get(level=2)

    for url in (_url(statement), _url(competency)):
        html = admin_client.get(url).content.decode()
        if url == _url(competency):
            # The competency's own history lists only changes to its title.
            assert "Wording history" in html
            continue
        assert "Wording history" in html
        assert "Statement 1.01 level 2." in html
        assert "Applies it with families." in html
        assert "Ada Admin" in html


def test_competency_title_history_is_on_its_page(admin_client, competency):
    page = admin_client.get(_url(competency))
    data = change_form_data(page)
    data["title"] = "Noticing the baby"
    data["change_kind"] = "substantive"
    admin_client.post(_url(competency), data)

    html = admin_client.get(_url(competency)).content.decode()
    assert "Competency 1" in html and "Noticing the baby" in html
    assert WordingRevision.objects.get().field == "title"


def test_each_edit_moves_the_version_content_revision_on(admin_client, version, competency):
    before = version.content_revision
    _edit_level_2_in_admin(admin_client, competency, "Applies it with families.")
    version.refresh_from_db()
    assert version.content_revision == before + 1


def test_saving_without_changes_records_nothing(admin_client, version, competency):
    page = admin_client.get(_url(competency))
    response = admin_client.post(_url(competency), change_form_data(page))
    assert response.status_code == 302
    assert not WordingRevision.objects.exists()
    version.refresh_from_db()
    assert version.content_revision == 1


def test_retired_version_is_read_only_in_the_admin(admin_client, db):
    retired = build_framework(competencies_per_domain=1, status=Status.RETIRED)
    competency = Competency.objects.get(domain__version=retired, code="1.01")
    statement = competency.statements.get(level=1)

    page = admin_client.get(_url(competency))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<textarea" not in html
    assert statement.text in html
    response = admin_client.post(_url(competency), {"title": "Changed"})
    assert response.status_code == 403
    assert admin_client.post(_url(statement), {"text": "Changed"}).status_code == 403
    statement.refresh_from_db()
    assert statement.text == "Statement 1.01 level 1."
    assert not WordingRevision.objects.exists()


def test_glossary_term_edit_in_the_admin_keeps_history(admin_client, admin_user, version):
    term = GlossaryTermFactory(version=version, term="Attunement", slug="attunement")
    page = admin_client.get(_url(term))
    data = change_form_data(page)
    data["definition"] = "Tuning in to what the baby feels."
    data["forms"] = "attuned\r\n  attuning  \r\n\r\n"
    data["change_kind"] = "substantive"

    assert admin_client.post(_url(term), data).status_code == 302

    term.refresh_from_db()
    assert term.forms == "attuned\nattuning"
    assert set(WordingRevision.objects.values_list("field", flat=True)) == {"definition", "forms"}


# --- The service directly -----------------------------------------------------------


def test_wording_update_writes_one_revision_per_changed_field(version, framework_editor):
    term = GlossaryTermFactory(version=version, definition="Old.", forms="")
    revisions = services.wording_update(
        obj=term,
        changes={"term": term.term, "definition": "New.", "forms": "one\ntwo"},
        user=framework_editor,
    )
    assert sorted(r.field for r in revisions) == ["definition", "forms"]
    assert GlossaryTerm.objects.get(pk=term.pk).definition == "New."


def test_wording_update_of_core_competency_keeps_the_new_revision_number(version, framework_editor):
    services.wording_update(
        obj=version,
        changes={"core_competency_text": "Holding the baby's experience in mind."},
        user=framework_editor,
    )
    assert version.content_revision == 2
    version.refresh_from_db()
    assert version.content_revision == 2
    revision = WordingRevision.objects.get()
    assert (revision.target, revision.field) == (version, "core_competency_text")


def test_wording_update_refuses_keys_and_blank_text(version, competency, framework_editor):
    with pytest.raises(FrameworkError, match="not wording"):
        services.wording_update(obj=competency, changes={"code": "1.09"}, user=framework_editor)
    with pytest.raises(FrameworkError, match="cannot be blank"):
        services.wording_update(obj=competency, changes={"title": "   "}, user=framework_editor)
    assert not WordingRevision.objects.exists()


def test_wording_update_refuses_a_retired_version(db, framework_editor):
    retired = build_framework(competencies_per_domain=1, status=Status.RETIRED)
    with pytest.raises(FrameworkError, match="retired"):
        services.wording_update(obj=retired, changes={"notes": "x"}, user=framework_editor)
