"""Query budgets of the practitioner and review pages for people with a history.

The per-app budget tests use people built for the test; these use the people
bench.pages measures (tests/realistic.py): a seed_demo practitioner with a
completed snapshot, 26 or more evidence items, a plan and a 63-statement
application, and a reviewer half through that application. The budgets are the
same numbers the per-app tests assert for the lightest people, so a query that
grows with someone's history fails here. No times are asserted: bench/ has them.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from evidence.models import EvidenceItem
from selfassess.models import Assessment, Goal, Rating
from tests.realistic import EXTRA_EVIDENCE, build_realistic_people
from tests.selfassess.conftest import save_rating_within_budget


@pytest.fixture
def people(shipped_framework, reviewer):
    return build_realistic_people(seed=41, reviewer=reviewer)


@pytest.fixture
def practitioner_browser(people):
    client = Client()
    client.force_login(people.practitioner)
    return client


@pytest.fixture
def reviewer_browser(people):
    client = Client()
    client.force_login(people.reviewer)
    return client


def _second_visit(client, url, budget: int, django_assert_num_queries):
    """Visits ``url`` twice and answers the second visit, which must be 200 within ``budget``.

    Per-version caches (glossary marks, frozen dossier statements) are filled by the first
    visitor; a budget is for every visit after that.
    """
    assert client.get(url).status_code == 200
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_realistic_practitioner_has_a_history(people):
    practitioner = people.practitioner
    assert Assessment.objects.filter(user=practitioner, status="completed").exists()
    items = EvidenceItem.objects.filter(owner=practitioner)
    assert items.filter(title__startswith="Reflective log ").count() == EXTRA_EVIDENCE
    # seed_demo gives each practitioner two to eight items at random; this seed gives four.
    assert items.count() == EXTRA_EVIDENCE + 4
    assert Goal.objects.filter(user=practitioner).count() == 3
    assert people.application.dossier_statements.count() == 63
    reviewed = people.assignment.statement_reviews.count()
    assert reviewed == 31
    notes = Rating.objects.filter(assessment__user=practitioner, assessment__status="in_progress")
    assert notes.exclude(note="").exists()


# Each budget lists its queries in the per-app test named beside it.
@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/assessment/domains/1/", 6),  # tests/selfassess/test_query_budgets.py
        ("/assessment/", 9),  # ditto (a second visit)
        ("/evidence/", 7),  # tests/evidence/test_item_views.py
        ("/evidence/cpd/", 5),  # tests/evidence/test_cpd_page.py
    ],
    ids=["grid", "overview", "evidence list", "CPD page"],
)
def test_practitioner_page_budget_with_a_history(
    practitioner_browser, url, budget, django_assert_num_queries
):
    cache.clear()
    _second_visit(practitioner_browser, url, budget, django_assert_num_queries)


def test_application_page_budget_with_a_history(
    people, practitioner_browser, django_assert_num_queries
):
    url = f"/register/applications/{people.application.pk}/"
    # An application in review: session, user, application (access helper), notifications,
    # round dates from the audit trail, the referees; the round as sent comes rendered from
    # the cache (register/dossier_html.py) after the first visit, which also reads the dossier
    # statements, evidence, files and links (10). A decided one reads those every time and
    # adds the reviewers' not-met comments, its register entry and its appeal: 13, as
    # tests/register/test_application_page.py counts them.
    _second_visit(practitioner_browser, url, 6, django_assert_num_queries)


def test_review_page_budget_with_a_full_dossier(
    people, reviewer_browser, django_assert_num_queries
):
    from tests.register.test_review_page import REVIEW_PAGE_QUERIES_CACHED

    url = f"/review/{people.application.pk}/"
    response = _second_visit(
        reviewer_browser, url, REVIEW_PAGE_QUERIES_CACHED, django_assert_num_queries
    )
    body = response.content.decode()
    # Every statement has its verdict form, and half show the verdict already given.
    assert body.count('class="statement-review-form') == 63
    assert body.count("Recorded: met") + body.count("Recorded: not met") == 31


def test_rating_save_budget_with_a_history(people, practitioner_browser, django_assert_num_queries):
    rating = Rating.objects.get(
        assessment__user=people.practitioner,
        assessment__status="in_progress",
        statement__competency__code="3.02",
        statement__level=2,
    )
    # The same budget as for a new practitioner (tests/selfassess/test_query_budgets.py).
    body = save_rating_within_budget(practitioner_browser, rating, django_assert_num_queries)
    assert "Saved 3.02" in body
