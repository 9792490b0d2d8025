"""The reviewers' and moderators' side: claim, review, recommend, decide."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_admin, is_reviewer
from register.errors import RegisterError
from register.models import (
    Appeal,
    Application,
    DossierStatement,
    ReviewAssignment,
    StatementReview,
)
from register.services.entries import entry_create_for
from register.services.notifications import notify_owner, notify_staff
from register.transitions import application_move
from selfassess.selectors.assessments import profile_for

Rec = ReviewAssignment.Recommendation
OUTCOME_STATUS = {
    Rec.APPROVE: Application.Status.APPROVED,
    Rec.REJECT: Application.Status.REJECTED,
    Rec.CHANGES: Application.Status.CHANGES_REQUESTED,
}


def same_organisation(a: str, b: str) -> bool:
    def norm(value: str) -> str:
        return " ".join(value.casefold().split())

    return bool(a.strip()) and norm(a) == norm(b)


def conflict_reason(application: Application, reviewer) -> str | None:
    """Why ``reviewer`` may not review ``application``, or None."""
    if application.applicant_id == reviewer.pk:
        return _("You cannot review your own application.")
    profile = profile_for(reviewer)
    if profile and same_organisation(profile.organisation, application.organisation):
        return _("You cannot review an application from your own organisation.")
    if ReviewAssignment.objects.filter(
        application=application,
        reviewer=reviewer,
        release_reason=ReviewAssignment.ReleaseReason.CONFLICT,
    ).exists():
        return _("You declared a conflict of interest with this application.")
    return None


def application_claim(*, application: Application, reviewer) -> ReviewAssignment:
    if not is_reviewer(reviewer):
        raise RegisterError(_("Only reviewers can claim applications."))

    def effect(app: Application, _entry) -> str:
        reason = conflict_reason(app, reviewer)
        if reason:
            raise RegisterError(reason)
        active = ReviewAssignment.objects.filter(application=app, released_at__isnull=True)
        if active.filter(reviewer=reviewer).exists():
            raise RegisterError(_("You have already claimed this application."))
        if active.count() >= settings.IMHCF_REVIEWERS_PER_APPLICATION:
            raise RegisterError(_("This application already has its reviewers."))
        now = timezone.now()
        ReviewAssignment.objects.create(
            application=app,
            reviewer=reviewer,
            claimed_at=now,
            last_activity_at=now,
            round=app.round,
        )
        app.status = Application.Status.IN_REVIEW
        app.save(update_fields=["status", "updated_at"])
        return app.status

    application_move(application.pk, "claim", effect, actor=reviewer)
    return ReviewAssignment.objects.get(
        application=application, reviewer=reviewer, released_at__isnull=True
    )


def assignment_release(
    *, assignment: ReviewAssignment, actor, reason: str, note: str = ""
) -> Application:
    """Give an application back: voluntarily, for a conflict, or because the claim went stale."""
    if reason not in ReviewAssignment.ReleaseReason.values:
        raise RegisterError(_("Unknown reason for releasing a claim."))
    if reason == ReviewAssignment.ReleaseReason.CONFLICT and not note.strip():
        raise RegisterError(_("Say briefly what the conflict of interest is."))

    def effect(app: Application, _entry) -> str:
        current = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        if current.released_at is not None:
            raise RegisterError(_("This claim has already been released."))
        current.released_at = timezone.now()
        current.release_reason = reason
        current.conflict_note = note.strip()[:500]
        current.save(update_fields=["released_at", "release_reason", "conflict_note"])
        still_active = ReviewAssignment.objects.filter(application=app, released_at__isnull=True)
        if app.status == Application.Status.IN_REVIEW and not still_active.exists():
            app.status = Application.Status.SUBMITTED
            app.save(update_fields=["status", "updated_at"])
        return app.status

    return application_move(
        assignment.application_id,
        "release",
        effect,
        actor=actor,
        reason=f"{reason}: {note}".strip(": "),
    )


def _lock_open_assignment(assignment: ReviewAssignment) -> ReviewAssignment:
    """The assignment, row-locked, provided its reviewer may still record verdicts."""
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    application = assignment.application
    if assignment.released_at is not None or application.status != Application.Status.IN_REVIEW:
        raise RegisterError(_("This application is not open for your review."))
    if assignment.recommendation:
        raise RegisterError(_("You have already made your recommendation for this round."))
    return assignment


@transaction.atomic
def statement_review_save(
    *,
    assignment: ReviewAssignment,
    dossier_statement: DossierStatement,
    met: bool | None,
    comment: str,
) -> StatementReview:
    """One reviewer's verdict on one statement. Not a change of state, so no audit row."""
    assignment = _lock_open_assignment(assignment)
    application = assignment.application
    if (
        dossier_statement.application_id != application.pk
        or dossier_statement.round != application.round
    ):
        raise RegisterError(_("That statement is not part of this round of the application."))
    review, _created = StatementReview.objects.update_or_create(
        assignment=assignment,
        dossier_statement=dossier_statement,
        defaults={"met": met, "comment": comment.strip()[:2000]},
    )
    assignment.last_activity_at = timezone.now()
    assignment.save(update_fields=["last_activity_at"])
    return review


