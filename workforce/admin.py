from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from imhcf.admin.base import ReadOnlyAdminMixin
from workforce import services
from workforce.errors import WorkforceError
from workforce.models import CommissionerScope, DataView, Membership, Organisation, Team


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "nation", "region", "ods_code", "verified", "merged_into")
    list_filter = ("kind", "nation", "verified")
    search_fields = ("name", "ods_code")
    inlines = [TeamInline]
    actions = ["verify", "merge_into_the_verified_one"]

    @admin.action(description=_("Mark the selected organisations verified"))
    def verify(self, request, queryset):
        done = 0
        for organisation in queryset:
            try:
                services.organisation_verify(organisation=organisation)
                done += 1
            except WorkforceError as exc:
                self.message_user(request, f"{organisation}: {exc}", messages.ERROR)
        self.message_user(
            request,
            ngettext("%(n)s organisation verified.", "%(n)s organisations verified.", done)
            % {"n": done},
        )

    @admin.action(description=_("Merge the selected duplicates into the one verified among them"))
    def merge_into_the_verified_one(self, request, queryset):
        chosen = list(queryset.filter(merged_into__isnull=True))
        verified = [o for o in chosen if o.verified]
        if len(verified) != 1 or len(chosen) < 2:
            self.message_user(
                request,
                _(
                    "Select two or more organisations, exactly one of them verified: the rest "
                    "are merged into it."
                ),
                messages.ERROR,
            )
            return
        into = verified[0]
        for duplicate in chosen:
            if duplicate.pk != into.pk:
                services.organisation_merge(duplicate=duplicate, into=into)
        self.message_user(
            request,
            _("Merged into %(org)s. Members of the duplicates now choose again what to share.")
            % {"org": into},
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "team", "role", "status", "joined_at")
    list_filter = ("role", "status")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation", "team")
    raw_id_fields = ("user", "organisation", "team", "invite")


@admin.register(CommissionerScope)
class CommissionerScopeAdmin(admin.ModelAdmin):
    """Staff make someone a commissioner by giving them an area here."""

    list_display = ("user", "nation", "region", "granted_at")
    list_filter = ("nation",)
    raw_id_fields = ("user",)

    def save_model(self, request, obj, form, change):
        services.commissioner_grant(user=obj.user, nation=obj.nation, region=obj.region)

    def delete_model(self, request, obj):
        obj.delete()
        if not CommissionerScope.objects.filter(user=obj.user).exists():
            services.commissioner_revoke(user=obj.user)


@admin.register(DataView)
class DataViewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of who saw whose shared data: read only."""

    list_display = ("viewed_at", "viewer_name", "subject", "organisation", "team", "what")
    list_filter = ("what",)
    list_select_related = ("subject", "organisation", "team")
