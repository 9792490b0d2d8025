from django.urls import path, re_path

from workforce.views import insight, members, teams

app_name = "workforce"

urlpatterns = [
    # A member's own pages.
    path("organisations/", members.my_organisations, name="mine"),
    path("organisations/new/", members.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/join/", members.join_request, name="join_request"),
    path("organisations/invite/<str:token>/", members.invite_accept, name="invite_accept"),
    path("organisations/memberships/<int:pk>/sharing/", members.sharing, name="sharing"),
    path("organisations/memberships/<int:pk>/leave/", members.leave, name="leave"),
    path("organisations/statistics/", members.statistics, name="statistics"),
    path("organisations/seen/", members.seen, name="seen"),
    # Team leads and organisation admins (under /teams/, where MFA is required).
    path("teams/", teams.team_list, name="team_list"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    re_path(
        r"^teams/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$", teams.team_export, name="team_export"
    ),
    path("teams/<int:pk>/members/<int:membership_pk>/", teams.member_detail, name="member_detail"),
    path("teams/<int:pk>/invites/", teams.team_invites, name="team_invites"),
    path("teams/<int:pk>/requirements/", teams.requirements, name="requirements"),
    path(
        "teams/requirements/<int:pk>/delete/",
        teams.requirement_delete,
        name="requirement_delete",
    ),
    path("teams/invites/<int:pk>/revoke/", teams.invite_revoke, name="invite_revoke"),
    path("teams/requests/<int:pk>/decide/", teams.request_decide, name="request_decide"),
    path("teams/memberships/<int:pk>/", teams.membership_update, name="membership_update"),
    path("teams/organisations/<int:pk>/", teams.organisation_admin, name="organisation_admin"),
    # Area insight for commissioners (and the public, when the setting allows).
    path("insight/", insight.insight, name="insight"),
    re_path(
        r"^insight/download\.(?P<fmt>csv|json)$", insight.insight_download, name="insight_download"
    ),
]
