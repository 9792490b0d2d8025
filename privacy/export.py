"""The subject access export: a ZIP of everything the register holds about one person.

Made in the background by the document pipeline (``evidence.services``), as a
``DocumentJob`` of kind ``data_export`` owned by the person. The ZIP holds:

- ``index.html``, a summary a person can read in a browser, section by section;
- ``data.json``, every record from ``privacy.inventory.EXPORTED``, field by field;
- ``files/evidence/``, their evidence files, and ``files/documents/``, the PDFs
  made for them that have not yet expired.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from uuid import UUID

from django.db.models import FileField, ForeignKey
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename

from evidence.documents import register_renderer
from evidence.models import DocumentJob, EvidenceFile
from privacy.inventory import EXPORTED


def _value(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _row(instance, omit: tuple[str, ...]) -> dict:
    row = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in omit:
            continue
        if isinstance(model_field, ForeignKey):
            row[model_field.attname] = getattr(instance, model_field.attname)
        elif isinstance(model_field, FileField):
            stored = getattr(instance, model_field.name)
            row[model_field.name] = stored.name if stored else ""
        else:
            row[model_field.name] = _value(getattr(instance, model_field.attname))
    return row


def export_sections(user) -> list[dict]:
    sections = []
    for entry in EXPORTED:
        rows = [_row(instance, entry.omit) for instance in entry.rows(user)]
        sections.append(
            {"model": entry.label, "title": entry.title, "count": len(rows), "rows": rows}
        )
    return sections


def _add_file(archive: zipfile.ZipFile, field_file, arcname: str) -> bool:
    try:
        with field_file.open("rb") as handle:
            archive.writestr(arcname, handle.read())
    except (FileNotFoundError, OSError):
        return False
    return True


def export_build(user) -> bytes:
    generated_at = timezone.now()
    sections = export_sections(user)
    buffer = io.BytesIO()
    files: list[dict] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for evidence_file in EvidenceFile.objects.filter(item__owner=user).order_by("pk"):
            name = get_valid_filename(evidence_file.original_name) or "file"
            arcname = f"files/evidence/{evidence_file.pk}-{name}"
            if _add_file(archive, evidence_file.file, arcname):
                files.append({"path": arcname, "about": evidence_file.original_name})
        documents = (
            DocumentJob.objects.filter(owner=user, status=DocumentJob.Status.DONE)
            .exclude(kind=DocumentJob.Kind.DATA_EXPORT)
            .exclude(file="")
            .order_by("pk")
        )
        for job in documents:
            arcname = f"files/documents/{job.pk}-{job.kind}.pdf"
            if _add_file(archive, job.file, arcname):
                files.append({"path": arcname, "about": str(job.get_kind_display())})
        document = {
            "schema": "imhcf-subject-access/1",
            "generated_at": generated_at.isoformat(),
            "person": {"id": user.pk, "email": user.email, "name": user.full_name},
            "sections": sections,
            "files": files,
        }
        archive.writestr(
            "data.json", json.dumps(document, indent=2, ensure_ascii=False, default=str)
        )
        archive.writestr(
            "index.html",
            render_to_string(
                "privacy/export_index.html",
                {
                    "person": user,
                    "generated_at": generated_at,
                    "sections": sections,
                    "files": files,
                },
            ),
        )
    return buffer.getvalue()


@register_renderer(DocumentJob.Kind.DATA_EXPORT, extension="zip", content_type="application/zip")
def render_export(job: DocumentJob) -> bytes:
    return export_build(job.owner)
