"""A background document's progress page, its live status fragment, and retry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from evidence import services
from evidence.access import get_document_for_user
from evidence.errors import EvidenceError


@require_safe
@login_required
def document_detail(request, pk: int):
    job = get_document_for_user(request.user, pk)
    return render(request, "evidence/document_detail.html", {"job": job})


@require_safe
@login_required
def document_status(request, pk: int):
    """The fragment htmx polls; it stops polling itself once the job is settled."""
    job = get_document_for_user(request.user, pk)
    return render(request, "evidence/_document_status.html", {"job": job})


@require_POST
@login_required
def document_retry(request, pk: int):
    job = get_document_for_user(request.user, pk)
    try:
        services.document_retry(job=job)
    except EvidenceError as exc:
        messages.error(request, str(exc))
    return redirect("evidence:document_detail", pk=job.pk)
