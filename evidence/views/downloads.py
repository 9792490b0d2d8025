"""Private files leave the server only through these views."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from evidence.access import get_document_for_user, get_evidence_file_for_reader
from evidence.documents import output_for
from evidence.models import DocumentJob


def private_file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """An attachment that browsers neither sniff, render inline nor keep in a cache."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
@login_required
def file_download(request, pk: int):
    evidence_file = get_evidence_file_for_reader(request.user, pk)
    return private_file_response(
        evidence_file.file,
        filename=evidence_file.original_name,
        content_type=evidence_file.content_type,
    )


@require_safe
@login_required
def document_download(request, pk: int):
    job = get_document_for_user(request.user, pk)
    if job.status != DocumentJob.Status.DONE or not job.file:
        raise Http404
    stamp = job.finished_at.strftime("%Y-%m-%d") if job.finished_at else "document"
    names = {
        DocumentJob.Kind.CPD_RECORD: (
            f"cpd-record-{job.params.get('start', '')}-to-{job.params.get('end', '')}.pdf"
        ),
        DocumentJob.Kind.CERTIFICATE: f"imhcf-certificate-{stamp}.pdf",
        DocumentJob.Kind.DATA_EXPORT: f"imhcf-my-data-{stamp}.zip",
    }
    extension, content_type = output_for(job.kind)
    return private_file_response(
        job.file,
        filename=names.get(job.kind, f"document-{stamp}.{extension}"),
        content_type=content_type,
    )
