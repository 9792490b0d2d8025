"""References: referees named by the applicant vouch for their work through an emailed link.

An application with referees waits in ``awaiting_references`` until every
current reference is received or waived by staff; then it joins the review
queue. Each reference moves through ``REFERENCE_RULES`` with the transition
engine, so every step is in the append-only audit.

The link. A token is ``TimestampSigner``-signed ``<reference id>.<32 random
bytes>``: guessing needs the random part and the site's key, and the
signature's age enforces expiry before the database is asked. Only its
SHA-256 is stored, as a ``ReferenceLink`` made when the email is actually
sent, so no stored email holds a live token. A link works while its reference
waits for an answer; the answer (or a decline) ends every link of it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Consent
from accounts.roles import is_admin
from accounts.services import consent_give
from imhcf.bilingual import numbered_names
from imhcf.models import Domain
from register.errors import RegisterError
from register.models import Application, Notification, Reference, ReferenceLink
from register.services.notifications import notify, notify_reviewers
from register.transitions import audit_record, subject_transition, transition

R = Reference.Status
A = Application.Status

REFERENCE_RULES: dict[str, frozenset[str]] = {
    "reference_respond": frozenset({R.REQUESTED}),
    "reference_decline": frozenset({R.REQUESTED}),
    "reference_replace": frozenset({R.REQUESTED, R.DECLINED}),
    "reference_waive": frozenset({R.REQUESTED, R.DECLINED}),
}
# A reference in one of these counts towards the application going to review.
DONE = (R.RECEIVED, R.WAIVED)

LINK_PLACEHOLDER = "[[reference-link]]"
_SALT = "register.reference-link"

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


# --- Tokens -------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_mint(reference_id: int) -> str:
    """A new link for one email; returns its absolute URL. Stores only the token's hash."""
    token = signing.TimestampSigner(salt=_SALT).sign(f"{reference_id}.{secrets.token_urlsafe(32)}")
    now = timezone.now()
    ReferenceLink.objects.create(
        reference_id=reference_id,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.IMHCF_REFERENCE_LINK_DAYS),
    )
    return settings.IMHCF_PUBLIC_BASE_URL + reverse("register:referee_link", args=[token])


