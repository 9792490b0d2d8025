"""The reviewers' pages: the queue, a claimed application's review, renewals to judge.

Everything here sits under /review/, where the middleware already insists on
MFA. Access goes through ``register.access`` (and ``selectors`` for renewals):
a reviewer without an active claim gets 404 for the application, as does
anyone who is not a reviewer.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import is_reviewer
from imhcf.http import form_page
from register import access, states
from register.errors import RegisterError
from register.forms_review import (
    RecommendationForm,
    ReleaseForm,
    RenewalDecisionForm,
    StatementReviewForm,
)
from register.models import Application, DossierStatement, Renewal, ReviewAssignment
from register.selectors import queue as queue_selectors
from register.selectors import references as reference_selectors
from register.selectors import review as review_selectors
from register.services import renewals, reviewing
from register.views.actions import refusal_shown
from selfassess.models import region_label


def _statement_anchor(statement: DossierStatement) -> str:
    return f"st-{statement.pk}"


# --- The queue ---------------------------------------------------------------------------


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    if not is_reviewer(request.user):
        raise Http404
    return render(
        request,
        "register/review/queue.html",
        {
            "queue": queue_selectors.review_queue(request.user, request.GET.get("page")),
            "reviewers_needed": settings.IMHCF_REVIEWERS_PER_APPLICATION,
            "required_hours": settings.IMHCF_RENEWAL_CPD_HOURS,
        },
    )


@login_required
@require_POST
def review_claim(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_reviewer_queue(request.user, pk)
    claimed = _(
        "You have claimed application %(number)s. Nobody else sees your verdicts "
        "until you have both recommended."
    ) % {"number": application.pk}
    with refusal_shown(request, success=claimed) as attempt:
        reviewing.application_claim(application=application, reviewer=request.user)
    if not attempt.ok:
        return redirect("register:review_queue")
    return redirect("register:review_detail", pk=application.pk)


# --- The review page ---------------------------------------------------------------------


def _can_review(assignment: ReviewAssignment) -> bool:
    """Whether the reviewer may still record verdicts and recommend."""
    return (
        assignment.application.status == Application.Status.IN_REVIEW
        and not assignment.recommendation
    )


def _render_review(
    request: HttpRequest,
    assignment: ReviewAssignment,
    *,
    statement_form: StatementReviewForm | None = None,
    bound_statement_id: int | None = None,
    recommend_form: RecommendationForm | None = None,
    release_form: ReleaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    dossier = review_selectors.review_dossier(assignment)
    application = assignment.application
    if statement_form is not None:
        row = dossier.row_for(bound_statement_id)
        if row is not None:
            row.bound = statement_form
    can_review = _can_review(assignment)
    return render(
        request,
        "register/review/detail.html",
        {
            "assignment": assignment,
            "application": application,
            "dossier": dossier,
            "can_review": can_review,
            "can_release": application.status in states.ONGOING,
            "statement_form": statement_form,
            "recommend_form": recommend_form or RecommendationForm(),
            "release_form": release_form or ReleaseForm(),
            "region_label": region_label(application.region),
            "references": list(reference_selectors.for_review(application)),
            # The page already knows every verdict: no query for this one.
            "next_unreviewed": dossier.unreviewed[0].statement.pk if dossier.unreviewed else None,
        },
        status=status,
    )


@login_required
@require_safe
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.get_assignment_for_reviewer(request.user, pk)
    if not access.dossier_open_to_reviewers(assignment.application):
        # Decided or withdrawn: the outcome, not the practitioner's evidence.
        return render(request, "register/review/closed.html", {"assignment": assignment})
    return _render_review(request, assignment)


@login_required
@require_POST
def review_statement_save(request: HttpRequest, pk: int, statement_pk: int) -> HttpResponse:
    assignment = access.get_assignment_for_reviewer(request.user, pk)
    statement = access.get_dossier_statement(assignment, statement_pk)
    form = StatementReviewForm(request.POST, prefix=f"s{statement.pk}")
    htmx = bool(request.htmx)
    error = None
    if form.is_valid():
        try:
            review = reviewing.statement_review_save(
                assignment=assignment,
                dossier_statement=statement,
                met=form.met_value,
                comment=form.cleaned_data["comment"],
            )
        except RegisterError as exc:
            error = str(exc)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)

    if error is not None:
        if htmx:
            # What the reviewer typed stays in the page; only the message changes.
            return render(
                request,
                "register/review/_statement_refused.html",
                {"statement": statement, "message": error},
            )
        if form.is_valid():
            messages.error(request, error)
            return redirect(
                f"{reverse('register:review_detail', args=[pk])}#{_statement_anchor(statement)}"
            )
        return _render_review(
            request,
            assignment,
            statement_form=form,
            bound_statement_id=statement.pk,
            status=400,
        )

    verdict = _("met") if review.met else _("not met")
    announcement = _("Saved %(key)s: %(verdict)s, at %(time)s.") % {
        "key": statement.key,
        "verdict": verdict,
        "time": time_format(timezone.localtime(), "H:i:s"),
    }
    if not htmx:
        messages.success(request, announcement)
        return redirect(
            f"{reverse('register:review_detail', args=[pk])}#{_statement_anchor(statement)}"
        )
    reviewed, total = review_selectors.review_progress(assignment)
    return render(
        request,
        "register/review/_statement_saved.html",
        {
            "statement": statement,
            "review": review,
            "announcement": announcement,
            "reviewed": reviewed,
            "total": total,
            "next_unreviewed": review_selectors.next_unreviewed(assignment, after=statement),
        },
    )


@login_required
@require_POST
def review_domain_met(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Confirmed: every statement of domain ``number`` without a verdict yet is met."""
    assignment = access.get_assignment_for_reviewer(request.user, pk)
    with refusal_shown(request) as attempt:
        recorded = reviewing.statement_reviews_met_remaining(
            assignment=assignment, domain_number=number
        )
    if not attempt.ok:
        return redirect("register:review_detail", pk=pk)
    messages.success(
        request,
        ngettext(
            "Recorded met for %(n)d statement in domain %(domain)d.",
            "Recorded met for %(n)d statements in domain %(domain)d.",
            recorded,
        )
        % {"n": recorded, "domain": number},
    )
    # On to whatever still has no verdict, or to the recommendation.
    following = review_selectors.next_unreviewed(assignment)
    anchor = f"st-{following}" if following else "recommend"
    return redirect(f"{reverse('register:review_detail', args=[pk])}#{anchor}")


