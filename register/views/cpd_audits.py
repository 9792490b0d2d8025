"""The CPD audit at renewal: the practitioner's page, and the reviewer's.

The practitioner's page is theirs alone (others get 404). The reviewer's pages
sit under /review/, where the middleware insists on MFA; a reviewer sees any
audit but their own, and only the one who took it reads its files and decides.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from evidence.models import DocumentJob
from evidence.selectors import cpd_summary
from evidence.views.downloads import private_file_response
from imhcf.http import form_rendered
from register import access
from register.forms_audits import CpdAuditDecisionForm, CpdAuditSubmitForm
from register.models import CpdAudit
from register.services import cpd_audits
from register.views.actions import refusal_shown

CA = CpdAudit.Status


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cpd_audit(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_cpd_audit_for_practitioner(request.user, pk)
    form = CpdAuditSubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sent = _("Your CPD record is sent. A reviewer will check it and we will email you.")
        with refusal_shown(request, form, success=sent) as attempt:
            cpd_audits.cpd_audit_submit(
                audit=audit, practitioner=request.user, statement=form.cleaned_data["statement"]
            )
        if attempt.ok:
            return redirect("register:cpd_audit", pk=audit.pk)
    renewal = audit.renewal
    waiting = audit.status == CA.REQUESTED
    return form_rendered(
        request,
        "register/practitioner/cpd_audit.html",
        {
            "audit": audit,
            "renewal": renewal,
            "entry": renewal.entry,
            "form": form,
            "waiting": waiting,
            # Before sending, the live log they are about to send; after, what they sent.
            "summary": (
                cpd_summary(request.user, renewal.period_start, renewal.period_end)
                if waiting
                else None
            ),
            "overdue": cpd_audits.overdue(audit),
        },
    )


def _render_review(request, audit, form=None, *, status=200):
    renewal = audit.renewal
    mine = audit.reviewer_id == request.user.pk
    return render(
        request,
        "register/review/cpd_audit.html",
        {
            "audit": audit,
            "renewal": renewal,
            "entry": renewal.entry,
            "form": form or CpdAuditDecisionForm(),
            "mine": mine,
            "can_claim": audit.reviewer_id is None
            and (audit.status == CA.SUBMITTED or cpd_audits.overdue(audit)),
            "can_decide": mine and (audit.status == CA.SUBMITTED or cpd_audits.overdue(audit)),
            # Files open only to the reviewer who took the audit, while it is undecided.
            "files_open": mine and audit.status == CA.SUBMITTED,
            "overdue": cpd_audits.overdue(audit),
        },
        status=status,
    )


@login_required
@require_safe
def cpd_audit_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_review(request, access.get_cpd_audit_for_reviewer(request.user, pk))


@login_required
@require_POST
def cpd_audit_claim(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_cpd_audit_for_reviewer(request.user, pk)
    with refusal_shown(request, success=_("You have taken this audit.")):
        cpd_audits.cpd_audit_claim(audit=audit, reviewer=request.user)
    return redirect("register:cpd_audit_review", pk=audit.pk)


@login_required
@require_POST
def cpd_audit_decide(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_cpd_audit_for_reviewer(request.user, pk)
    form = CpdAuditDecisionForm(request.POST)
    if form.is_valid():
        done = (
            _("The audit is passed and the renewal approved.")
            if form.passed
            else _("The audit is not passed and the renewal refused. The practitioner is told why.")
        )
        with refusal_shown(request, form, success=done) as attempt:
            cpd_audits.cpd_audit_decide(
                audit=audit,
                reviewer=request.user,
                passed=form.passed,
                reasons=form.cleaned_data["reasons"],
            )
        if attempt.ok:
            return redirect("register:cpd_audit_review", pk=audit.pk)
    audit.refresh_from_db()
    return _render_review(request, audit, form, status=400)


@login_required
@require_safe
def cpd_audit_record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The CPD record PDF the practitioner sent, for the reviewer who took the audit."""
    audit = access.get_cpd_audit_for_reviewer(request.user, pk)
    job = audit.record_document
    if (
        audit.reviewer_id != request.user.pk
        or job is None
        or job.status != DocumentJob.Status.DONE
        or not job.file
    ):
        raise Http404
    return private_file_response(
        job.file,
        filename=f"cpd-record-audit-{audit.pk}.pdf",
        content_type="application/pdf",
    )
