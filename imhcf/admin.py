"""The Django admin for framework editors.

Every save goes through ``imhcf.services``, so an edit made here is checked
against the version's state and recorded in the wording history with the
editor's name. Retired versions are read-only, the published version takes
wording edits only, and structure (adding or removing competencies and
statements) changes only in a draft.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imhcf import csv_io, selectors, services
from imhcf.errors import FrameworkError
from imhcf.forms import CsvUploadForm, FrameworkAdminForm, StartDraftForm, StatementInlineForm
from imhcf.forms_text import parse_id
from imhcf.models import (
    Competency,
    Domain,
    FrameworkVersion,
    GlossaryTerm,
    Level,
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


def _excerpt(text: str) -> str:
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


class WordingRevisionInline(GenericTabularInline):
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

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WordingRevision)
class WordingRevisionAdmin(admin.ModelAdmin):
    """The whole wording history. Append-only: nobody may add, change or delete."""

    list_display = (
        "changed_at",
        "version",
        "changed_object",
        "field",
        "before_excerpt",
        "after_excerpt",
        "changed_by",
        "reason",
    )
    list_filter = ("version", WordingKindFilter, "field")
    search_fields = ("before", "after", "reason")
    list_select_related = ("version", "changed_by", "content_type")
    date_hierarchy = "changed_at"

    def get_queryset(self, request):
        # One query per kind of object, not one per row, to label the targets.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                GenericPrefetch(
                    "target",
                    [
                        FrameworkVersion.objects.all(),
                        Level.objects.all(),
                        Domain.objects.all(),
                        Competency.objects.all(),
                        Statement.objects.select_related("competency"),
                        GlossaryTerm.objects.all(),
                    ],
                )
            )
        )

    @admin.display(description=gettext_lazy("object"))
    def changed_object(self, revision: WordingRevision):
        target = revision.target
        if target is None:
            return _("(removed) %(type)s %(id)s") % {
                "type": revision.content_type.name,
                "id": revision.object_id,
            }
        url = reverse(
            f"admin:imhcf_{revision.content_type.model}_change", args=[revision.object_id]
        )
        return format_html(
            '<a href="{}">{} {}</a>', url, revision.content_type.name.capitalize(), target
        )

    @admin.display(description=gettext_lazy("before"))
    def before_excerpt(self, revision: WordingRevision) -> str:
        return _excerpt(revision.before)

    @admin.display(description=gettext_lazy("after"))
    def after_excerpt(self, revision: WordingRevision) -> str:
        return _excerpt(revision.after)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


# --- Versions ---------------------------------------------------------------


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(FrameworkModelAdmin):
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
            current=FrameworkVersion.objects.filter(status=Status.PUBLISHED).first(),
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

    # CSV export and import --------------------------------------------------

    CSV_KINDS = {
        "statements": {
            "label": gettext_lazy("statements"),
            "columns": csv_io.STATEMENT_COLUMNS,
            "export": csv_io.statements_csv,
            "import": csv_io.statements_import,
            "view": ("imhcf.view_statement",),
            "change": (
                "imhcf.change_statement",
                "imhcf.add_statement",
                "imhcf.change_competency",
                "imhcf.add_competency",
            ),
        },
        "glossary": {
            "label": gettext_lazy("glossary"),
            "columns": csv_io.GLOSSARY_COLUMNS,
            "export": csv_io.glossary_csv,
            "import": csv_io.glossary_import,
            "view": ("imhcf.view_glossaryterm",),
            "change": ("imhcf.change_glossaryterm", "imhcf.add_glossaryterm"),
        },
    }

    def get_urls(self):
        admin_view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/export/<str:kind>.csv",
                admin_view(self.export_view),
                name="imhcf_frameworkversion_export",
            ),
            path(
                "<int:object_id>/import/<str:kind>/",
                admin_view(self.import_view),
                name="imhcf_frameworkversion_import",
            ),
            path(
                "<int:object_id>/import/<str:kind>/apply/",
                admin_view(self.import_apply_view),
                name="imhcf_frameworkversion_import_apply",
            ),
            *super().get_urls(),
        ]

    def _kind(self, kind: str) -> dict:
        if kind not in self.CSV_KINDS:
            raise Http404
        return self.CSV_KINDS[kind]

    def _can_import(self, request, version: FrameworkVersion, kind: str) -> bool:
        return version.status != Status.RETIRED and request.user.has_perms(
            self.CSV_KINDS[kind]["change"]
        )

    def _import_version(self, request, object_id: int, kind: str) -> FrameworkVersion:
        self._kind(kind)
        version = get_object_or_404(FrameworkVersion, pk=object_id)
        if not self._can_import(request, version, kind):
            raise PermissionDenied
        return version

    def export_view(self, request, object_id: int, kind: str):
        spec = self._kind(kind)
        version = get_object_or_404(FrameworkVersion, pk=object_id)
        if not (
            self.has_view_permission(request, version) and request.user.has_perms(spec["view"])
        ):
            raise PermissionDenied
        response = HttpResponse(spec["export"](version), content_type="text/csv; charset=utf-8")
        filename = f"{slugify(version.name) or version.pk}-{kind}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def _import_page(self, request, version, kind, form, result=None, status=200):
        spec = self.CSV_KINDS[kind]
        return TemplateResponse(
            request,
            "admin/imhcf/frameworkversion/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": version,
                "kind": kind,
                "kind_label": spec["label"],
                "columns": spec["columns"],
                "form": form,
                "result": result,
                "title": _("Import %(kind)s into “%(name)s”")
                % {"kind": spec["label"], "name": version.name},
            },
            status=status,
        )

    def import_view(self, request, object_id: int, kind: str):
        """The upload form. It posts to the apply view, the only one that writes."""
        version = self._import_version(request, object_id, kind)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return self._import_page(request, version, kind, CsvUploadForm())

    def import_apply_view(self, request, object_id: int, kind: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        version = self._import_version(request, object_id, kind)
        form = CsvUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._import_page(request, version, kind, form, status=400)
        upload_name = request.FILES["file"].name
        result = self.CSV_KINDS[kind]["import"](
            version=version,
            data=form.cleaned_data["file"],
            user=request.user,
            reason=_("Imported from %(file)s") % {"file": upload_name[:150]},
        )
        if not result.ok:
            return self._import_page(request, version, kind, CsvUploadForm(), result, status=400)
        self.log_change(
            request,
            version,
            _("Imported %(kind)s from %(file)s: %(summary)s")
            % {
                "kind": self.CSV_KINDS[kind]["label"],
                "file": upload_name,
                "summary": result.summary(),
            },
        )
        self.message_user(request, result.summary(), messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:imhcf_frameworkversion_change", args=[version.pk])
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "csv_kinds": [
                {
                    "kind": kind,
                    "label": spec["label"],
                    "can_export": request.user.has_perms(spec["view"]),
                    "can_import": version is not None and self._can_import(request, version, kind),
                }
                for kind, spec in self.CSV_KINDS.items()
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)


# --- Levels and domains -----------------------------------------------------


class FixedStructureAdmin(FrameworkModelAdmin):
    """Every version has exactly three levels and seven domains: wording only."""

    list_filter = ("version",)
    list_select_related = ("version",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Level)
class LevelAdmin(FixedStructureAdmin):
    list_display = ("number", "name", "version")
    search_fields = ("name", "meaning", "audience")
    change_fields = ("version", "number", "name", "meaning", "audience")


@admin.register(Domain)
class DomainAdmin(FixedStructureAdmin):
    list_display = ("number", "name", "version")
    search_fields = ("name", "summary")
    change_fields = ("version", "number", "name", "summary")


# --- Competencies and statements --------------------------------------------


class StatementInline(admin.TabularInline):
    """A competency's three level statements, editable in place."""

    model = Statement
    form = StatementInlineForm
    fields = ("level", "text")
    extra = 0
    max_num = 3
    ordering = ("level",)

    def get_queryset(self, request):
        # Each row is headed by the statement's key, which reads the competency.
        return super().get_queryset(request).select_related("competency")

    def _version_status(self, obj) -> str | None:
        return owning_version(obj).status if obj is not None else None

    def get_readonly_fields(self, request, obj=None):
        # Outside a draft no statement can be added, so the level is only
        # ever shown; plain text says so better than a disabled menu.
        if self._version_status(obj) not in (None, Status.DRAFT):
            return ("level",)
        return ()

    def has_add_permission(self, request, obj=None):
        # On the add page the competency can only be in a draft (see the
        # domain choices), so its statements may be added with it.
        return super().has_add_permission(request, obj) and self._version_status(obj) in (
            None,
            Status.DRAFT,
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._version_status(obj) != Status.RETIRED

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._version_status(obj) == Status.DRAFT


@admin.register(Competency)
class CompetencyAdmin(FrameworkModelAdmin):
    list_display = ("code", "title", "domain_number", "version")
    list_display_links = ("code", "title")
    list_filter = (("domain__version", admin.RelatedFieldListFilter), DomainNumberFilter)
    search_fields = ("code", "title", "statements__text")
    list_select_related = ("domain__version",)
    ordering = ("-domain__version__created_at", "domain__number", "order", "code")
    add_fields = ("domain", "code", "title")
    change_fields = ("domain", "code", "order", "title")
    inlines = [StatementInline, WordingRevisionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("domain__version")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else [StatementInline]

    @admin.display(description=gettext_lazy("domain"), ordering="domain__number")
    def domain_number(self, competency: Competency) -> str:
        return str(competency.domain)

    @admin.display(description=gettext_lazy("version"), ordering="domain__version__created_at")
    def version(self, competency: Competency) -> FrameworkVersion:
        return competency.domain.version

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and FrameworkVersion.objects.filter(status=Status.DRAFT).exists()
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Statements are edited on this page, so their history belongs here too,
        # not only on each statement's own page.
        revisions = []
        if parse_id(object_id) is not None and request.user.has_perm("imhcf.view_wordingrevision"):
            levels = dict(
                Statement.objects.filter(competency_id=object_id).values_list("pk", "level")
            )
            revisions = list(
                WordingRevision.objects.filter(
                    content_type=ContentType.objects.get_for_model(Statement),
                    object_id__in=levels,
                ).select_related("changed_by")
            )
            for revision in revisions:
                revision.level = levels[revision.object_id]
        extra_context = {**(extra_context or {}), "statement_revisions": revisions}
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "domain":
            kwargs["queryset"] = Domain.objects.filter(version__status=Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, request, obj, form) -> None:
        created = services.competency_create(
            domain=form.cleaned_data["domain"],
            code=form.cleaned_data["code"],
            title=form.cleaned_data["title"],
            user=request.user,
        )
        # The admin goes on to save the inlines and log against this instance.
        obj.pk, obj.order = created.pk, created.order
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.competency_delete(competency=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        # formset.save() would write straight to the rows; these lists are what
        # it would have left behind for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not Statement:
            return  # The history inline is read-only.
        reason = form.cleaned_data.get("change_reason", "")
        deleted = formset.deleted_forms if formset.can_delete else []
        for statement_form in deleted:
            if statement_form.instance.pk:
                services.statement_delete(statement=statement_form.instance, user=request.user)
                formset.deleted_objects.append(statement_form.instance)
        for statement_form in formset.forms:
            if statement_form in deleted or not statement_form.has_changed():
                continue
            data = statement_form.cleaned_data
            if statement_form.instance.pk is None:
                statement = services.statement_create(
                    competency=form.instance,
                    level=data["level"],
                    text=data["text"],
                    user=request.user,
                )
                formset.new_objects.append(statement)
            elif services.wording_update(
                obj=statement_form.instance,
                changes={"text": data["text"]},
                user=request.user,
                reason=reason,
                kind=form.cleaned_data.get("change_kind", ""),
            ):
                formset.changed_objects.append((statement_form.instance, ["text"]))


@admin.register(Statement)
class StatementAdmin(FrameworkModelAdmin):
    list_display = ("key", "level", "text_excerpt", "version")
    list_filter = (
        ("competency__domain__version", admin.RelatedFieldListFilter),
        StatementDomainFilter,
        "level",
    )
    search_fields = ("competency__code", "competency__title", "text")
    list_select_related = ("competency__domain__version",)
    ordering = (
        "-competency__domain__version__created_at",
        "competency__domain__number",
        "competency__order",
        "competency__code",
        "level",
    )
    change_fields = ("competency", "level", "text", "predecessor")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("competency__domain__version")

    @admin.display(description=gettext_lazy("statement"), ordering="competency__code")
    def key(self, statement: Statement) -> str:
        return statement.key

    @admin.display(description=gettext_lazy("descriptor"))
    def text_excerpt(self, statement: Statement) -> str:
        return _excerpt(statement.text)

    @admin.display(description=gettext_lazy("version"))
    def version(self, statement: Statement) -> FrameworkVersion:
        return statement.competency.domain.version

    def has_add_permission(self, request):
        # Statements are added under their competency, where the level is chosen.
        return False

    def delete_model(self, request, obj):
        services.statement_delete(statement=obj, user=request.user)


# --- Glossary ---------------------------------------------------------------


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(FrameworkModelAdmin):
    list_display = ("term", "slug", "definition_excerpt", "version")
    list_filter = ("version",)
    search_fields = ("term", "forms", "definition")
    list_select_related = ("version",)
    ordering = ("-version__created_at", "term")
    add_fields = ("version", "term", "slug", "forms", "definition")
    change_fields = ("version", "term", "slug", "forms", "definition")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version")

    def get_prepopulated_fields(self, request, obj=None):
        # The slug is the term's anchor in links; it is fixed once the term exists.
        return {"slug": ("term",)} if obj is None else {}

    @admin.display(description=gettext_lazy("definition"))
    def definition_excerpt(self, glossary_term: GlossaryTerm) -> str:
        return _excerpt(glossary_term.definition)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = FrameworkVersion.objects.exclude(status=Status.RETIRED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, request, obj, form) -> None:
        data = form.cleaned_data
        created = services.glossary_term_create(
            version=data["version"],
            term=data["term"],
            slug=data["slug"],
            definition=data["definition"],
            forms=data["forms"],
            user=request.user,
        )
        obj.pk = created.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.glossary_term_delete(glossary_term=obj, user=request.user)
