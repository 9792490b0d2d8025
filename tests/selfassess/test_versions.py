"""A new framework version: ratings carry across by stable key, reworded ones are flagged."""

import pytest

from selfassess import services
from selfassess.errors import AssessmentError
from selfassess.models import Assessment
from tests.selfassess.conftest import publish_next_version, rate, rating_for


@pytest.fixture
def completed(assessment):
    rate(
        assessment,
        {
            ("1.01", 1): "achieved",
            ("1.02", 1): "achieved",
            ("1.03", 1): "working_towards",
            ("2.01", 2): "achieved",
        },
    )
    return services.assessment_complete(assessment=assessment, target_level=2)


def _next_in_progress(user) -> Assessment:
    return Assessment.objects.get(user=user, status=Assessment.Status.IN_PROGRESS)


@pytest.fixture
def following(completed, framework, practitioner) -> Assessment:
    """The next assessment, started on a new version that rewords statement 1.02 level 1."""
    Assessment.objects.filter(user=practitioner, status="in_progress").delete()
    publish_next_version(framework, reword={("1.02", 1)})
    return services.assessment_start(user=practitioner)


def test_next_assessment_on_a_new_version_carries_ratings_by_predecessor(
    completed, framework, practitioner
):
    Assessment.objects.filter(user=practitioner, status="in_progress").delete()
    new = publish_next_version(framework, reword={("1.02", 1)}, punctuate={("1.03", 1)})
    following = services.assessment_start(user=practitioner)

    assert following.version == new
    assert following.started_from == completed
    kept = rating_for(following, "1.01", 1)
    assert (kept.value, kept.needs_review) == ("achieved", False)
    reworded = rating_for(following, "1.02", 1)
    assert reworded.value == "achieved"
    assert reworded.needs_review is True
    assert reworded.previous_text == "Statement 1.02 level 1."
    # Punctuation and case are not substance.
    punctuated = rating_for(following, "1.03", 1)
    assert (punctuated.value, punctuated.needs_review) == ("working_towards", False)


def test_reworded_statement_never_rated_is_not_flagged(completed, framework, practitioner):
    Assessment.objects.filter(user=practitioner, status="in_progress").delete()
    publish_next_version(framework, reword={("5.01", 3)})
    following = services.assessment_start(user=practitioner)
    assert rating_for(following, "5.01", 3).needs_review is False


def test_renumbered_competency_follows_its_predecessor_not_its_old_code(
    completed, framework, practitioner
):
    Assessment.objects.filter(user=practitioner, status="in_progress").delete()
    publish_next_version(framework, renumber={"2.01": "2.04"})
    following = services.assessment_start(user=practitioner)
    assert rating_for(following, "2.04", 2).value == "achieved"


def test_without_predecessor_links_ratings_match_by_code_and_level(
    completed, framework, practitioner
):
    from imhcf.models import Statement

    Assessment.objects.filter(user=practitioner, status="in_progress").delete()
    new = publish_next_version(framework, reword={("1.02", 1)})
    Statement.objects.filter(competency__domain__version=new).update(predecessor=None)
    following = services.assessment_start(user=practitioner)
    assert rating_for(following, "1.01", 1).value == "achieved"
    assert rating_for(following, "1.02", 1).needs_review is True


def test_assessment_in_progress_moves_onto_the_new_version(completed, framework, practitioner):
    in_progress = _next_in_progress(practitioner)
    rate(in_progress, {("4.01", 1): "achieved"})
    new = publish_next_version(framework, reword={("4.01", 1)})

    moved = services.assessment_move_to_published(assessment=in_progress)

    assert moved.pk == in_progress.pk
    assert moved.version == new
    assert moved.ratings.count() == 63
    assert {r.statement.competency.domain.version_id for r in moved.ratings.all()} == {new.pk}
    assert rating_for(moved, "4.01", 1).needs_review is True
    assert rating_for(moved, "1.01", 1).value == "achieved"


def test_moving_when_already_current_is_refused(assessment):
    with pytest.raises(AssessmentError, match="already"):
        services.assessment_move_to_published(assessment=assessment)


def test_completion_waits_until_reworded_ratings_are_confirmed(following):
    with pytest.raises(AssessmentError, match="1 rating needs checking"):
        services.assessment_complete(assessment=following, target_level=2)

    flagged = rating_for(following, "1.02", 1)
    services.rating_save(rating=flagged, value="achieved", note="", revision=flagged.revision)
    done = services.assessment_complete(assessment=following, target_level=2)
    assert done.status == Assessment.Status.COMPLETED


def test_grid_and_overview_show_ratings_to_check_prominently(following, practitioner_client):
    flagged = rating_for(following, "1.02", 1)

    grid = practitioner_client.get("/assessment/domains/1/").content.decode()
    assert "1 rating in this domain needs checking." in grid
    assert "Wording changed: check this rating" in grid
    assert "Statement 1.02 level 1." in grid  # the wording it was rated against
    assert f'id="rb-{flagged.pk}">Confirm this rating' in grid

    overview = practitioner_client.get("/assessment/").content.decode()
    assert "1 rating needs checking" in overview
    assert f"#s-{flagged.statement_id}" in overview


def test_confirming_a_flagged_rating_clears_the_flag(following, practitioner_client):
    flagged = rating_for(following, "1.02", 1)

    response = practitioner_client.post(
        f"/assessment/ratings/{flagged.pk}/",
        {"value": "achieved", "note": "", "revision": flagged.revision},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'<div id="rn-{flagged.pk}" hx-swap-oob="true"></div>' in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.needs_review is False


def test_outdated_assessment_offers_to_move_and_moving_works(
    completed, framework, practitioner, practitioner_client
):
    new = publish_next_version(framework)
    html = practitioner_client.get("/assessment/").content.decode()
    assert "A new edition of the framework has been published" in html
    response = practitioner_client.post("/assessment/move-to-current-edition/")
    assert response.status_code == 302
    assert _next_in_progress(practitioner).version == new
    assert "A new edition" not in practitioner_client.get("/assessment/").content.decode()


def test_move_refuses_get_and_anonymous(anon_client, practitioner_client, assessment):
    assert practitioner_client.get("/assessment/move-to-current-edition/").status_code == 405
    response = anon_client.post("/assessment/move-to-current-edition/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
