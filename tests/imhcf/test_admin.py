"""The framework admin: who reaches it, what each version's state allows, actions, CSV.

Over 400 lines on purpose: the admin's pages for every framework model in every version state.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from imhcf import csv_io
from imhcf.models import Competency, FrameworkVersion, Statement, WordingRevision
from tests.conftest import refused_page
from tests.factories import GlossaryTermFactory, UserFactory, build_framework

Status = FrameworkVersion.Status


def change_form_data(response) -> dict:
    """The POST body a browser sends for an admin change form left as it was shown."""
    data: dict = {}

    def add(form):
        for name, field in form.fields.items():
            if field.disabled:
                continue  # Browsers do not send disabled inputs.
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            add(form)
    return data


def statement_prefix(response) -> str:
    """The form prefix of the statement inline on a competency change page."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is Statement:
            return inline.formset.prefix
    raise AssertionError("no statement inline on the page")


def competency_url(competency) -> str:
    return reverse("admin:imhcf_competency_change", args=[competency.pk])


@pytest.fixture
def published(db):
    version = build_framework(competencies_per_domain=2, name="IMHCF 2025")
    GlossaryTermFactory(version=version, term="Attunement", slug="attunement")
    return version


@pytest.fixture
def editor_client(framework_editor):
    client = Client()
    client.force_login(framework_editor)
    return client


def _competency(version, code="1.01") -> Competency:
    return Competency.objects.get(domain__version=version, code=code)


# --- Who reaches the admin ---------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "frameworkversion",
        "level",
        "domain",
        "competency",
        "statement",
        "glossaryterm",
        "wordingrevision",
    ],
)
def test_framework_editor_reaches_each_framework_changelist(editor_client, published, model):
    response = editor_client.get(reverse(f"admin:imhcf_{model}_changelist"))
    assert response.status_code == 200


def test_practitioner_cannot_reach_the_admin(practitioner_client, published):
    for url in ("/admin/", reverse("admin:imhcf_statement_changelist")):
        response = practitioner_client.get(url)
        assert response.status_code == 302
        assert "login" in response.url


def test_staff_without_framework_permissions_cannot_open_framework_pages(db, published):
    from tests.conftest import enable_totp

    staff = UserFactory(is_staff=True)
    enable_totp(staff)
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("admin:imhcf_statement_changelist")).status_code == 403
    url = reverse("admin:imhcf_frameworkversion_export", args=[published.pk, "statements"])
    assert client.get(url).status_code == 403


# --- Search and filters ------------------------------------------------------------


def test_competencies_are_found_by_statement_text_and_filtered_by_version_and_domain(
    editor_client, published
):
    other = build_framework(competencies_per_domain=2, status=Status.RETIRED, name="Old")
    Statement.objects.filter(pk=_competency(published, "2.02").statements.get(level=3).pk).update(
        text="Leads a team through attunement work."
    )
    url = reverse("admin:imhcf_competency_changelist")

    found = editor_client.get(url, {"q": "attunement work"}).context["cl"].result_list
    assert [c.code for c in found] == ["2.02"]

    by_version = editor_client.get(url, {"domain__version__id__exact": other.pk})
    assert {c.domain.version_id for c in by_version.context["cl"].result_list} == {other.pk}

    by_domain = editor_client.get(url, {"domain": "3"}).context["cl"].result_list
    assert {c.code for c in by_domain} == {"3.01", "3.02"} and len(by_domain) == 4


def test_statements_are_filtered_by_version_domain_and_level(editor_client, published):
    url = reverse("admin:imhcf_statement_changelist")
    response = editor_client.get(
        url, {"competency__domain__version__id__exact": published.pk, "domain": "4", "level": "2"}
    )
    assert sorted(s.key for s in response.context["cl"].result_list) == ["4.01/L2", "4.02/L2"]
    assert editor_client.get(url, {"q": "4.02"}).context["cl"].result_count == 3


# --- Editing and deleting ---------------------------------------------------------


