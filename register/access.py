"""One access helper per resource. Anyone who may not know an object exists gets 404."""

from django.http import Http404

from accounts.roles import is_admin, is_reviewer
from evidence.access import register_file_reader
from imhcf.access import get_or_404, pk_or_404
from register import states
from register.models import (
    Application,
    Concern,
    CpdAudit,
    CpdAuditFile,
    DossierFile,
    DossierStatement,
    Reference,
    RegisterEntry,
    Renewal,
    ReviewAssignment,
)


def get_application_for_applicant(user, pk) -> Application:
    return get_or_404(Application.objects, pk, applicant_id=user.pk)


def dossier_open_to_reviewers(application: Application) -> bool:
    return application.status in states.REVIEWABLE


def get_assignment_for_reviewer(user, application_pk) -> ReviewAssignment:
    """The reviewer's active claim on an application; 404 for anyone without one.

    The claim outlives the decision (the reviewer may see the outcome), but the
    review page shows the dossier only while ``dossier_open_to_reviewers``.
    """
    if not is_reviewer(user):
        raise Http404
    assignment = (
        ReviewAssignment.objects.select_related("application__version")
        .filter(application_id=pk_or_404(application_pk), reviewer=user, released_at__isnull=True)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def get_application_for_reviewer_queue(user, pk) -> Application:
    """An application a reviewer may see in the queue (to claim or declare a conflict)."""
    if not is_reviewer(user):
        raise Http404
    return get_or_404(
        Application.objects.exclude(applicant=user),
        pk,
        status__in=states.WAITING,
    )


def require_admin(user) -> None:
    """Staff pages are not there for anyone else: 404, as for an object they may not see."""
    if not is_admin(user):
        raise Http404


def get_application_for_admin(user, pk) -> Application:
    require_admin(user)
    return get_or_404(Application.objects, pk)


def get_entry_for_practitioner(user, pk) -> RegisterEntry:
    return get_or_404(RegisterEntry.objects, pk, practitioner_id=user.pk)


def get_entry_for_admin(user, pk) -> RegisterEntry:
    require_admin(user)
    return get_or_404(RegisterEntry.objects, pk)


def get_renewal_for_reviewer(user, pk) -> Renewal:
    """A renewal a reviewer (or admin) may judge: anyone's but their own; 404 otherwise."""
    if not (is_reviewer(user) or is_admin(user)):
        raise Http404
    return get_or_404(
        Renewal.objects.select_related("entry", "decided_by").exclude(entry__practitioner=user), pk
    )


@register_file_reader
def assigned_reviewer_may_read(user, evidence_file) -> bool:
    """Reviewers with an active claim on an undecided application whose dossier holds this file."""
    if not is_reviewer(user):
        return False
    return DossierFile.objects.filter(
        evidence_file=evidence_file,
        evidence__application__status__in=states.FILE_READABLE,
        evidence__application__assignments__reviewer=user,
        evidence__application__assignments__released_at__isnull=True,
    ).exists()


def get_reference_for_applicant(user, application_pk, pk) -> Reference:
    """One of the applicant's own references (its status, not its content)."""
    return get_or_404(
        Reference.objects.select_related("application"),
        pk,
        application_id=pk_or_404(application_pk),
        application__applicant_id=user.pk,
    )


def get_reference_for_admin(user, application_pk, pk) -> Reference:
    if not is_admin(user):
        raise Http404
    return get_or_404(
        Reference.objects.select_related("application"),
        pk,
        application_id=pk_or_404(application_pk),
    )


def get_concern_for_admin(user, pk) -> Concern:
    if not is_admin(user):
        raise Http404
    return get_or_404(
        Concern.objects.select_related(
            "entry", "handler", "triaged_by", "decided_by", "appeal_decided_by"
        ),
        pk,
    )


def get_concern_for_registrant(user, pk) -> Concern:
    """A concern about the user, once they have been told of it; 404 otherwise."""
    return get_or_404(
        Concern.objects.select_related("entry"),
        pk,
        entry__practitioner_id=user.pk,
        response_invited_at__isnull=False,
    )


def get_dossier_statement(assignment: ReviewAssignment, pk) -> DossierStatement:
    """A statement of the current round of the reviewer's claimed application; 404 otherwise."""
    application = assignment.application
    return get_or_404(
        DossierStatement.objects, pk, application=application, round=application.round
    )


def get_cpd_audit_for_practitioner(user, pk) -> CpdAudit:
    """The practitioner's own audit; 404 for anyone else."""
    return get_or_404(
        CpdAudit.objects.select_related("renewal__entry"),
        pk,
        renewal__entry__practitioner_id=user.pk,
    )


def get_cpd_audit_for_reviewer(user, pk) -> CpdAudit:
    """An audit a reviewer (or admin) may check: anyone's but their own; 404 otherwise."""
    if not (is_reviewer(user) or is_admin(user)):
        raise Http404
    return get_or_404(
        CpdAudit.objects.select_related("renewal__entry", "reviewer").exclude(
            renewal__entry__practitioner=user
        ),
        pk,
    )


@register_file_reader
def audit_reviewer_may_read(user, evidence_file) -> bool:
    """The reviewer who took an undecided CPD audit may read the files sent with it."""
    return CpdAuditFile.objects.filter(
        evidence_file=evidence_file,
        audit__reviewer=user,
        audit__status=CpdAudit.Status.SUBMITTED,
    ).exists()
