"""What every framework admin shares: saving through the services, the version's state
deciding what may change, the wording history inline and the list filters."""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imhcf import services
from imhcf.errors import FrameworkError
from imhcf.forms import FrameworkAdminForm
from imhcf.forms_text import parse_id
from imhcf.models import (
    Competency,
    Domain,
    FrameworkVersion,
    Statement,
    WordingRevision,
)

Status = FrameworkVersion.Status


def owning_version(obj) -> FrameworkVersion:
    """The version ``obj`` belongs to, through relations the admins select_related."""
    if isinstance(obj, FrameworkVersion):
        return obj
    if isinstance(obj, Competency):
        return obj.domain.version
    if isinstance(obj, Statement):
        return obj.competency.domain.version
    return obj.version


def excerpt(text: str) -> str:
    return Truncator(text).chars(90)


# --- Filters ----------------------------------------------------------------


class DomainNumberFilter(admin.SimpleListFilter):
    """Domains by number: the same seven exist in every version."""

    title = gettext_lazy("domain")
    parameter_name = "domain"
    field_path = "domain__number"

    def lookups(self, request, model_admin):
        names: dict[int, str] = {}
        # Newest first, so each number is labelled with its current name.
        for number, name in Domain.objects.order_by("-version__created_at").values_list(
            "number", "name"
        ):
            names.setdefault(number, name)
        return [(str(n), f"{n}. {names[n]}") for n in sorted(names)]

    def queryset(self, request, queryset):
        number = parse_id(self.value())
        if number is not None:
            return queryset.filter(**{self.field_path: number})
        return queryset


class StatementDomainFilter(DomainNumberFilter):
    field_path = "competency__domain__number"


class WordingKindFilter(admin.SimpleListFilter):
    """What was changed: only the framework's own kinds of row, not every model."""

    title = gettext_lazy("kind of wording")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [
            (model._meta.model_name, model._meta.verbose_name.capitalize())
            for model in services.WORDING_FIELDS
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                content_type__app_label="imhcf", content_type__model=self.value()
            )
        return queryset


# --- History ----------------------------------------------------------------


class ReadOnlyAdminMixin:
    """For an admin or inline of records staff may read and nobody may add, change or delete
    there: audit trails, consents, self-assessments. Shared by every app's admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class WordingRevisionInline(ReadOnlyAdminMixin, GenericTabularInline):
    """Every recorded change to this row's wording, newest first; read-only."""

    model = WordingRevision
    fields = ("changed_at", "field", "before", "after", "who", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = gettext_lazy("wording change")
    verbose_name_plural = gettext_lazy("Wording history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    @admin.display(description=gettext_lazy("changed by"))
    def who(self, revision: WordingRevision) -> str:
        # A name, not a link: editors may not open people's accounts.
        return str(revision.changed_by) if revision.changed_by else _("unknown")


# --- Shared behaviour of the wording admins ---------------------------------


class FrameworkModelAdmin(admin.ModelAdmin):
    """Saves through the services and lets each version's state decide what may change.

    ``add_fields`` are the fields of the add form; ``change_fields`` those of the
    change form, where only the model's wording fields are editable.
    """

    form = FrameworkAdminForm
    add_fields: tuple[str, ...] = ()
    change_fields: tuple[str, ...] = ()
    inlines = [WordingRevisionInline]

    @property
    def wording_fields(self) -> tuple[str, ...]:
        return services.WORDING_FIELDS[self.model]

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        if self.has_change_permission(request, obj):
            return (*self.change_fields, "change_kind", "change_reason")
        return self.change_fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return tuple(f for f in self.change_fields if f not in self.wording_fields)

    def get_inlines(self, request, obj):
        # The history of a row that does not exist yet is empty.
        return self.inlines if obj is not None else []

    def get_actions(self, request):
        actions = super().get_actions(request)
        # A bulk delete would bypass the per-object state checks.
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or owning_version(obj).status != Status.RETIRED)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and obj is not None and owning_version(obj).status == Status.DRAFT

    def save_model(self, request, obj, form, change):
        if not change:
            self.create(request, obj, form)
            return
        changes = {f: form.cleaned_data[f] for f in self.wording_fields if f in form.changed_data}
        if changes:
            services.wording_update(
                obj=obj,
                changes=changes,
                user=request.user,
                reason=form.cleaned_data.get("change_reason", ""),
                kind=form.cleaned_data.get("change_kind", ""),
            )

    def create(self, request, obj, form) -> None:
        raise PermissionDenied

    def delete_model(self, request, obj):
        raise PermissionDenied

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A row's wording history goes with it. Nobody may delete history on
        # its own, so without this no draft row with history could be removed.
        history = str(WordingRevision._meta.verbose_name)
        perms_needed = {name for name in perms_needed if str(name) != history}
        return deleted, counts, perms_needed, protected

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FrameworkError as exc:
            # The version changed state between showing the form and saving
            # it; the atomic block in changeform_view has undone the save.
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except FrameworkError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
