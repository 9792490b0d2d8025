"""The domain grid and saving ratings from it, with and without JavaScript."""

import pytest

from imhcf.models import Statement
from selfassess import services
from selfassess.models import Rating
from tests.factories import GlossaryTermFactory
from tests.selfassess.conftest import messages_of, rate, rating_for

HX = {"HTTP_HX_REQUEST": "true"}


def _save(client, rating, value, revision, note="", **extra):
    return client.post(
        f"/assessment/ratings/{rating.pk}/",
        {"value": value, "note": note, "revision": revision},
        **extra,
    )


# --- The page ---------------------------------------------------------------------


def test_grid_shows_each_statement_with_three_ratings_and_a_note(practitioner_client, assessment):
    response = practitioner_client.get("/assessment/domains/2/")
    html = response.content.decode()
    assert response.status_code == 200
    # Aiming at Level 2: Level 3 is on the page but folded away until asked for.
    assert html.count('class="col-md-4 rating-cell"') == 6
    assert html.count('class="col-md-4 rating-cell beyond-target"') == 3
    assert html.count('type="radio" name="value"') == 27
    assert html.count('name="note"') == 9
    assert "Statement 2.01 level 1." in html
    assert "Statement 1.01 level 1." not in html


def test_levels_above_the_target_are_one_tap_away(practitioner_client, assessment):
    html = practitioner_client.get("/assessment/domains/2/").content.decode()
    assert '<div class="rating-grid">' in html
    assert 'href="/assessment/domains/2/?levels=all">Show all three levels' in html
    html = practitioner_client.get("/assessment/domains/2/?levels=all").content.decode()
    assert '<div class="rating-grid show-all">' in html
    assert "Show only up to Level 2, your target" in html


def test_grid_forms_save_by_htmx_and_by_button(practitioner_client, assessment):
    rating = rating_for(assessment, "2.01", 1)
    html = practitioner_client.get("/assessment/domains/2/").content.decode()
    url = f"/assessment/ratings/{rating.pk}/"
    assert f'action="{url}" hx-post="{url}" hx-trigger="change, submit"' in html
    assert f'<input type="hidden" name="revision" value="0" id="rev-{rating.pk}">' in html
    assert 'class="btn btn-sm btn-outline-primary rating-save"' in html
    assert 'role="status" aria-live="polite"' in html


def test_grid_has_an_evidence_placeholder_in_every_cell(practitioner_client, assessment):
    html = practitioner_client.get("/assessment/domains/3/").content.decode()
    assert html.count('class="evidence-cell') == 9


def test_grid_links_previous_and_next_domain_and_shows_progress_for_all(
    practitioner_client, assessment
):
    rate(assessment, {("5.01", 1): "achieved"})
    html = practitioner_client.get("/assessment/domains/4/").content.decode()
    assert 'href="/assessment/domains/3/" rel="prev"' in html
    assert 'href="/assessment/domains/5/" rel="next"' in html
    for number in range(1, 8):
        assert f'id="dp-{number}"' in html
    assert "1 of 9 achieved" in html  # domain 5 in the list


def test_first_and_last_domain_have_one_neighbour(practitioner_client, assessment):
    first = practitioner_client.get("/assessment/domains/1/").content.decode()
    last = practitioner_client.get("/assessment/domains/7/").content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and "Back to the overview" in last


def test_grid_marks_glossary_terms_in_statements(practitioner_client, assessment, framework):
    GlossaryTermFactory(version=framework, term="Statement", slug="statement", definition="Said.")
    html = practitioner_client.get("/assessment/domains/1/").content.decode()
    assert 'href="/framework/glossary/#term-statement"' in html


def test_grid_explains_cumulative_levels_and_shows_highest_level_achieved(
    practitioner_client, assessment
):
    rate(assessment, {("1.01", 1): "achieved", ("1.01", 2): "achieved", ("1.02", 2): "achieved"})
    html = practitioner_client.get("/assessment/domains/1/").content.decode()
    assert "Levels build on each other." in html
    assert "Highest level achieved: Level 2" in html  # 1.01
    # 1.02 has Level 2 without Level 1: it counts for nothing yet, and says why.
    assert "A higher level is marked achieved but a level below it is not." in html
    assert "No level fully achieved yet." in html


