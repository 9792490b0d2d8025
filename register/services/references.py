"""References: referees named by the applicant vouch for their work through an emailed link.

An application with referees waits in ``awaiting_references`` until every
current reference is received or waived by staff; then it joins the review
queue. Each reference moves through ``states.REFERENCE_RULES`` with the
transition engine, so every step is in the append-only audit. The link itself
and the reminders live in ``register.services.reference_links``; the answer
(or a decline) ends every link of a reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Consent
from accounts.roles import is_admin
from accounts.services import consent_give
from imhcf.bilingual import numbered_names
from imhcf.models import Domain
from register import states
from register.errors import RegisterError
from register.models import Application, Reference, ReferenceLink
from register.services.notifications import notify, notify_application_waiting
from register.services.reference_links import LINK_PLACEHOLDER, reference_status_notify
from register.transitions import REFERENCES, application_move, audit_created

R = Reference.Status
A = Application.Status

CONSENT_WORDING = (
    "I have told my referees that I am naming them, and I agree that AIMH UK may email them "
    "to ask about my work. What they write is read by the reviewers of my application, not by me."
)


@dataclass(frozen=True)
class Referee:
    kind: str
    name: str
    role: str
    email: str
    relationship: str


def referee_kinds() -> list[str]:
    """The referees an application names, in order (a setting: the number and the kinds)."""
    return list(settings.IMHCF_REFEREE_KINDS)


# --- Asking -------------------------------------------------------------------------------


def _request_one(application: Application, referee: Referee, *, replaces=None) -> Reference:
    reference = Reference.objects.create(
        application=application,
        kind=referee.kind,
        name=referee.name.strip(),
        role=referee.role.strip(),
        email=referee.email.strip(),
        relationship=referee.relationship.strip(),
        requested_at=timezone.now(),
        replaces=replaces,
    )
    audit_created(
        reference,
        "reference_request",
        actor=application.applicant,
        detail={"kind": referee.kind, "referee": referee.name.strip()},
        application=application,
    )
    notify(
        to_email=reference.email,
        template="reference_request",
        context={"link": LINK_PLACEHOLDER, "days": settings.IMHCF_REFERENCE_LINK_DAYS},
        dedupe_key=f"reference-request:{reference.pk}",
        application=application,
        reference=reference,
    )
    return reference


def references_request(*, application: Application, referees: list[Referee]) -> list[Reference]:
    """Inside the submitting transition: one reference per referee, and the applicant's consent."""
    kinds = referee_kinds()
    if sorted(r.kind for r in referees) != sorted(kinds):
        raise RegisterError(_("Name every referee the application asks for."))
    emails = [r.email.strip().casefold() for r in referees]
    if len(set(emails)) != len(emails):
        raise RegisterError(_("Name a different person for each referee."))
    if application.applicant.email.casefold() in emails:
        raise RegisterError(_("You cannot be your own referee."))
    consent_give(
        user=application.applicant,
        purpose=Consent.Purpose.REFERENCES,
        scope=f"application:{application.pk}",
        wording=CONSENT_WORDING,
        terms={"referees": sorted(emails)},
    )
    return [_request_one(application, referee) for referee in referees]


# --- The referee answers ------------------------------------------------------------------


def domains_for(application: Application) -> list[tuple[int, str]]:
    """The domains the referee is asked about: those of the framework version applied against."""
    return numbered_names(
        Domain.objects.filter(version_id=application.version_id).order_by("number")
    )


def reference_respond(
    *,
    link: ReferenceLink,
    identity_confirmed: bool,
    known_capacity: str,
    known_for: str,
    answers: dict[int, str],
    comments: str,
) -> Reference:
    """The referee's answer, once. The link dies with it; the application may go to review."""
    if not identity_confirmed:
        raise RegisterError(_("Confirm who you are and that reviewers may read your reference."))

    def effect(reference: Reference) -> str:
        _use(link)
        domains = domains_for(reference.application)
        missing = [
            number for number, _name in domains if answers.get(number) not in Reference.Answer
        ]
        if missing:
            raise RegisterError(_("Answer the question for every domain."))
        reference.identity_confirmed = True
        reference.known_capacity = known_capacity.strip()[:500]
        reference.known_for = known_for
        reference.answers = [
            {"domain": number, "name": name, "answer": answers[number]} for number, name in domains
        ]
        reference.comments = comments.strip()[:5000]
        reference.responded_at = timezone.now()
        reference.status = R.RECEIVED
        reference.save()
        reference_status_notify(reference, "received")
        _release_if_complete(reference.application_id)
        return reference.status

    return REFERENCES.move(
        link.reference_id, "reference_respond", effect, actor=None, detail={"link": link.pk}
    )