def link_check(token: str) -> ReferenceLink | None:
    """The live link this token names, or None: forged, expired, unknown or already answered."""
    if len(token) > 300:
        return None
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=timedelta(days=settings.IMHCF_REFERENCE_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    reference_id, _sep, _nonce = value.partition(".")
    link = (
        ReferenceLink.objects.select_related("reference")
        .filter(token_hash=_hash(token), reference_id=reference_id)
        .first()
    )
    if link is None or not hmac.compare_digest(link.token_hash, _hash(token)):
        return None
    return link if link_is_live(link) else None


def link_is_live(link: ReferenceLink) -> bool:
    return (
        link.used_at is None
        and link.expires_at > timezone.now()
        and link.reference.status == R.REQUESTED
    )


def link_get_live(link_id) -> ReferenceLink | None:
    """The link a referee's session holds, if it still works."""
    link = ReferenceLink.objects.select_related("reference").filter(pk=link_id).first()
    return link if link is not None and link_is_live(link) else None


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
    audit_record(
        application=application,
        subject=f"{Reference.AUDIT_SUBJECT}:{reference.pk}",
        actor=application.applicant,
        action="reference_request",
        from_status="",
        to_status=reference.status,
        reason="",
        detail={"kind": referee.kind, "referee": referee.name.strip()},
    )
    notify(
        to_email=reference.email,
        template="reference_request",
        context={
            "reference": reference,
            "application": application,
            "link": LINK_PLACEHOLDER,
            "days": settings.IMHCF_REFERENCE_LINK_DAYS,
        },
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
        notify(
            recipient=reference.application.applicant,
            template="reference_status",
            context={"reference": reference, "application": reference.application},
            dedupe_key=f"reference-status:{reference.pk}:received",
            application=reference.application,
        )
        _release_if_complete(reference.application_id)
        return reference.status

    return subject_transition(
        model=Reference,
        pk=link.reference_id,
        action="reference_respond",
        rules=REFERENCE_RULES,
        actor=None,
        effect=effect,
        detail={"link": link.pk},
    )


def reference_decline(*, link: ReferenceLink, reason: str) -> Reference:
    def effect(reference: Reference) -> str:
        _use(link)
        reference.decline_reason = reason.strip()[:2000]
        reference.responded_at = timezone.now()
        reference.status = R.DECLINED
        reference.save()
        notify(
            recipient=reference.application.applicant,
            template="reference_status",
            context={"reference": reference, "application": reference.application},
            dedupe_key=f"reference-status:{reference.pk}:declined",
            application=reference.application,
        )
        return reference.status

    return subject_transition(
        model=Reference,
        pk=link.reference_id,
        action="reference_decline",
        rules=REFERENCE_RULES,
        actor=None,
        effect=effect,
        # The referee's reason goes to the audit; the applicant is told only that they declined.
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

    subject_transition(
        model=Reference,
        pk=reference.pk,
        action="reference_replace",
        rules=REFERENCE_RULES,
        actor=applicant,
        effect=effect,
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

    return subject_transition(
        model=Reference,
        pk=reference.pk,
        action="reference_waive",
        rules=REFERENCE_RULES,
        actor=admin,
        effect=effect,
        reason=reason,
    )


def _release_if_complete(application_id: int) -> None:
    """With every current reference in or waived, the application joins the review queue."""
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.status != A.AWAITING_REFERENCES:
        return
    current = application.references.exclude(status=R.REPLACED)
    if current.exclude(status__in=DONE).exists():
        return

    def effect(app: Application, _entry) -> str:
        app.status = A.SUBMITTED
        app.save(update_fields=["status", "updated_at"])
        notify_reviewers(
            template="new_application_reviewer",
            context={"application": app},
            dedupe_key=f"new-application:{app.pk}",
            exclude=[app.applicant_id],
            application=app,
        )
        return app.status

    transition(
        action="references_complete", actor=None, application_id=application_id, effect=effect
    )


# --- Reminders ----------------------------------------------------------------------------


def reference_reminders_send(now=None) -> int:
    """Remind referees who have not answered, on or after each reminder day, once each.

    As with renewal reminders, only the latest reminder due goes when several
    are (the daily run stopped for a while), and none twice.
    """
    now = now or timezone.now()
    days_list = sorted(settings.IMHCF_REFERENCE_REMINDER_DAYS)
    if not days_list:
        return 0
    sent = 0
    waiting = Reference.objects.filter(
        status=R.REQUESTED,
        application__status=A.AWAITING_REFERENCES,
        requested_at__lte=now - timedelta(days=days_list[0]),
    ).select_related("application")
    for reference in waiting:
        age = (now - reference.requested_at).days
        due = [d for d in days_list if d <= age]
        day = due[-1]
        keys = [f"reference-reminder:{reference.pk}:{d}" for d in days_list]
        if Notification.objects.filter(dedupe_key__in=keys[days_list.index(day) :]).exists():
            continue
        with transaction.atomic():
            notify(
                to_email=reference.email,
                template="reference_reminder",
                context={
                    "reference": reference,
                    "application": reference.application,
                    "link": LINK_PLACEHOLDER,
                    "days": age,
                },
                dedupe_key=keys[days_list.index(day)],
                application=reference.application,
                reference=reference,
            )
            if day == days_list[-1]:
                notify(
                    recipient=reference.application.applicant,
                    template="reference_status",
                    context={"reference": reference, "application": reference.application},
                    dedupe_key=f"reference-status:{reference.pk}:silent",
                    application=reference.application,
                )
        sent += 1
    return sent