def test_domain_highest_level_needs_every_statement_at_that_level(practitioner_client, assessment):
    rate(assessment, {(f"1.0{i}", 1): "achieved" for i in (1, 2, 3)})
    html = practitioner_client.get("/assessment/domains/1/").content.decode()
    assert "Highest level fully achieved: Level 1." in html


def test_grid_without_an_assessment_sends_you_to_start(practitioner_client, profile, framework):
    response = practitioner_client.get("/assessment/domains/1/")
    assert response.status_code == 302
    assert response["Location"] == "/assessment/"


def test_unknown_domain_is_404(practitioner_client, assessment):
    assert practitioner_client.get("/assessment/domains/9/").status_code == 404


def test_grid_refuses_post(practitioner_client, assessment):
    assert practitioner_client.post("/assessment/domains/1/").status_code == 405


def test_grid_sends_anonymous_visitors_to_sign_in(anon_client, assessment):
    response = anon_client.get("/assessment/domains/1/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/assessment/domains/1/")


def test_grid_shows_only_your_own_ratings(practitioner_client, assessment, other_assessment):
    rate(other_assessment, {("1.01", 1): "achieved"})
    other_rating = rating_for(other_assessment, "1.01", 1)
    html = practitioner_client.get("/assessment/domains/1/").content.decode()
    assert f"rf-{other_rating.pk}" not in html
    assert "1 of 27 achieved" not in html


# --- Saving ---------------------------------------------------------------------------


def test_htmx_save_stores_the_rating_and_announces_it(practitioner_client, assessment):
    rating = rating_for(assessment, "3.02", 2)
    response = _save(practitioner_client, rating, "achieved", 0, note="Course in May", **HX)
    html = response.content.decode()
    assert response.status_code == 200
    rating.refresh_from_db()
    assert (rating.value, rating.note, rating.revision) == ("achieved", "Course in May", 1)
    assert f'name="revision" value="1" id="rev-{rating.pk}" hx-swap-oob="true"' in html
    assert '<div id="save-status" hx-swap-oob="innerHTML">Saved 3.02 Level 2: Achieved' in html
    assert "Saved</span>" in html
    # Figures on the page follow the save.
    assert 'id="domain-summary" hx-swap-oob="true"' in html
    assert 'id="dp-3" hx-swap-oob="true"' in html


def test_save_without_javascript_redirects_back_to_the_statement(practitioner_client, assessment):
    rating = rating_for(assessment, "3.02", 2)
    response = _save(practitioner_client, rating, "working_towards", 0)
    assert response.status_code == 302
    assert (
        response["Location"] == f"/assessment/domains/3/?saved={rating.pk}#s-{rating.statement_id}"
    )
    assert "Saved 3.02 Level 2: Working towards" in messages_of(response)
    rating.refresh_from_db()
    assert rating.value == "working_towards"


