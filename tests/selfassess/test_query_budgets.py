"""Query budgets: the same number for the shipped framework and one of 210 competencies.

``sized_framework`` runs each test twice, once per size, against the same
budget, so a query that grows with the framework fails one of the two runs.
"""

import pytest
from django.core.cache import cache

from selfassess import services
from selfassess.models import Assessment
from tests.selfassess.conftest import make_profile, rate, save_rating_within_budget


@pytest.fixture
def rated(sized_framework, practitioner, practitioner_client):
    """An assessment part-rated, one completed before it, glossary cache warm."""
    make_profile(practitioner)
    first = services.assessment_start(user=practitioner)
    rate(first, {("1.01", 1): "achieved", ("2.01", 2): "working_towards"})
    services.assessment_complete(assessment=first, target_level=2)
    current = Assessment.objects.get(user=practitioner, status="in_progress")
    rate(current, {("1.01", 1): "working_towards", ("1.01", 2): "achieved"})
    cache.clear()
    # Warm the per-version glossary cache, as any earlier visitor would have.
    practitioner_client.get("/assessment/domains/1/")
    return current


def test_grid_query_budget(practitioner_client, rated, django_assert_num_queries):
    # session, user, profile, assessment in progress + version, all its rating rows
    # (this domain's cells and every domain's progress; statements, competencies and
    # domains come from the per-version frame, selfassess/selectors/frame.py),
    # evidence items per statement key
    with django_assert_num_queries(6):
        response = practitioner_client.get("/assessment/domains/1/")
    assert response.status_code == 200


def test_overview_query_budget(practitioner_client, rated, django_assert_num_queries):
    # session, user, profile, assessment in progress + version, all its rating rows,
    # last completed + version, evidence items per statement key, courses covering the
    # gaps, area figures for the practitioner's role and region (workforce's peer line),
    # and, the first time these figures are shown, the last completed one's ratings
    # (statements, competencies and domains come from the per-version frame)
    with django_assert_num_queries(10):
        response = practitioner_client.get("/assessment/")
    assert response.status_code == 200
    # Shown again unchanged, the body comes from the cache (selfassess/fragments.py).
    with django_assert_num_queries(9):
        response = practitioner_client.get("/assessment/")
    assert response.status_code == 200


def test_history_query_budget(practitioner_client, rated, practitioner, django_assert_num_queries):
    current = Assessment.objects.get(user=practitioner, status="in_progress")
    services.assessment_complete(assessment=current, target_level=2)
    # session, user, profile, completed snapshots + versions
    with django_assert_num_queries(4):
        response = practitioner_client.get("/assessment/history/")
    assert response.status_code == 200


def test_rating_save_query_budget(practitioner_client, rated, django_assert_num_queries):
    rating = rated.ratings.select_related("statement__competency").get(
        statement__competency__code="3.02", statement__level=2
    )
    body = save_rating_within_budget(practitioner_client, rating, django_assert_num_queries)
    assert "Saved 3.02" in body
