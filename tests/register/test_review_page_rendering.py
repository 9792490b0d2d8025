"""The review page's cached and Python-rendered parts stay right for each reader.

Frozen dossier statements are cached once rendered (register/dossier_html.py); their words
include translated labels, so the cache must keep one copy per language. The
verdict forms are built in Python (register/verdict_html.py) and must say what
the template said, bound errors included.
"""

import pytest
from django.core.cache import cache

from imhcf.services.wording import wording_update
from register.dossier_html import review_bodies_key
from register.models import Application, DossierStatement
from register.services import reviewing
from tests.factories import GlossaryTermFactory
from tests.register.test_review_page import _claimed_application_of_size, detail_url

pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def application(practitioner, reviewer, second_reviewer):
    return _claimed_application_of_size(1, 2, practitioner, reviewer, second_reviewer)


def _fragment(statement: DossierStatement, language: str):
    application = Application.objects.select_related("version").get(pk=statement.application_id)
    return (cache.get(review_bodies_key(application, language)) or {}).get(statement.pk)


def test_cached_dossier_statement_is_kept_per_language(application, reviewer_client, settings):
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
    cache.clear()
    statement = application.dossier_statements.first()

    reviewer_client.get(detail_url(application), HTTP_ACCEPT_LANGUAGE="en-gb")
    assert _fragment(statement, "en-gb") is not None
    assert _fragment(statement, "cy") is None

    # A Welsh reader gets a fragment of their own, never the English one.
    reviewer_client.get(detail_url(application), HTTP_ACCEPT_LANGUAGE="cy")
    assert _fragment(statement, "cy") is not None


def test_verdict_form_shows_the_recorded_verdict_and_comment(application, reviewer_client):
    first = application.dossier_statements.first()
    body = reviewer_client.get(detail_url(application)).content.decode()
    assert f'value="met" id="id_s{first.pk}-met_0" checked>' in body
    assert f'id="ss-{first.pk}"><span class="text-success">' in body
    assert "Recorded: met" in body
    assert ">Good</textarea>" in body
    # The other statement has no verdict yet, and nothing is checked for it.
    other = application.dossier_statements.exclude(pk=first.pk).get()
    assert f'id="id_s{other.pk}-met_0">' in body
    assert f'id="id_s{other.pk}-met_1">' in body


def test_refused_verdict_without_javascript_shows_its_errors_in_the_form(
    application, reviewer_client
):
    statement = application.dossier_statements.exclude(reviews__isnull=False).get()
    pk = statement.pk
    response = reviewer_client.post(
        f"{detail_url(application)}statements/{pk}/",
        {f"s{pk}-met": "not_met", f"s{pk}-comment": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f'aria-describedby="se-{pk} id_s{pk}-comment_error"' in body
    assert f'id="id_s{pk}-comment_error"' in body
    assert 'class="form-control form-control-sm is-invalid"' in body
    assert f'value="not_met" id="id_s{pk}-met_1" checked>' in body


def test_a_glossary_edit_reaches_the_cached_dossier_statements(application, reviewer_client):
    # The bodies are cached per wording revision: the edit bumps it, so the next visit
    # marks the statements afresh with the new definition.
    statement = application.dossier_statements.order_by("pk").first()
    word = max(statement.text.split(), key=len).strip(".,;:")
    term = GlossaryTermFactory(version=application.version, term=word, slug="cached-term")
    first = reviewer_client.get(detail_url(application)).content.decode()
    assert "A definition." in first
    assert _fragment(statement, "en-gb") is not None
    wording_update(obj=term, changes={"definition": "Changed meaning."}, user=None)
    body = reviewer_client.get(detail_url(application)).content.decode()
    assert "Changed meaning." in body and "A definition." not in body


def _not_met_on_the_unjudged_statement(application, reviewer, comment: str):
    statement = application.dossier_statements.exclude(reviews__isnull=False).get()
    reviewing.statement_review_save(
        assignment=application.assignments.get(reviewer=reviewer),
        dossier_statement=statement,
        met=False,
        comment=comment,
    )
    return statement


def test_a_cached_dossier_statement_still_shows_each_new_verdict(
    application, reviewer, reviewer_client
):
    reviewer_client.get(detail_url(application))
    statement = _not_met_on_the_unjudged_statement(application, reviewer, "Thin evidence")
    assert _fragment(statement, "en-gb") is not None
    body = reviewer_client.get(detail_url(application)).content.decode()
    assert f'value="not_met" id="id_s{statement.pk}-met_1" checked>' in body
    assert ">Thin evidence</textarea>" in body


def test_the_kept_recommendation_fields_follow_the_reviewers_language(
    application, reviewer, reviewer_client
):
    # Unbound, the two fields are rendered once per process and language (review_forms).
    english = reviewer_client.get(detail_url(application)).content.decode()
    assert 'name="recommendation" value="approve"' in english
    assert 'id="div_id_reasons"' in english and "Reasons\n" in english
    reviewer.language = "cy"
    reviewer.save(update_fields=["language"])
    welsh = reviewer_client.get(detail_url(application)).content.decode()
    assert "Rhesymau\n" in welsh and "Reasons\n" not in welsh


def test_a_hostile_comment_is_escaped_and_its_braces_left_alone(
    application, reviewer, reviewer_client
):
    # The forms are filled into one skeleton with str.format: a value is never read as a field.
    _not_met_on_the_unjudged_statement(
        application, reviewer, '</textarea><script>alert("{pk}")</script> {token} & {{ask}}'
    )
    body = reviewer_client.get(detail_url(application)).content.decode()
    assert (
        ">&lt;/textarea&gt;&lt;script&gt;alert(&quot;{pk}&quot;)&lt;/script&gt; {token} "
        "&amp; {{ask}}</textarea>"
    ) in body
    assert "<script>alert" not in body