@transaction.atomic
def statement_reviews_met_remaining(*, assignment: ReviewAssignment, domain_number: int) -> int:
    """Record "met" for each statement of one domain that has no verdict from this reviewer yet.

    The reviewer has confirmed they read them all. One verdict row per
    statement, exactly as if each had been chosen on its own; statements
    already judged (met or not) keep their verdict and comment. Returns how
    many were recorded.
    """
    assignment = _lock_open_assignment(assignment)
    application = assignment.application
    judged = StatementReview.objects.filter(assignment=assignment, met__isnull=False).values(
        "dossier_statement_id"
    )
    remaining = list(
        DossierStatement.objects.filter(
            application=application, round=application.round, domain_number=domain_number
        )
        .exclude(pk__in=judged)
        .values_list("pk", flat=True)
    )
    # A row with no verdict yet (met is null) may exist, with a comment: keep it.
    undecided = StatementReview.objects.filter(
        assignment=assignment, dossier_statement_id__in=remaining
    )
    existing = set(undecided.values_list("dossier_statement_id", flat=True))
    undecided.update(met=True, updated_at=timezone.now())
    StatementReview.objects.bulk_create(
        StatementReview(assignment=assignment, dossier_statement_id=pk, met=True)
        for pk in remaining
        if pk not in existing
    )
    assignment.last_activity_at = timezone.now()
    assignment.save(update_fields=["last_activity_at"])
    return len(remaining)


def application_recommend(
    *, assignment: ReviewAssignment, recommendation: str, reasons: str
) -> Application:
    """Record a reviewer's recommendation; with all reviewers in, decide or go to moderation."""
    if recommendation not in Rec.values:
        raise RegisterError(_("Choose approve, request changes or reject."))
    reasons = reasons.strip()
    if recommendation != Rec.APPROVE and not reasons:
        raise RegisterError(_("Give your reasons when you do not recommend approval."))

    def effect(app: Application, _entry) -> str:
        current = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        if current.released_at is not None:
            raise RegisterError(_("Your claim on this application has been released."))
        if current.recommendation:
            raise RegisterError(_("You have already made your recommendation for this round."))
        statements = DossierStatement.objects.filter(application=app, round=app.round)
        reviews = {
            r.dossier_statement_id: r
            for r in StatementReview.objects.filter(
                assignment=current, dossier_statement__in=statements
            )
        }
        unreviewed = [
            s.key for s in statements if reviews.get(s.pk) is None or reviews[s.pk].met is None
        ]
        if unreviewed:
            raise RegisterError(
                _("Record met or not met for every statement first (%(count)d left).")
                % {"count": len(unreviewed)}
            )
        now = timezone.now()
        current.recommendation = recommendation
        current.recommendation_reasons = reasons
        current.recommended_at = now
        current.last_activity_at = now
        current.save()

        active = list(ReviewAssignment.objects.filter(application=app, released_at__isnull=True))
        made = [a.recommendation for a in active if a.recommendation]
        if len(made) < settings.IMHCF_REVIEWERS_PER_APPLICATION:
            return app.status
        if len(set(made)) == 1:
            return _decide(app, made[0], actor=None, reasons=_joined_reasons(active))
        app.status = Application.Status.MODERATION
        app.save(update_fields=["status", "updated_at"])
        notify_staff(
            template="moderation_staff",
            dedupe_key=f"moderation:{app.pk}:{app.round}",
            exclude=[app.applicant_id],
            application=app,
        )
        return app.status

    return application_move(
        assignment.application_id,
        "recommend",
        effect,
        actor=assignment.reviewer,
        reason=f"{recommendation}: {reasons}".strip(": "),
    )


