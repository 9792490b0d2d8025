"""Starting, completing and carrying self-assessments, through the services."""

import pytest
from django.db import IntegrityError, transaction

from imhcf.models import Statement
from selfassess import services
from selfassess.errors import AssessmentError
from selfassess.models import Assessment, Rating
from tests.factories import PROFILE
from tests.selfassess.conftest import rate, rating_for


def test_starting_creates_one_not_started_rating_per_statement(assessment, framework):
    statements = Statement.objects.filter(competency__domain__version=framework).count()
    assert assessment.ratings.count() == statements == 7 * 3 * 3
    assert set(assessment.ratings.values_list("value", flat=True)) == {"not_started"}
    assert assessment.version == framework
    assert assessment.status == Assessment.Status.IN_PROGRESS


def test_starting_twice_returns_the_assessment_already_in_progress(assessment, practitioner):
    again = services.assessment_start(user=practitioner)
    assert again.pk == assessment.pk
    assert Assessment.objects.filter(user=practitioner).count() == 1


def test_database_refuses_a_second_assessment_in_progress(assessment, practitioner, framework):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(user=practitioner, version=framework)


def test_starting_without_a_published_version_is_refused(practitioner, profile, db):
    with pytest.raises(AssessmentError, match="published"):
        services.assessment_start(user=practitioner)


def test_completing_freezes_headline_figures(assessment):
    rate(assessment, {("1.01", 1): "achieved", ("1.02", 1): "achieved", ("1.03", 1): "achieved"})
    rate(assessment, {("2.01", 1): "working_towards", ("1.01", 2): "achieved"})
    done = services.assessment_complete(assessment=assessment, target_level=2)
    assert done.status == Assessment.Status.COMPLETED
    assert done.completed_at is not None
    assert done.statement_count == 63
    assert done.achieved_count == 4
    assert done.working_count == 1
    assert done.target_level == 2
    assert done.target_statement_count == 42
    assert done.target_achieved_count == 4
    # Domain 1 has every Level 1 statement achieved, so Level 1 is its highest.
    assert done.highest_levels["1"] == 1
    assert done.highest_levels["2"] == 0


def test_completed_snapshot_refuses_any_rating_change(assessment):
    rating = rating_for(assessment, "1.01", 1)
    services.assessment_complete(assessment=assessment, target_level=2)
    with pytest.raises(AssessmentError, match="completed"):
        services.rating_save(rating=rating, value="achieved", note="", revision=rating.revision)
    rating.refresh_from_db()
    assert rating.value == Rating.Value.NOT_STARTED


def test_completing_twice_is_refused(assessment):
    services.assessment_complete(assessment=assessment, target_level=2)
    with pytest.raises(AssessmentError, match="completed"):
        services.assessment_complete(assessment=assessment, target_level=2)


def test_completing_starts_the_next_assessment_from_the_last_ratings(assessment, practitioner):
    rate(assessment, {("1.01", 1): "achieved", ("3.02", 2): "working_towards"})
    rating = rating_for(assessment, "1.01", 1)
    services.rating_save(rating=rating, value="achieved", note="Seminar", revision=rating.revision)
    done = services.assessment_complete(assessment=assessment, target_level=2)

    following = Assessment.objects.get(user=practitioner, status=Assessment.Status.IN_PROGRESS)
    assert following.started_from == done
    assert rating_for(following, "1.01", 1).value == "achieved"
    assert rating_for(following, "1.01", 1).note == "Seminar"
    assert rating_for(following, "3.02", 2).value == "working_towards"
    assert rating_for(following, "7.03", 3).value == "not_started"
    assert not following.ratings.filter(needs_review=True).exists()


def test_changing_the_next_assessment_leaves_the_snapshot_as_it_was(assessment, practitioner):
    rate(assessment, {("1.01", 1): "achieved"})
    done = services.assessment_complete(assessment=assessment, target_level=2)
    following = Assessment.objects.get(user=practitioner, status=Assessment.Status.IN_PROGRESS)
    rate(following, {("1.01", 1): "not_started"})
    assert rating_for(done, "1.01", 1).value == "achieved"


def test_rating_save_bumps_the_revision_and_clears_review(assessment):
    rating = rating_for(assessment, "1.01", 1)
    Rating.objects.filter(pk=rating.pk).update(needs_review=True, previous_text="Old words")
    rating.refresh_from_db()
    saved = services.rating_save(rating=rating, value="achieved", note="  a  note ", revision=0)
    assert saved.revision == 1
    rating.refresh_from_db()
    assert (rating.value, rating.note, rating.revision) == ("achieved", "a note", 1)
    assert rating.needs_review is False and rating.previous_text == ""
    assert rating.updated_at is not None


def test_rating_save_refuses_an_unknown_value(assessment):
    rating = rating_for(assessment, "1.01", 1)
    with pytest.raises(AssessmentError):
        services.rating_save(rating=rating, value="mastered", note="", revision=0)


def test_profile_save_refuses_a_region_outside_the_nation(practitioner):
    with pytest.raises(AssessmentError, match="region"):
        services.profile_save(
            user=practitioner,
            **{**PROFILE, "role": "midwife", "organisation": "Trust", "nation": "wales"},
        )