def reference_decline(*, link: ReferenceLink, reason: str) -> Reference:
    def effect(reference: Reference) -> str:
        _use(link)
        reference.decline_reason = reason.strip()[:2000]
        reference.responded_at = timezone.now()
        reference.status = R.DECLINED
        reference.save()
        reference_status_notify(reference, "declined")
        return reference.status

    # The referee's reason goes to the audit; the applicant is told only that they declined.
    return REFERENCES.move(
        link.reference_id,
        "reference_decline",
        effect,
        actor=None,
        reason=reason,
        detail={"link": link.pk},
    )


def _use(link: ReferenceLink) -> None:
    # Under the reference's row lock: a second submit of the same form finds it used.
    used = ReferenceLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not used:
        raise RegisterError(_("This link has already been used."))


# --- The applicant replaces, staff waive ------------------------------------------------------


def replaceable(reference: Reference, now=None) -> bool:
    """Declined, or no answer by the last reminder: the applicant may name someone else."""
    if reference.status == R.DECLINED:
        return True
    if reference.status != R.REQUESTED:
        return False
    days = max(settings.IMHCF_REFERENCE_REMINDER_DAYS, default=0)
    return reference.requested_at <= (now or timezone.now()) - timedelta(days=days)


def reference_replace(*, reference: Reference, applicant, referee: Referee) -> Reference:
    if reference.application.applicant_id != applicant.pk:
        raise RegisterError(_("Only the applicant can replace a referee."))
    if reference.application.status != A.AWAITING_REFERENCES:
        raise RegisterError(_("This application is no longer waiting for references."))
    new: list[Reference] = []

    def effect(locked: Reference) -> str:
        if not replaceable(locked):
            raise RegisterError(
                _(
                    "You can replace a referee once they decline, or if they have not "
                    "answered within %(days)d days."
                )
                % {"days": max(settings.IMHCF_REFERENCE_REMINDER_DAYS, default=0)}
            )
        others = locked.application.references.exclude(pk=locked.pk).exclude(status=R.REPLACED)
        emails = {r.email.casefold() for r in others} | {applicant.email.casefold()}
        if referee.email.strip().casefold() in emails:
            raise RegisterError(_("Name someone who is not already a referee, and not yourself."))
        locked.status = R.REPLACED
        locked.save(update_fields=["status"])
        consent_give(
            user=applicant,
            purpose=Consent.Purpose.REFERENCES,
            scope=f"application:{locked.application_id}",
            wording=CONSENT_WORDING,
            terms={
                "referees": sorted(
                    emails - {applicant.email.casefold()} | {referee.email.strip().casefold()}
                )
            },
        )
        new.append(
            _request_one(
                locked.application,
                Referee(**{**referee.__dict__, "kind": locked.kind}),
                replaces=locked,
            )
        )
        return locked.status

    REFERENCES.move(
        reference.pk,
        "reference_replace",
        effect,
        actor=applicant,
        detail={"replaced_by": referee.name.strip()},
    )
    return new[0]


def reference_waive(*, reference: Reference, admin, reason: str) -> Reference:
    """Staff let the application go to review without this reference; the reason is audited."""
    if not is_admin(admin):
        raise RegisterError(_("Only an administrator can waive a reference."))
    reason = reason.strip()
    if not reason:
        raise RegisterError(_("Give a reason; it is kept in the audit trail."))

    def effect(locked: Reference) -> str:
        locked.status = R.WAIVED
        locked.save(update_fields=["status"])
        _release_if_complete(locked.application_id)
        return locked.status

    return REFERENCES.move(reference.pk, "reference_waive", effect, actor=admin, reason=reason)


def _release_if_complete(application_id: int) -> None:
    """With every current reference in or waived, the application joins the review queue."""
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.status != A.AWAITING_REFERENCES:
        return
    current = application.references.exclude(status=R.REPLACED)
    if current.exclude(status__in=states.REFERENCE_DONE).exists():
        return

    def effect(app: Application, _entry) -> str:
        app.status = A.SUBMITTED
        app.save(update_fields=["status", "updated_at"])
        notify_application_waiting(app)
        return app.status

    application_move(application_id, "references_complete", effect, actor=None)
