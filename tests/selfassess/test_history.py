"""History of completed snapshots, one snapshot, and comparing any two."""

import pytest

from selfassess import selectors, services
from selfassess.models import Assessment
from tests.selfassess.conftest import publish_next_version, rate


def _complete(user, values, target=2):
    current = Assessment.objects.get(user=user, status="in_progress")
    rate(current, values)
    return services.assessment_complete(assessment=current, target_level=target)


@pytest.fixture
def two_snapshots(assessment, practitioner):
    first = _complete(
        practitioner,
        {("1.01", 1): "working_towards", ("1.02", 1): "achieved", ("1.03", 1): "achieved"},
    )
    second = _complete(
        practitioner, {("1.01", 1): "achieved", ("1.02", 1): "not_started", ("2.01", 1): "achieved"}
    )
    return first, second


def test_history_lists_snapshots_with_headline_figures(practitioner_client, two_snapshots):
    first, second = two_snapshots
    response = practitioner_client.get("/assessment/history/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f"/assessment/history/{second.pk}/") < html.index(
        f"/assessment/history/{first.pk}/"
    )
    assert "2 of 63" in html  # first: achieved
    assert "3 of 63" in html  # second
    assert "3 of 42 (Level 2)" in html
    assert 'action="/assessment/history/compare/"' in html


def test_history_with_nothing_completed_says_so(practitioner_client, assessment):
    html = practitioner_client.get("/assessment/history/").content.decode()
    assert "You have not completed a self-assessment yet." in html


def test_snapshot_shows_its_ratings_and_notes_and_cannot_be_edited(
    practitioner_client, two_snapshots
):
    first, _second = two_snapshots
    html = practitioner_client.get(f"/assessment/history/{first.pk}/").content.decode()
    assert "Statement 1.02 level 1." in html
    assert 'class="rating-achieved"' in html
    assert "This snapshot cannot be changed." in html
    assert 'type="radio"' not in html


def test_comparison_sorts_statements_into_improved_slipped_unchanged(two_snapshots):
    first, second = two_snapshots
    comparison = selectors.compare_assessments(second, first)  # any order: dates decide
    assert comparison.earlier == first
    assert [c.key for c in comparison.improved] == [("1.01", 1), ("2.01", 1)]
    assert [c.key for c in comparison.slipped] == [("1.02", 1)]
    assert len(comparison.unchanged) == 63 - 3
    assert not comparison.only_earlier and not comparison.only_later


def test_compare_page_shows_each_change_with_before_and_now(practitioner_client, two_snapshots):
    first, second = two_snapshots
    response = practitioner_client.get(
        f"/assessment/history/compare/?earlier={first.pk}&later={second.pk}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 improved" in html and "1 slipped" in html and "60 unchanged" in html
    improved = html.split('id="improved-title"')[1].split('id="slipped-title"')[0]
    assert "1.01" in improved and "2.01" in improved and "Working towards" in improved


def test_comparison_across_versions_matches_by_key_and_shows_both_wordings(
    practitioner_client, practitioner, framework, two_snapshots
):
    first, _second = two_snapshots
    Assessment.objects.filter(user=practitioner, status="in_progress").delete()
    publish_next_version(framework, reword={("1.03", 1)}, renumber={"2.01": "2.09"})
    services.assessment_start(user=practitioner)
    current = Assessment.objects.get(user=practitioner, status="in_progress")
    rate(current, {("1.03", 1): "not_started", ("2.09", 1): "working_towards"})
    later = services.assessment_complete(assessment=current, target_level=2)

    comparison = selectors.compare_assessments(first, later)
    assert comparison.across_versions
    slipped = {c.key: c for c in comparison.slipped}
    assert ("1.03", 1) in slipped and slipped[("1.03", 1)].wording_changed
    improved = {c.key: c for c in comparison.improved}
    # Renumbered: matched through the predecessor, shown under its new code.
    assert improved[("2.09", 1)].earlier.statement.competency.code == "2.01"

    html = practitioner_client.get(
        f"/assessment/history/compare/?earlier={first.pk}&later={later.pk}"
    ).content.decode()
    assert "These use different editions of the framework" in html
    assert "Reworded: Statement 1.03 level 1. With a new clause." in html
    assert "Worded then:" in html and "Statement 1.03 level 1." in html

    # The older snapshot still shows its own edition's wording.
    old = practitioner_client.get(f"/assessment/history/{first.pk}/").content.decode()
    assert "Reworded:" not in old and "Statement 1.03 level 1." in old


def test_another_practitioners_snapshot_is_404(other_client, other_profile, two_snapshots):
    first, second = two_snapshots
    assert other_client.get(f"/assessment/history/{first.pk}/").status_code == 404
    response = other_client.get(
        f"/assessment/history/compare/?earlier={first.pk}&later={second.pk}"
    )
    assert response.status_code == 404


def test_an_assessment_in_progress_is_not_a_snapshot(practitioner_client, practitioner, assessment):
    assert practitioner_client.get(f"/assessment/history/{assessment.pk}/").status_code == 404


def test_comparing_a_snapshot_with_itself_asks_for_two(practitioner_client, two_snapshots):
    first, _second = two_snapshots
    response = practitioner_client.get(
        f"/assessment/history/compare/?earlier={first.pk}&later={first.pk}"
    )
    assert response.status_code == 400
    assert "Choose two different self-assessments." in response.content.decode()


def test_history_pages_refuse_post_and_anonymous(practitioner_client, anon_client, two_snapshots):
    first, second = two_snapshots
    for path in (
        "/assessment/history/",
        f"/assessment/history/{first.pk}/",
        f"/assessment/history/compare/?earlier={first.pk}&later={second.pk}",
    ):
        assert practitioner_client.post(path).status_code == 405
        response = anon_client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