def _joined_reasons(assignments: list[ReviewAssignment]) -> str:
    return "\n\n".join(a.recommendation_reasons for a in assignments if a.recommendation_reasons)


def _decide(app: Application, outcome: str, *, actor, reasons: str) -> str:
    """Apply a decision inside a transition: status, register entry, message."""
    app.status = OUTCOME_STATUS[outcome]
    app.decided_at = timezone.now()
    app.decided_by = actor
    app.decision_reasons = reasons
    app.save(update_fields=["status", "decided_at", "decided_by", "decision_reasons", "updated_at"])
    if app.status == Application.Status.APPROVED:
        entry = entry_create_for(app)
        template, extra = "approved", {"entry": entry}
    elif app.status == Application.Status.REJECTED:
        template, extra = "rejected", {}
    else:
        template, extra = "changes_requested", {}
    notify_owner(
        app,
        template=template,
        dedupe_key=f"decision:{app.pk}:{app.round}:{app.status}",
        reasons=reasons,
        **extra,
    )
    return app.status


def application_moderate(
    *, application: Application, moderator, outcome: str, reasons: str
) -> Application:
    """An admin decides when the reviewers disagree."""
    if not is_admin(moderator):
        raise RegisterError(_("Only an administrator can moderate."))
    if outcome not in Rec.values:
        raise RegisterError(_("Choose approve, request changes or reject."))
    if not reasons.strip():
        raise RegisterError(_("Give the reasons for the decision."))

    def effect(app: Application, _entry) -> str:
        if app.status != Application.Status.MODERATION:
            raise RegisterError(_("Only applications where the reviewers disagree are moderated."))
        return _decide(app, outcome, actor=moderator, reasons=reasons.strip())

    return application_move(application.pk, "decide", effect, actor=moderator, reason=reasons)


def appeal_conflict(application: Application, admin) -> str | None:
    """Why ``admin`` may not hear the appeal, or None.

    Whoever took part in the decision under appeal is out: its reviewers, and
    the moderator who decided it when the reviewers disagreed.
    """
    if application.decided_by_id == admin.pk:
        return _("You made the decision under appeal, so someone else must hear the appeal.")
    if ReviewAssignment.objects.filter(application=application, reviewer=admin).exists():
        return _("You reviewed this application, so someone else must hear the appeal.")
    return None


def appeal_decide(*, application: Application, admin, upheld: bool, reasons: str) -> Application:
    """Someone who took no part in the decision under appeal hears it."""
    if not is_admin(admin):
        raise RegisterError(_("Only an administrator can decide an appeal."))
    if not reasons.strip():
        raise RegisterError(_("Give the reasons for the appeal decision."))

    def effect(app: Application, _entry) -> str:
        reason = appeal_conflict(app, admin)
        if reason:
            raise RegisterError(reason)
        appeal = Appeal.objects.select_for_update().get(application=app)
        appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.DISMISSED
        appeal.decided_by = admin
        appeal.decided_at = timezone.now()
        appeal.decision_reasons = reasons.strip()
        appeal.save()
        if upheld:
            return _decide(app, Rec.APPROVE, actor=admin, reasons=reasons.strip())
        app.status = Application.Status.REJECTED
        app.save(update_fields=["status", "updated_at"])
        notify_owner(
            app,
            template="appeal_dismissed",
            dedupe_key=f"appeal-decided:{app.pk}",
            reasons=reasons.strip(),
        )
        return app.status

    return application_move(application.pk, "appeal_decide", effect, actor=admin, reason=reasons)


def stale_claims_release() -> int:
    """Release claims nobody has worked on for the set number of days."""
    cutoff = timezone.now() - timedelta(days=settings.IMHCF_CLAIM_STALE_DAYS)
    released = 0
    for assignment in ReviewAssignment.objects.filter(
        released_at__isnull=True,
        recommendation="",
        last_activity_at__lt=cutoff,
        application__status=Application.Status.IN_REVIEW,
    ):
        try:
            assignment_release(
                assignment=assignment, actor=None, reason=ReviewAssignment.ReleaseReason.STALE
            )
        except RegisterError:
            continue
        released += 1
    return released
