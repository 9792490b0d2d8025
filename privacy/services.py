"""Data rights: a copy of everything held about a person, and closing their account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_admin
from evidence.models import DocumentJob
from evidence.services import document_request
from privacy.errors import PrivacyError
from privacy.models import DataRequest


def data_request_check(*, subject, requested_by, channel: str, reference: str) -> None:
    """Refuse a request unless the person asks, or an administrator for them; a request
    received by post must name its letter."""
    if requested_by.pk != subject.pk and not is_admin(requested_by):
        raise PrivacyError(_("Only the person, or an administrator for them, can ask for this."))
    if channel == DataRequest.Channel.POST and not reference.strip():
        raise PrivacyError(_("Give the letter's date or reference, so the request can be traced."))


def data_request_create(*, kind: str, due_at=None, **asked) -> DataRequest:
    """Record a request as it was asked (what ``data_request_check`` checked)."""
    return DataRequest.objects.create(kind=kind, due_at=due_at, **asked)


@transaction.atomic
def export_request(
    *, subject, requested_by, channel: str = DataRequest.Channel.ONLINE, reference: str = ""
) -> DataRequest:
    """Ask for a subject access export of ``subject``; a worker builds the ZIP after commit.

    The person asks for their own; staff ask on someone's behalf for a request
    received by post, and the request row records who entered it.
    """
    asked = {"subject": subject, "requested_by": requested_by, "channel": channel}
    asked["reference"] = reference.strip()
    data_request_check(**asked)
    # Each request gets its own job: the params name the request, so two requests
    # (the person's and a postal one) never share a ZIP.
    data_request = data_request_create(kind=DataRequest.Kind.EXPORT, **asked)
    job = document_request(
        owner=subject, kind=DocumentJob.Kind.DATA_EXPORT, params={"request": data_request.pk}
    )
    data_request.document = job
    data_request.save(update_fields=["document"])
    return data_request


def export_subject_for_staff(*, email: str):
    """The account a postal request names, found by its email address."""
    subject = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if subject is None:
        raise PrivacyError(_("No account has that email address."))
    return subject


@transaction.atomic
def export_handed_over(*, data_request: DataRequest, staff) -> DataRequest:
    """Record that a member of staff took the ZIP to send to the person."""
    locked = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    job = locked.document
    if job is None or job.status != DocumentJob.Status.DONE or not job.file:
        raise PrivacyError(_("The export is not ready yet."))
    locked.downloaded_by = staff
    locked.downloaded_at = timezone.now()
    if locked.status == DataRequest.Status.PENDING:
        locked.status = DataRequest.Status.DONE
        locked.completed_at = locked.downloaded_at
    locked.save()
    return locked