def test_stale_htmx_save_is_refused_showing_current_value_and_your_choice(
    practitioner_client, assessment
):
    rating = rating_for(assessment, "1.01", 1)
    _save(practitioner_client, rating, "achieved", 0, note="From tab one", **HX)

    response = _save(practitioner_client, rating, "working_towards", 0, note="From tab two", **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#rf-{rating.pk}"
    assert response["HX-Reswap"] == "innerHTML"
    assert "Not saved" in html
    assert "It is shown below as it now stands: “Achieved”." in html
    assert "Your choice was “Working towards”." in html
    assert "Your note was: “From tab two”." in html
    # The form now holds the current value and revision, so choosing again works.
    assert 'value="achieved" id="r-' in html and "checked" in html.split('value="achieved"')[1][:40]
    assert f'name="revision" value="1" id="rev-{rating.pk}"' in html
    assert 'value="From tab one"' in html
    rating.refresh_from_db()
    assert (rating.value, rating.note, rating.revision) == ("achieved", "From tab one", 1)


def test_stale_save_without_javascript_explains_in_the_cell_and_keeps_what_you_typed(
    practitioner_client, assessment
):
    rating = rating_for(assessment, "1.01", 1)
    _save(practitioner_client, rating, "achieved", 0)
    response = _save(practitioner_client, rating, "not_started", 0, note="My words")
    assert response.status_code == 302
    assert response["Location"] == f"/assessment/domains/1/#s-{rating.statement_id}"
    message = messages_of(response)
    assert "changed in another tab or on another device" in message
    assert "It is now “Achieved”" in message

    html = practitioner_client.get(response["Location"]).content.decode()
    cell = html.split(f'id="s-{rating.statement_id}"')[1].split('class="evidence-cell')[0]
    assert "Your choice was “Not started”." in cell
    assert "Your note was: “My words”." in cell
    assert html.count("rating-conflict") == 1  # only that cell
    rating.refresh_from_db()
    assert rating.value == "achieved"
    # Shown once: a reload no longer repeats it.
    assert (
        "rating-conflict" not in practitioner_client.get("/assessment/domains/1/").content.decode()
    )


def test_save_without_javascript_marks_the_saved_cell(practitioner_client, assessment):
    rating = rating_for(assessment, "1.02", 1)
    response = _save(practitioner_client, rating, "achieved", 0)
    assert (
        response["Location"] == f"/assessment/domains/1/?saved={rating.pk}#s-{rating.statement_id}"
    )
    html = practitioner_client.get(response["Location"]).content.decode()
    assert f'id="ss-{rating.pk}"><span aria-hidden="true">✓</span> Saved' in html


def test_save_to_another_practitioners_rating_is_404(practitioner_client, other_assessment):
    theirs = rating_for(other_assessment, "1.01", 1)
    assert _save(practitioner_client, theirs, "achieved", 0).status_code == 404
    theirs.refresh_from_db()
    assert theirs.value == "not_started"


def test_save_refuses_get(practitioner_client, assessment):
    rating = rating_for(assessment, "1.01", 1)
    assert practitioner_client.get(f"/assessment/ratings/{rating.pk}/").status_code == 405


def test_save_sends_anonymous_visitors_to_sign_in(anon_client, assessment):
    rating = rating_for(assessment, "1.01", 1)
    response = _save(anon_client, rating, "achieved", 0)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_save_requires_the_csrf_token(practitioner, assessment):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    rating = rating_for(assessment, "1.01", 1)
    assert _save(client, rating, "achieved", 0).status_code == 403


@pytest.mark.parametrize("value", ["", "mastered"])
def test_invalid_rating_is_not_saved(practitioner_client, assessment, value):
    rating = rating_for(assessment, "1.01", 1)
    response = _save(practitioner_client, rating, value, 0, **HX)
    assert "Not saved" in response.content.decode()
    assert "Choose Not started, Working towards or Achieved" in response.content.decode()
    rating.refresh_from_db()
    assert rating.revision == 0


def test_save_to_a_completed_snapshot_is_refused(practitioner_client, assessment):
    rating = rating_for(assessment, "1.01", 1)
    services.assessment_complete(assessment=assessment, target_level=2)
    response = _save(practitioner_client, rating, "achieved", 0)
    assert response.status_code == 302 and response["Location"] == "/assessment/"
    assert "can no longer be changed" in messages_of(response)
    htmx = _save(practitioner_client, rating, "achieved", 0, **HX)
    assert "can no longer be changed" in htmx.content.decode()
    assert Rating.objects.get(pk=rating.pk).value == "not_started"


def test_note_longer_than_280_characters_is_refused(practitioner_client, assessment):
    rating = rating_for(assessment, "1.01", 1)
    response = _save(practitioner_client, rating, "achieved", 0, note="x" * 281, **HX)
    assert "Not saved" in response.content.decode()
    assert Statement.objects.exists()
    rating.refresh_from_db()
    assert rating.note == ""