@login_required
@require_POST
def review_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.get_assignment_for_reviewer(request.user, pk)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            application = reviewing.application_recommend(
                assignment=assignment,
                recommendation=form.cleaned_data["recommendation"],
                reasons=form.cleaned_data["reasons"],
            )
        except RegisterError as exc:
            assignment = access.get_assignment_for_reviewer(request.user, pk)
            if not _can_review(assignment):
                # The application moved on (or a double click already recommended):
                # the form is gone from the page, so say why on the page as it now is.
                messages.error(request, str(exc))
                return redirect("register:review_detail", pk=pk)
            form.add_error(None, str(exc))
        else:
            messages.success(request, _recommended_message(application))
            return redirect("register:review_detail", pk=pk)
    return _render_review(request, assignment, recommend_form=form, status=400)


def _recommended_message(application: Application) -> str:
    if application.status == Application.Status.IN_REVIEW:
        return _("Your recommendation is recorded. The decision waits for the other reviewer.")
    if application.status == Application.Status.MODERATION:
        return _(
            "Your recommendation is recorded. The reviewers disagree, "
            "so an administrator will decide."
        )
    return _(
        "Your recommendation is recorded and the reviewers agree: "
        "the application is now “%(status)s”."
    ) % {"status": application.get_status_display()}


@login_required
@require_POST
def review_release(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.get_assignment_for_reviewer(request.user, pk)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        given_back = _(
            "You have given application %(number)s back. It no longer appears in your reviews."
        ) % {"number": pk}
        # A refusal is because of the application's state, not what was typed: a message.
        with refusal_shown(request, success=given_back) as attempt:
            reviewing.assignment_release(
                assignment=assignment,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        if not attempt.ok:
            return redirect("register:review_detail", pk=pk)
        return redirect("register:review_queue")
    return _render_review(request, assignment, release_form=form, status=400)


# --- Renewals needing judgement --------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def renewal_review(request: HttpRequest, pk: int) -> HttpResponse:
    renewal = access.get_renewal_for_reviewer(request.user, pk)
    form = RenewalDecisionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: renewals.renewal_decide(
            renewal=renewal, reviewer=request.user, approve=form.approve, reasons=data["reasons"]
        ),
        refusal=RegisterError,
        then=lambda _renewal: redirect("register:review_queue"),
        done=_renewal_decided_message,
        template="register/review/renewal.html",
        context=lambda: {
            "renewal": renewal,
            "entry": renewal.entry,
            "region_label": region_label(renewal.entry.region),
            "required_hours": settings.IMHCF_RENEWAL_CPD_HOURS,
            "required_equality": settings.IMHCF_RENEWAL_EQUALITY_HOURS,
            "open": renewal.status == Renewal.Status.NEEDS_JUDGEMENT,
        },
    )


def _renewal_decided_message(renewal: Renewal) -> str:
    if renewal.status == Renewal.Status.APPROVED:
        return _("The renewal is approved: the entry is extended by a year.")
    return _("The renewal is refused. The practitioner has been told why.")