def test_framework_editor_edits_statement_wording_inline(editor_client, published):
    competency = _competency(published)
    page = editor_client.get(competency_url(competency))
    data = change_form_data(page)
    prefix = statement_prefix(page)
    level_2 = next(
        i
        for i in range(3)
        if page.context["inline_admin_formsets"][0].formset.forms[i].instance.level == 2
    )
    data[f"{prefix}-{level_2}-text"] = "STATEMENT 1.01 LEVEL 2!"
    data["change_kind"] = "editorial"

    response = editor_client.post(competency_url(competency), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert competency.statements.get(level=2).text == "STATEMENT 1.01 LEVEL 2!"


def test_rewording_a_published_statement_in_the_admin_is_refused(editor_client, published):
    competency = _competency(published)
    page = editor_client.get(competency_url(competency))
    data = change_form_data(page)
    data[f"{statement_prefix(page)}-0-text"] = "Entirely new words."
    data["change_kind"] = "editorial"

    response = editor_client.post(competency_url(competency), data, follow=True)

    assert "not an editorial change" in response.content.decode()
    assert not competency.statements.filter(text="Entirely new words.").exists()


def test_a_wording_change_in_the_admin_must_say_its_kind(editor_client, published):
    competency = _competency(published)
    page = editor_client.get(competency_url(competency))
    data = change_form_data(page)
    data["title"] = "COMPETENCY 1"

    response = editor_client.post(competency_url(competency), data)

    assert response.status_code == 200
    assert "Say what kind of change this is." in response.content.decode()


def test_competency_page_query_count_does_not_grow_with_history(
    editor_client, published, django_assert_num_queries
):
    from imhcf.services import wording_update

    competency = _competency(published)
    url = competency_url(competency)
    for round_ in range(4):
        for statement in competency.statements.all():
            text = statement.text.upper() if round_ % 2 else statement.text.lower()
            wording_update(obj=statement, changes={"text": text}, user=None, kind="editorial")
        title = competency.title.upper() if round_ % 2 else competency.title.lower()
        wording_update(obj=competency, changes={"title": title}, user=None, kind="editorial")
        # session, user, MFA check, user and group permissions; the statements'
        # levels and their history; the competency with domain and version; its
        # own history; the statements inline; "is there a draft?" for the add
        # links, asked twice by the admin's change form.
        with django_assert_num_queries(12):
            editor_client.get(url)


def test_published_statements_cannot_be_deleted(editor_client, admin_client, published):
    competency = _competency(published)
    statement = competency.statements.get(level=1)
    delete_url = reverse("admin:imhcf_statement_delete", args=[statement.pk])
    assert editor_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403

    page = editor_client.get(competency_url(competency))
    assert "-DELETE" not in page.content.decode()
    data = change_form_data(page)
    data[f"{statement_prefix(page)}-0-DELETE"] = "on"
    editor_client.post(competency_url(competency), data)
    assert competency.statements.count() == 3


def test_a_draft_statement_can_be_deleted_inline(editor_client, published, framework_editor):
    from imhcf.services import version_start_draft

    draft = version_start_draft(source=published, name="Draft", user=framework_editor)
    competency = _competency(draft)
    page = editor_client.get(competency_url(competency))
    data = change_form_data(page)
    data[f"{statement_prefix(page)}-2-DELETE"] = "on"

    response = editor_client.post(competency_url(competency), data)

    assert response.status_code == 302
    assert competency.statements.count() == 2


def test_a_draft_competency_can_be_deleted_with_its_statements_and_history(
    editor_client, published, framework_editor
):
    from imhcf.services import version_start_draft, wording_update

    draft = version_start_draft(source=published, name="Draft", user=framework_editor)
    competency = _competency(draft)
    wording_update(obj=competency, changes={"title": "Renamed"}, user=framework_editor)
    url = reverse("admin:imhcf_competency_delete", args=[competency.pk])

    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Competency.objects.filter(pk=competency.pk).exists()
    assert not WordingRevision.objects.exists()
    assert _competency(published).statements.count() == 3


def test_nobody_adds_changes_or_deletes_wording_history(admin_client, published):
    statement = _competency(published).statements.first()
    from imhcf.services import wording_update

    wording_update(
        obj=statement, changes={"text": statement.text.upper()}, user=None, kind="editorial"
    )
    revision = WordingRevision.objects.get()
    assert admin_client.get(reverse("admin:imhcf_wordingrevision_add")).status_code == 403
    delete_url = reverse("admin:imhcf_wordingrevision_delete", args=[revision.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:imhcf_wordingrevision_change", args=[revision.pk])
    assert admin_client.post(change_url, {"field": "x"}).status_code == 403
    assert WordingRevision.objects.get().field == "text"


def test_wording_history_list_filters_by_version_and_field(editor_client, published):
    from imhcf.services import wording_update

    competency = _competency(published)
    wording_update(obj=competency, changes={"title": "COMPETENCY 1"}, user=None, kind="editorial")
    statement = competency.statements.first()
    wording_update(
        obj=statement, changes={"text": statement.text.upper()}, user=None, kind="editorial"
    )
    url = reverse("admin:imhcf_wordingrevision_changelist")
    response = editor_client.get(url, {"version__id__exact": published.pk, "field": "title"})
    assert [r.after for r in response.context["cl"].result_list] == ["COMPETENCY 1"]


# --- Actions -------------------------------------------------------------------------


def _action(client, action: str, version, **extra):
    return client.post(
        reverse("admin:imhcf_frameworkversion_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [version.pk], **extra},
    )


def test_start_draft_action_asks_for_a_name_then_copies_the_version(editor_client, published):
    page = _action(editor_client, "start_draft", published)
    assert page.status_code == 200
    assert "IMHCF 2025 draft" in page.content.decode()

    response = _action(editor_client, "start_draft", published, apply="yes", name="IMHCF 2026")

    draft = FrameworkVersion.objects.get(status=Status.DRAFT)
    assert response.status_code == 302
    assert response.url == reverse("admin:imhcf_frameworkversion_change", args=[draft.pk])
    assert draft.name == "IMHCF 2026"
    assert Statement.objects.filter(competency__domain__version=draft).count() == 42


def test_start_draft_action_shows_the_reason_it_is_refused(editor_client, published):
    _action(editor_client, "start_draft", published, apply="yes", name="One")
    _action(editor_client, "start_draft", published, apply="yes", name="Two")
    response = editor_client.get(reverse("admin:imhcf_frameworkversion_changelist"))
    messages = [str(m) for m in response.context["messages"]]
    assert any("“One” is already a draft" in m for m in messages), messages
    assert FrameworkVersion.objects.filter(status=Status.DRAFT).count() == 1


def test_publish_action_confirms_then_publishes_and_retires_the_old_version(
    editor_client, published, framework_editor
):
    from imhcf.services import version_start_draft

    draft = version_start_draft(source=published, name="IMHCF 2026", user=framework_editor)
    page = _action(editor_client, "publish", draft)
    assert page.status_code == 200
    assert "“IMHCF 2025” will be retired" in page.content.decode()

    _action(editor_client, "publish", draft, apply="yes")

    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (Status.PUBLISHED, Status.RETIRED)


def test_publish_action_lists_what_an_incomplete_draft_lacks(editor_client, published):
    draft = build_framework(domains=5, competencies_per_domain=1, status=Status.DRAFT)
    page = _action(editor_client, "publish", draft)
    html = page.content.decode()
    assert "A version needs domains 1 to 7" in html
    assert 'name="apply"' not in html

    _action(editor_client, "publish", draft, apply="yes")
    messages = [
        str(m)
        for m in editor_client.get(reverse("admin:imhcf_frameworkversion_changelist")).context[
            "messages"
        ]
    ]
    assert any("cannot be published" in m for m in messages)
    assert any("domains 1 to 7" in m for m in messages)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_publishing_the_published_version_is_refused_with_a_message(editor_client, published):
    _action(editor_client, "publish", published, apply="yes")
    response = editor_client.get(reverse("admin:imhcf_frameworkversion_changelist"))
    assert any("Only a draft can be published" in str(m) for m in response.context["messages"])


def test_retired_versions_are_read_only(editor_client, db):
    retired = build_framework(competencies_per_domain=1, status=Status.RETIRED)
    url = reverse("admin:imhcf_frameworkversion_change", args=[retired.pk])
    page = editor_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="core_competency_text"' not in html
    assert "Import statements" not in html
    assert "Export statements (CSV)" in html
    assert editor_client.post(url, {"name": "Renamed"}).status_code == 403


# --- CSV export and import -------------------------------------------------------


def _upload(content: bytes, name: str = "statements.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_export_downloads_the_statements_as_csv(editor_client, published):
    url = reverse("admin:imhcf_frameworkversion_export", args=[published.pk, "statements"])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="imhcf-2025-statements.csv"')
    assert response.content.decode("utf-8-sig").startswith("code,competency_title,level,text")


def test_import_is_post_only(editor_client, published):
    form_url = reverse("admin:imhcf_frameworkversion_import", args=[published.pk, "statements"])
    apply_url = reverse(
        "admin:imhcf_frameworkversion_import_apply", args=[published.pk, "statements"]
    )
    form_page = editor_client.get(form_url)
    assert form_page.status_code == 200
    assert f'action="{apply_url}"' in form_page.content.decode()
    assert editor_client.get(apply_url).status_code == 405
    assert editor_client.post(form_url).status_code == 405


def test_import_requires_the_csrf_token(framework_editor, published):
    client = Client(enforce_csrf_checks=True)
    client.force_login(framework_editor)
    form_url = reverse("admin:imhcf_frameworkversion_import", args=[published.pk, "statements"])
    apply_url = reverse(
        "admin:imhcf_frameworkversion_import_apply", args=[published.pk, "statements"]
    )
    # Punctuation and capitals only: the published version takes editorial imports.
    rows = csv_io.statements_csv(published).replace(
        "Statement 1.01 level 1.", "STATEMENT 1.01 LEVEL 1!"
    )

    refused = client.post(apply_url, {"file": _upload(rows.encode())})
    assert refused.status_code == 403
    assert not WordingRevision.objects.exists()

    client.get(form_url)  # sets the CSRF cookie, as the browser's visit would
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        apply_url, {"file": _upload(rows.encode()), "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert WordingRevision.objects.get().after == "STATEMENT 1.01 LEVEL 1!"


def test_import_shows_each_problem_with_its_row_number(editor_client, published):
    apply_url = reverse(
        "admin:imhcf_frameworkversion_import_apply", args=[published.pk, "statements"]
    )
    bad = b"code,competency_title,level,text\n1.01,Competency 1,1,\n1.02,Competency 2,9,Text\n"

    response = editor_client.post(apply_url, {"file": _upload(bad)})

    refused_page(
        response,
        "Nothing was imported",
        "Row 2: The statement text is empty.",
        "Row 3: The level must be 1, 2 or 3",
    )


def test_glossary_import_through_the_admin_adds_a_term(editor_client, published):
    apply_url = reverse(
        "admin:imhcf_frameworkversion_import_apply", args=[published.pk, "glossary"]
    )
    content = csv_io.glossary_csv(published) + "Holding,holding,held,Keeping a baby in mind.\r\n"

    response = editor_client.post(apply_url, {"file": _upload(content.encode(), "g.csv")})

    assert response.status_code == 302
    assert published.glossary_terms.filter(slug="holding").exists()


def test_a_retired_version_cannot_be_imported_into(editor_client, db):
    retired = build_framework(competencies_per_domain=1, status=Status.RETIRED)
    apply_url = reverse("admin:imhcf_frameworkversion_import_apply", args=[retired.pk, "glossary"])
    content = b"term,slug,forms,definition\nHolding,holding,,Keeping in mind.\n"
    response = editor_client.post(apply_url, {"file": _upload(content)})
    assert response.status_code == 403


def test_practitioner_cannot_export_or_import(practitioner_client, published):
    export = reverse("admin:imhcf_frameworkversion_export", args=[published.pk, "statements"])
    apply_url = reverse(
        "admin:imhcf_frameworkversion_import_apply", args=[published.pk, "statements"]
    )
    assert practitioner_client.get(export).status_code == 302
    response = practitioner_client.post(apply_url, {"file": _upload(b"code\n")})
    assert response.status_code == 302
    assert not WordingRevision.objects.exists()
