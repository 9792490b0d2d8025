"""Reads of references, one function per audience.

The applicant sees who their referees are and where each stands, never what
they wrote: ``for_applicant`` loads only those fields. Reviewers and staff
read the answers.
"""

from __future__ import annotations

from django.db.models import QuerySet

from register.models import Application, Reference
from register.services.references import replaceable

R = Reference.Status
# Everything but what the referee wrote.
STATUS_FIELDS = ("id", "application_id", "kind", "name", "status", "requested_at", "responded_at")


def for_applicant(application: Application) -> list[Reference]:
    """The application's references (replaced ones last), with ``can_replace``; one query."""
    references = list(
        Reference.objects.filter(application=application)
        .only(*STATUS_FIELDS)
        .order_by("requested_at", "id")
    )
    open_for_replacing = application.status == Application.Status.AWAITING_REFERENCES
    for reference in references:
        reference.can_replace = open_for_replacing and replaceable(reference)
    references.sort(key=lambda r: r.status == R.REPLACED)
    return references


def for_review(application: Application) -> QuerySet[Reference]:
    """What reviewers read beside the dossier: each reference received, and each waived."""
    return Reference.objects.filter(application=application, status__in=[R.RECEIVED, R.WAIVED])


def for_staff(application: Application) -> list[Reference]:
    return list(Reference.objects.filter(application=application).order_by("requested_at", "id"))
