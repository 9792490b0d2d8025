"""Staff may look at self-assessments to help a practitioner, never change them.

Ratings are the practitioner's own judgement and completed snapshots are
frozen, so the admin is read-only throughout; changes go through the app.
"""

from django.contrib import admin

from imhcf.admin.base import ReadOnlyAdminMixin
from selfassess.models import Assessment, Goal, Profile, Rating


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class RatingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Rating
    fields = ["statement", "value", "note", "needs_review", "revision", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["statement__competency__domain__number", "statement__competency__order"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("statement__competency")


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "service_setting", "sector", "nation", "target_level"]
    list_filter = ["role", "service_setting", "sector", "nation", "target_level"]
    search_fields = ["user__email", "user__full_name", "organisation"]
    list_select_related = ["user"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "status", "version", "started_at", "completed_at", "achieved_count"]
    list_filter = ["status", "version"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "version"]
    inlines = [RatingInline]


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["user", "description", "activity", "due_date", "progress"]
    list_filter = ["activity", "progress"]
    search_fields = ["user__email", "description"]
    list_select_related = ["user"]
