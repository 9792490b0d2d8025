"""Framework versions: start a draft from the published one, publish it, or discard it."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imhcf import selectors, services
from imhcf.admin.base import FrameworkModelAdmin
from imhcf.admin.csv import FrameworkCsvAdminMixin
from imhcf.errors import FrameworkError
from imhcf.forms import StartDraftForm
from imhcf.models import (
    FrameworkVersion,
)
from imhcf.selectors import published_version

Status = FrameworkVersion.Status


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(FrameworkCsvAdminMixin, FrameworkModelAdmin):
    list_display = ("name", "status", "published_at", "retired_at", "based_on", "created_at")
    list_filter = ("status",)
    search_fields = ("name",)
    list_select_related = ("based_on",)
    change_fields = (
        "name",
        "status",
        "based_on",
        "core_competency_name",
        "core_competency_text",
        "name_cy",
        "core_competency_name_cy",
        "core_competency_text_cy",
        "notes",
        "created_at",
        "published_at",
        "retired_at",
        "content_revision",
    )
    actions = ["start_draft", "publish", "discard_draft"]

    def has_add_permission(self, request):
        # Versions are born by copying the published one (the "start a new
        # draft" action), never empty.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_start_draft_permission(self, request) -> bool:
        return request.user.has_perm("imhcf.add_frameworkversion")

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("imhcf.change_frameworkversion")

    # The action pages -------------------------------------------------------

    def _single(self, request, queryset) -> FrameworkVersion | None:
        versions = list(queryset[:2])
        if len(versions) != 1:
            self.message_user(request, _("Select exactly one version."), messages.ERROR)
            return None
        return versions[0]

    def _action_page(self, request, template: str, action: str, version, **context):
        return TemplateResponse(
            request,
            f"admin/imhcf/frameworkversion/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "action": action,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "version": version,
                **context,
            },
        )

    @admin.action(
        description=gettext_lazy("Start a new draft from the published version"),
        permissions=["start_draft"],
    )
    def start_draft(self, request, queryset):
        source = self._single(request, queryset)
        if source is None:
            return None
        try:
            services.version_check_start_draft(source=source)
        except FrameworkError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        if "apply" in request.POST:
            form = StartDraftForm(request.POST)
            if form.is_valid():
                try:
                    draft = services.version_start_draft(
                        source=source, name=form.cleaned_data["name"], user=request.user
                    )
                except FrameworkError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                    return None
                self.log_addition(request, draft, [{"added": {}}])
                self.message_user(
                    request,
                    _("Started the draft “%(draft)s” from “%(source)s”. Edit it, then publish it.")
                    % {"draft": draft.name, "source": source.name},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:imhcf_frameworkversion_change", args=[draft.pk])
                )
        else:
            form = StartDraftForm(initial={"name": _("%(name)s draft") % {"name": source.name}})
        return self._action_page(
            request,
            "start_draft.html",
            "start_draft",
            source,
            form=form,
            title=_("Start a new draft from “%(name)s”") % {"name": source.name},
        )

    @admin.action(description=gettext_lazy("Publish this draft"), permissions=["publish"])
    def publish(self, request, queryset):
        version = self._single(request, queryset)
        if version is None:
            return None
        if version.status != Status.DRAFT:
            self.message_user(
                request,
                _("Only a draft can be published; “%(name)s” is %(status)s.")
                % {"name": version.name, "status": version.get_status_display().lower()},
                messages.ERROR,
            )
            return None
        if "apply" in request.POST:
            try:
                services.version_publish(version=version, user=request.user)
            except FrameworkError as exc:
                self._message_error(request, exc)
                return None
            self.log_change(request, version, _("Published."))
            self.message_user(
                request,
                _("“%(name)s” is now the published version.") % {"name": version.name},
                messages.SUCCESS,
            )
            return None
        return self._action_page(
            request,
            "publish.html",
            "publish",
            version,
            problems=services.version_publish_problems(version),
            changes=selectors.version_publish_changes(version),
            current=published_version(),
            title=_("Publish “%(name)s”") % {"name": version.name},
        )

    @admin.action(description=gettext_lazy("Discard this draft"), permissions=["publish"])
    def discard_draft(self, request, queryset):
        version = self._single(request, queryset)
        if version is None:
            return None
        if "apply" in request.POST:
            try:
                services.version_discard(version=version, user=request.user)
            except FrameworkError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(
                request, _("Discarded “%(name)s”.") % {"name": version.name}, messages.SUCCESS
            )
            return None
        if version.status != Status.DRAFT:
            self.message_user(
                request,
                _("Only a draft can be discarded; “%(name)s” is %(status)s.")
                % {"name": version.name, "status": version.get_status_display().lower()},
                messages.ERROR,
            )
            return None
        return self._action_page(
            request,
            "discard.html",
            "discard_draft",
            version,
            title=_("Discard “%(name)s”") % {"name": version.name},
        )

    def _message_error(self, request, exc: FrameworkError) -> None:
        self.message_user(request, str(exc), messages.ERROR)
        for problem in exc.problems:
            self.message_user(request, problem, messages.ERROR)
