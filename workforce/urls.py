from django.urls import path, re_path

from workforce import views

app_name = "workforce"

urlpatterns = [
    # A member's own pages.
    path("organisations/", views.my_organisations, name="mine"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/join/", views.join_request, name="join_request"),
    path("organisations/invite/<str:token>/", views.invite_accept, name="invite_accept"),
    path("organisations/memberships/<int:pk>/sharing/", views.sharing, name="sharing"),
    path("organisations/memberships/<int:pk>/leave/", views.leave, name="leave"),
    path("organisations/statistics/", views.statistics, name="statistics"),
    path("organisations/seen/", views.seen, name="seen"),
    # Team leads and organisation admins (under /teams/, where MFA is required).
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    re_path(
        r"^teams/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$", views.team_export, name="team_export"
    ),
    path("teams/<int:pk>/members/<int:membership_pk>/", views.member_detail, name="member_detail"),
    path("teams/<int:pk>/invites/", views.team_invites, name="team_invites"),
    path("teams/<int:pk>/requirements/", views.requirements, name="requirements"),
    path(
        "teams/requirements/<int:pk>/delete/",
        views.requirement_delete,
        name="requirement_delete",
    ),
    path("teams/invites/<int:pk>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("teams/requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("teams/memberships/<int:pk>/", views.membership_update, name="membership_update"),
    path("teams/organisations/<int:pk>/", views.organisation_admin, name="organisation_admin"),
    # Area insight for commissioners (and the public, when the setting allows).
    path("insight/", views.insight, name="insight"),
    re_path(
        r"^insight/download\.(?P<fmt>csv|json)$", views.insight_download, name="insight_download"
    ),
]
