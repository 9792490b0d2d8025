"""The development plan: goals on statements, progress, and suggested gaps."""

import datetime

import pytest
from django.utils import timezone

from selfassess import selectors, services
from selfassess.models import Goal
from tests.conftest import refused_page
from tests.selfassess.conftest import publish_next_version, rate, rating_for


def _later(days=60) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def goal(practitioner, assessment):
    return services.goal_create(
        user=practitioner,
        description="Read about marked mirroring",
        activity="reading",
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        statements=[rating_for(assessment, "1.01", 1).statement],
    )


def test_plan_suggests_target_gaps_without_a_goal(
    practitioner_client, practitioner, assessment, goal
):
    rate(assessment, {("1.02", 1): "achieved"})
    plan = selectors.development_plan(practitioner, target_level=2)
    keys = {
        (r.statement.competency.code, r.statement.level)
        for g in plan.suggestions.values()
        for r in g
    }
    assert ("1.01", 1) not in keys  # has a goal
    assert ("1.02", 1) not in keys  # achieved
    assert ("1.02", 2) in keys
    assert ("1.02", 3) not in keys  # beyond the target
    assert plan.suggestion_count == 42 - 2

    html = practitioner_client.get("/assessment/plan/").content.decode()
    assert "40 statements up to Level 2, your aim, are not achieved" in html
    assert 'action="/assessment/plan/goals/new/"' in html


def test_a_goal_keeps_covering_its_gap_after_a_new_version(practitioner, framework, goal):
    publish_next_version(framework)
    current = selectors.latest_assessment(practitioner)
    services.assessment_move_to_published(assessment=current)
    plan = selectors.development_plan(practitioner, target_level=1)
    keys = {
        (r.statement.competency.code, r.statement.level)
        for g in plan.suggestions.values()
        for r in g
    }
    assert ("1.01", 1) not in keys


def test_plan_lists_goals_with_activity_date_progress_and_statements(practitioner_client, goal):
    html = practitioner_client.get("/assessment/plan/").content.decode()
    assert "Read about marked mirroring" in html
    assert "Reading" in html
    assert "Statement 1.01 level 1." in html
    assert f'action="/assessment/plan/goals/{goal.pk}/progress/"' in html


def test_making_a_goal_from_chosen_suggestions(practitioner_client, practitioner, assessment):
    a = rating_for(assessment, "2.01", 1).statement
    b = rating_for(assessment, "2.02", 2).statement
    form = practitioner_client.get(f"/assessment/plan/goals/new/?statement={a.pk}&statement={b.pk}")
    html = form.content.decode()
    assert form.status_code == 200
    assert f'value="{a.pk}"' in html and "checked" in html
    response = practitioner_client.post(
        "/assessment/plan/goals/new/",
        {
            "description": "Shadow the specialist team",
            "activity": "observation",
            "due_date": _later(),
            "statements": [a.pk, b.pk],
        },
    )
    assert response.status_code == 302 and response["Location"] == "/assessment/plan/"
    goal = Goal.objects.get(user=practitioner)
    assert set(goal.statements.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert goal.progress == "planned"


def test_goal_form_errors_are_summarised(practitioner_client, assessment):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = practitioner_client.post(
        "/assessment/plan/goals/new/",
        {"description": "", "activity": "training", "due_date": yesterday},
    )
    refused_page(
        response,
        "There is a problem",
        "Choose at least one statement.",
        "Choose today or a later date",
    )


def test_goal_aims_only_at_gaps_of_your_own_assessment(practitioner_client, assessment):
    from tests.factories import build_framework

    draft = build_framework(domains=1, competencies_per_domain=1, status="draft")
    elsewhere = draft.domains.get().competencies.get().statements.first()
    achieved = rating_for(assessment, "1.01", 1)
    rate(assessment, {("1.01", 1): "achieved"})
    for statement_id in (elsewhere.pk, achieved.statement_id):
        response = practitioner_client.post(
            "/assessment/plan/goals/new/",
            {
                "description": "Something",
                "activity": "training",
                "due_date": _later(),
                "statements": [statement_id],
            },
        )
        assert response.status_code == 400
    assert not Goal.objects.exists()


def test_editing_a_goal_and_marking_progress(practitioner_client, goal):
    page = practitioner_client.get(f"/assessment/plan/goals/{goal.pk}/")
    assert page.status_code == 200 and "Remove this goal" in page.content.decode()
    response = practitioner_client.post(
        f"/assessment/plan/goals/{goal.pk}/",
        {
            "description": "Read two papers on marked mirroring",
            "activity": "reading",
            "due_date": _later(10),
            "progress": "underway",
            "statements": list(goal.statements.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.description == "Read two papers on marked mirroring"
    assert goal.progress == "underway"

    response = practitioner_client.post(
        f"/assessment/plan/goals/{goal.pk}/progress/", {"progress": "done"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.progress == "done"


def test_removing_a_goal(practitioner_client, goal):
    response = practitioner_client.post(f"/assessment/plan/goals/{goal.pk}/delete/")
    assert response.status_code == 302
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", "/"), ("post", "/"), ("post", "/progress/"), ("post", "/delete/")],
)
def test_another_practitioners_goal_is_404(other_client, other_profile, goal, method, suffix):
    response = getattr(other_client, method)(
        f"/assessment/plan/goals/{goal.pk}{suffix}", {"progress": "done"}
    )
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.progress == "planned"


def test_plan_actions_refuse_get_and_anonymous(practitioner_client, anon_client, goal):
    assert practitioner_client.get(f"/assessment/plan/goals/{goal.pk}/progress/").status_code == 405
    assert practitioner_client.get(f"/assessment/plan/goals/{goal.pk}/delete/").status_code == 405
    assert practitioner_client.post("/assessment/plan/").status_code == 405
    for path in ("/assessment/plan/", f"/assessment/plan/goals/{goal.pk}/delete/"):
        response = anon_client.post(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Goal.objects.exists()


def test_goal_forms_refuse_other_methods_and_send_anonymous_to_sign_in(
    practitioner_client, anon_client, goal
):
    for path in ("/assessment/plan/goals/new/", f"/assessment/plan/goals/{goal.pk}/"):
        assert practitioner_client.put(path).status_code == 405
        response = anon_client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = anon_client.post(f"/assessment/plan/goals/{goal.pk}/progress/", {"progress": "done"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    goal.refresh_from_db()
    assert goal.progress == "planned"
