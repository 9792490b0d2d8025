from django.urls import path

from selfassess import views

app_name = "selfassess"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("start/", views.start, name="start"),
    path("move-to-current-edition/", views.move_to_current, name="move"),
    path("complete/", views.complete, name="complete"),
    path("domains/<int:number>/", views.grid, name="grid"),
    path("ratings/<int:pk>/", views.rating_save, name="rating_save"),
    path("history/", views.history, name="history"),
    path("history/compare/", views.compare, name="compare"),
    path("history/<int:pk>/", views.snapshot, name="snapshot"),
    path("plan/", views.plan, name="plan"),
    path("plan/goals/new/", views.goal_create, name="goal_create"),
    path("plan/goals/<int:pk>/", views.goal_edit, name="goal_edit"),
    path("plan/goals/<int:pk>/progress/", views.goal_progress, name="goal_progress"),
    path("plan/goals/<int:pk>/delete/", views.goal_delete, name="goal_delete"),
    path("profile/", views.profile, name="profile"),
]
