from django.urls import path

from selfassess.views import assessment, grid, history, plan

app_name = "selfassess"

urlpatterns = [
    path("", assessment.overview, name="overview"),
    path("start/", assessment.start, name="start"),
    path("move-to-current-edition/", assessment.move_to_current, name="move"),
    path("complete/", assessment.complete, name="complete"),
    path("domains/<int:number>/", grid.grid, name="grid"),
    path("ratings/<int:pk>/", grid.rating_save, name="rating_save"),
    path("history/", history.history, name="history"),
    path("history/compare/", history.compare, name="compare"),
    path("history/<int:pk>/", history.snapshot, name="snapshot"),
    path("plan/", plan.plan, name="plan"),
    path("plan/goals/new/", plan.goal_create, name="goal_create"),
    path("plan/goals/<int:pk>/", plan.goal_edit, name="goal_edit"),
    path("plan/goals/<int:pk>/progress/", plan.goal_progress, name="goal_progress"),
    path("plan/goals/<int:pk>/delete/", plan.goal_delete, name="goal_delete"),
    path("profile/", assessment.profile, name="profile"),
]
