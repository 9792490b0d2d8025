from imhcf.routes import named
from selfassess.views import assessment, grid, history, plan

app_name = "selfassess"

urlpatterns = [
    named("", assessment.overview),
    named("start/", assessment.start),
    named("move-to-current-edition/", assessment.move),
    named("complete/", assessment.complete),
    named("domains/<int:number>/", grid.grid),
    named("ratings/<int:pk>/", grid.rating_save),
    named("history/", history.history),
    named("history/compare/", history.compare),
    named("history/<int:pk>/", history.snapshot),
    named("plan/", plan.plan),
    named("plan/goals/new/", plan.goal_create),
    named("plan/goals/<int:pk>/", plan.goal_edit),
    named("plan/goals/<int:pk>/progress/", plan.goal_progress),
    named("plan/goals/<int:pk>/delete/", plan.goal_delete),
    named("profile/", assessment.profile),
]
