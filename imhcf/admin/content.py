"""The framework's content: levels, domains, competencies with their statements, the
glossary, and the append-only wording history."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imhcf import services
from imhcf.admin.base import (
    DomainNumberFilter,
    FrameworkModelAdmin,
    ReadOnlyAdminMixin,
    StatementDomainFilter,
    WordingKindFilter,
    WordingRevisionInline,
    excerpt,
    owning_version,
)
from imhcf.forms import StatementInlineForm
from imhcf.forms_text import parse_id
from imhcf.models import (
    Competency,
    Domain,
    FrameworkVersion,
    GlossaryTerm,
    Level,
    Statement,
    WordingRevision,
    framework_order,
)

Status = FrameworkVersion.Status


def _added(model_admin: FrameworkModelAdmin, form) -> dict:
    """The add form's fields, by the names the create service takes them under.

    A Welsh field the form does not have is given as "".
    """
    data = form.cleaned_data
    return {
        name: data.get(name, "") if name.endswith("_cy") else data[name]
        for name in model_admin.add_fields
    }


# --- History ----------------------------------------------------------------


@admin.register(WordingRevision)
class WordingRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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
        return excerpt(revision.before)

    @admin.display(description=gettext_lazy("after"))
    def after_excerpt(self, revision: WordingRevision) -> str:
        return excerpt(revision.after)


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
    change_fields += ("name_cy", "meaning_cy", "audience_cy")


@admin.register(Domain)
class DomainAdmin(FixedStructureAdmin):
    list_display = ("number", "name", "version")
    search_fields = ("name", "summary")
    change_fields = ("version", "number", "name", "summary", "name_cy", "summary_cy")


# --- Competencies and statements --------------------------------------------


class StatementInline(admin.TabularInline):
    """A competency's three level statements, editable in place."""

    model = Statement
    form = StatementInlineForm
    fields = ("level", "text", "text_cy")
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
    add_fields = ("domain", "code", "title", "title_cy")
    change_fields = ("domain", "code", "order", "title", "title_cy")
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
        created = services.competency_create(**_added(self, form), user=request.user)
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
                    text_cy=data.get("text_cy", ""),
                    user=request.user,
                )
                formset.new_objects.append(statement)
            elif services.wording_update(
                obj=statement_form.instance,
                changes={name: data[name] for name in ("text", "text_cy") if name in data},
                user=request.user,
                reason=reason,
                kind=form.cleaned_data.get("change_kind", ""),
            ):
                formset.changed_objects.append(
                    (statement_form.instance, statement_form.changed_data)
                )


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
    ordering = ("-competency__domain__version__created_at", *framework_order())
    change_fields = ("competency", "level", "text", "text_cy", "predecessor")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("competency__domain__version")

    @admin.display(description=gettext_lazy("statement"), ordering="competency__code")
    def key(self, statement: Statement) -> str:
        return statement.key

    @admin.display(description=gettext_lazy("descriptor"))
    def text_excerpt(self, statement: Statement) -> str:
        return excerpt(statement.text)

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
    search_fields = ("term", "forms", "definition", "term_cy", "forms_cy", "definition_cy")
    list_select_related = ("version",)
    ordering = ("-version__created_at", "term")
    add_fields = ("version", "term", "slug", "forms", "definition")
    add_fields += ("term_cy", "forms_cy", "definition_cy")
    change_fields = add_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version")

    def get_prepopulated_fields(self, request, obj=None):
        # The slug is the term's anchor in links; it is fixed once the term exists.
        return {"slug": ("term",)} if obj is None else {}

    @admin.display(description=gettext_lazy("definition"))
    def definition_excerpt(self, glossary_term: GlossaryTerm) -> str:
        return excerpt(glossary_term.definition)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = FrameworkVersion.objects.exclude(status=Status.RETIRED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, request, obj, form) -> None:
        created = services.glossary_term_create(**_added(self, form), user=request.user)
        obj.pk = created.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.glossary_term_delete(glossary_term=obj, user=request.user)
