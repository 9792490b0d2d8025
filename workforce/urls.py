from imhcf.routes import formats, named
from workforce.views import insight, members, teams

app_name = "workforce"

urlpatterns = [
    # A member's own pages.
    named("organisations/", members.mine),
    named("organisations/new/", members.organisation_create),
    named("organisations/<int:pk>/join/", members.join_request),
    named("organisations/invite/<str:token>/", members.invite_accept),
    named("organisations/memberships/<int:pk>/sharing/", members.sharing),
    named("organisations/memberships/<int:pk>/leave/", members.leave),
    named("organisations/statistics/", members.statistics),
    named("organisations/seen/", members.seen),
    # Team leads and organisation admins (under /teams/, where MFA is required).
    named("teams/", teams.team_list),
    named("teams/<int:pk>/", teams.team_detail),
    formats(r"teams/(?P<pk>[0-9]+)/export", teams.team_export, "csv", "xlsx"),
    named("teams/<int:pk>/members/<int:membership_pk>/", teams.member_detail),
    named("teams/<int:pk>/invites/", teams.team_invites),
    named("teams/<int:pk>/requirements/", teams.requirements),
    named("teams/requirements/<int:pk>/delete/", teams.requirement_delete),
    named("teams/invites/<int:pk>/revoke/", teams.invite_revoke),
    named("teams/requests/<int:pk>/decide/", teams.request_decide),
    named("teams/memberships/<int:pk>/", teams.membership_update),
    named("teams/organisations/<int:pk>/", teams.organisation_admin),
    # Area insight for commissioners (and the public, when the setting allows).
    named("insight/", insight.insight),
    formats(r"insight/download", insight.insight_download, "csv", "json"),
]
