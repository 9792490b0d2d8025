"""CSV export and import of a version's statements and glossary, on the version's admin page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imhcf import csv_io
from imhcf.forms import CsvUploadForm
from imhcf.models import (
    FrameworkVersion,
)

Status = FrameworkVersion.Status


class FrameworkCsvAdminMixin:
    """Adds the export and import pages to ``FrameworkVersionAdmin``."""

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
