from django.contrib import admin

from workforce.models import Membership, Organisation, Team


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "nation", "region", "ods_code", "verified")
    list_filter = ("kind", "nation", "verified")
    search_fields = ("name", "ods_code")
    inlines = [TeamInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "team", "role", "status", "joined_at")
    list_filter = ("role", "status")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation", "team")
    raw_id_fields = ("user", "organisation", "team")
