"""The practitioner's side: submit, withdraw, resubmit after changes, appeal."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Consent
from accounts.services import consent_give
from register.errors import RegisterError
from register.models import Appeal, Application, RegisterEntry, ReviewAssignment
from register.readiness import application_readiness
from register.services import references
from register.services.dossier import dossier_freeze
from register.services.notifications import notify, notify_application_waiting, notify_staff
from register.transitions import application_move, transition
from selfassess.selectors.assessments import profile_for

# What an applicant agrees to for publication: the form shows these words and the
# consent record (accounts.Consent) keeps them, with the fields published as its terms.
PUBLICATION_CONSENT_WORDING = (
    gettext_lazy("I agree to my recognition being published on the register"),
    gettext_lazy(
        "If you are recognised, the public register shows your name, registration number, "
        "level, region, status and valid-until date. Nothing else about you is published."
    ),
)
PUBLICATION_CONSENT_TERMS = {
    "published": ["name", "registration_number", "level", "region", "status", "valid_until"]
}

DECLARATIONS = (
    "declared_accuracy",
    "declared_conduct",
    "consented_review",
    "consented_publication",
)


def _check_ready(user, level: int):
    readiness = application_readiness(user, level)
    if not readiness.ready:
        missing = [task.title for task in readiness.tasks if not task.done]
        raise RegisterError(
            _("The application is not ready yet: %(missing)s.") % {"missing": "; ".join(missing)}
        )
    return readiness


def application_submit(
    *,
    applicant,
    level: int,
    declarations: dict[str, bool],
    referees: list[references.Referee] | None = None,
) -> Application:
    """Freeze the dossier and submit. A second submit while one is open is refused.

    With referees required (``IMHCF_REFEREE_KINDS``) the application waits for
    their references before it joins the review queue.
    """
    if level not in (1, 2, 3):
        raise RegisterError(_("Choose Level 1, 2 or 3."))
    if not all(declarations.get(name) for name in DECLARATIONS):
        raise RegisterError(_("Tick every declaration to submit your application."))
    needs_references = bool(references.referee_kinds())
    if needs_references and not referees:
        raise RegisterError(_("Name your referees to submit your application."))

    def effect(_application, _entry) -> str:
        if Application.objects.filter(
            applicant=applicant, status__in=Application.OPEN_STATUSES
        ).exists():
            raise RegisterError(
                _(
                    "You already have an application in progress. You can apply again "
                    "once it is decided or withdrawn."
                )
            )
        if RegisterEntry.objects.filter(
            practitioner=applicant,
            status=RegisterEntry.Status.REMOVED,
            readmission_allowed=False,
        ).exists():
            raise RegisterError(
                _(
                    "You were removed from the register, so you can apply again only once "
                    "AIMH UK staff have decided that you may. Contact AIMH UK to ask."
                )
            )
        readiness = _check_ready(applicant, level)
        profile = profile_for(applicant)
        status = (
            Application.Status.AWAITING_REFERENCES
            if needs_references
            else Application.Status.SUBMITTED
        )
        application = Application.objects.create(
            applicant=applicant,
            level=level,
            version=readiness.version,
            status=status,
            applicant_name=applicant.full_name,
            organisation=profile.organisation,
            region=profile.region,
            submitted_at=timezone.now(),
            **{name: True for name in DECLARATIONS},
        )
        dossier_freeze(application=application, readiness=readiness, round_number=1)
        consent_give(
            user=applicant,
            purpose=Consent.Purpose.REGISTER_PUBLICATION,
            wording=" ".join(str(part) for part in PUBLICATION_CONSENT_WORDING),
            terms=PUBLICATION_CONSENT_TERMS,
        )
        notify(
            recipient=applicant,
            application=application,
            template="submitted",
            dedupe_key=f"submitted:{application.pk}",
        )
        if needs_references:
            references.references_request(application=application, referees=referees or [])
        else:
            notify_application_waiting(application)
        return status

    return transition(action="submit", actor=applicant, applicant_id=applicant.pk, effect=effect)


def _active_assignments(application: Application):
    return list(
        ReviewAssignment.objects.filter(
            application=application, released_at__isnull=True
        ).select_related("reviewer")
    )


def application_withdraw(*, application: Application, applicant, reason: str = "") -> Application:
    if application.applicant_id != applicant.pk:
        raise RegisterError(_("Only the applicant can withdraw an application."))

    def effect(app: Application, _entry) -> str:
        now = timezone.now()
        for assignment in _active_assignments(app):
            assignment.released_at = now
            assignment.release_reason = ReviewAssignment.ReleaseReason.RELEASED
            assignment.save(update_fields=["released_at", "release_reason"])
            notify(
                recipient=assignment.reviewer,
                application=app,
                template="withdrawn_reviewer",
                dedupe_key=f"withdrawn:{app.pk}:{assignment.pk}",
            )
        app.status = Application.Status.WITHDRAWN
        app.decided_at = now
        app.save(update_fields=["status", "decided_at", "updated_at"])
        return app.status

    return application_move(application.pk, "withdraw", effect, actor=applicant, reason=reason)


def application_resubmit(*, application: Application, applicant, note: str = "") -> Application:
    """Send an application back after changes; the same reviewers continue."""
    if application.applicant_id != applicant.pk:
        raise RegisterError(_("Only the applicant can resubmit an application."))

    def effect(app: Application, _entry) -> str:
        readiness = _check_ready(applicant, app.level)
        app.round += 1
        dossier_freeze(application=app, readiness=readiness, round_number=app.round)
        assignments = _active_assignments(app)
        for assignment in assignments:
            assignment.round = app.round
            assignment.recommendation = ""
            assignment.recommendation_reasons = ""
            assignment.recommended_at = None
            assignment.last_activity_at = timezone.now()
            assignment.save()
            notify(
                recipient=assignment.reviewer,
                application=app,
                template="resubmitted_reviewer",
                context={"note": note},
                dedupe_key=f"resubmitted:{app.pk}:{app.round}:{assignment.pk}",
            )
        app.status = Application.Status.IN_REVIEW if assignments else Application.Status.SUBMITTED
        app.version = readiness.version
        app.save(update_fields=["round", "status", "version", "updated_at"])
        return app.status

    return application_move(application.pk, "resubmit", effect, actor=applicant, reason=note)


def appeal_deadline(application: Application):
    """When the time to appeal a rejection ends; ``None`` unless the application is rejected."""
    if application.status != Application.Status.REJECTED or application.decided_at is None:
        return None
    return application.decided_at + timedelta(days=settings.IMHCF_APPEAL_WINDOW_DAYS)


def appeal_state(application: Application, *, appealed: bool | None = None, now=None) -> str:
    """Whether the applicant may appeal now: ``open``, or why not.

    ``none`` (no rejection to appeal), ``appealed`` (already) or ``too_late``.
    Pass ``appealed`` when the caller has already read the appeal.
    """
    deadline = appeal_deadline(application)
    if deadline is None:
        return "none"
    if appealed is None:
        appealed = Appeal.objects.filter(application=application).exists()
    if appealed:
        return "appealed"
    if (now or timezone.now()) > deadline:
        return "too_late"
    return "open"


def application_appeal(*, application: Application, applicant, statement: str) -> Application:
    if application.applicant_id != applicant.pk:
        raise RegisterError(_("Only the applicant can appeal."))
    statement = statement.strip()
    if len(statement) < 20:
        raise RegisterError(
            _("Explain in a few sentences why the decision should be looked at again.")
        )

    def effect(app: Application, _entry) -> str:
        state = appeal_state(app)
        if state == "appealed":
            raise RegisterError(_("This decision has already been appealed."))
        if state != "open":
            raise RegisterError(
                ngettext(
                    "The time for an appeal (%(days)d day from the decision) has passed.",
                    "The time for an appeal (%(days)d days from the decision) has passed.",
                    settings.IMHCF_APPEAL_WINDOW_DAYS,
                )
                % {"days": settings.IMHCF_APPEAL_WINDOW_DAYS}
            )
        Appeal.objects.create(application=app, statement=statement, submitted_at=timezone.now())
        app.status = Application.Status.APPEALED
        app.save(update_fields=["status", "updated_at"])
        notify(
            recipient=applicant,
            application=app,
            template="appeal_received",
            dedupe_key=f"appeal-received:{app.pk}",
        )
        notify_staff(
            template="appeal_staff",
            dedupe_key=f"appeal-staff:{app.pk}",
            exclude=[applicant],
            application=app,
        )
        return app.status

    return application_move(application.pk, "appeal", effect, actor=applicant, reason=statement)
