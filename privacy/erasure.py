"""Closing an account: erase the person, keep what the register must keep.

``erasure_request`` starts the cooling-off period and emails the person;
``erasure_cancel`` stops it; ``account_erase`` (run by the daily task once the
period is over) does the work. ``account_erase`` is idempotent: it acts only on
a pending request that is due, inside one transaction that locks the request
and the user, and removes stored files only after that transaction commits.

What is deleted: profile, self-assessments and ratings, development plan,
evidence and its files, documents made for the person, messages, organisation
memberships and shared summaries, email addresses, authenticators and sessions;
and the frozen copies of their evidence inside applications.

What is kept, in pseudonymised form (name, email address and organisation
replaced by a reference), under UK GDPR Article 17(3), is listed in ``KEPT``
with its basis; the account row itself stays, emptied and unusable, because
those records point at it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Consent
from evidence.models import DocumentJob, EvidenceFile, EvidenceItem, EvidenceLink
from privacy.models import DataRequest
from privacy.services import data_request_check, data_request_create
from register import states
from register.errors import RegisterError
from register.models import (
    Appeal,
    Application,
    DossierEvidence,
    DossierStatement,
    Notification,
    NotificationPreference,
    RegisterEntry,
    Renewal,
)
from register.services.applying import application_withdraw
from register.services.entries import entry_remove_at_request
from register.services.notifications import notify
from register.transitions import APPLICATION_RULES
from selfassess.models import Assessment, Goal, Profile

logger = logging.getLogger(__name__)

# What survives an erasure, and why the law allows keeping it.
KEPT = {
    "register decisions": gettext_lazy(
        "Applications with their level, dates, outcome and the reasons given, reviewers' "
        "recommendations and appeals decided: kept without the person's name to show the "
        "register decided fairly and to establish or defend legal claims (UK GDPR Art. "
        "17(3)(e)), and because a register that protects the public must be able to show "
        "who it recognised and why (Art. 17(3)(b), public interest)."
    ),
    "register entries": gettext_lazy(
        "The registration number, level, dates, status (ended as removed at the registrant's "
        "request) and any published restriction or fitness-to-practise outcome: kept so a "
        "number once issued can always be answered truthfully and a sanction cannot be escaped "
        "by closing an account (Art. 17(3)(b) and (e))."
    ),
    "audit events": gettext_lazy(
        "The append-only audit trail of every change of state: kept as the register's "
        "accountability record (Art. 5(2) and 17(3)(b))."
    ),
    "credentials": gettext_lazy(
        "Each issued credential's number and revocation bit, so credentials already handed "
        "out keep verifying as revoked (Art. 17(3)(e))."
    ),
    "consents and data requests": gettext_lazy(
        "Withdrawn consents and this request: kept to show the register acted lawfully "
        "(Art. 5(2), 7(1) and 17(3)(b))."
    ),
}

# What is kept, named for the reader; KEPT's keys stay English in stored outcomes.
KEPT_NAMES = {
    "register decisions": gettext_lazy("register decisions"),
    "register entries": gettext_lazy("register entries"),
    "audit events": gettext_lazy("audit events"),
    "credentials": gettext_lazy("credentials"),
    "consents and data requests": gettext_lazy("consents and data requests"),
}


def kept_shown() -> dict:
    """``KEPT`` with its names read in the language a page or email is rendered in."""
    return {KEPT_NAMES[key]: basis for key, basis in KEPT.items()}


def _pseudonym(data_request: DataRequest) -> str:
    return f"Erased person E{data_request.pk}"


@transaction.atomic
def erasure_request(
    *, subject, requested_by, channel: str = DataRequest.Channel.ONLINE, reference: str = ""
) -> DataRequest:
    """Start closing ``subject``'s account: confirmation email now, erasure after cooling off.

    The person asks online; staff enter a request received by post, with its reference.
    Either way the person is emailed and can cancel during the cooling-off.
    """
    asked = {"subject": subject, "requested_by": requested_by, "channel": channel}
    asked["reference"] = reference.strip()
    data_request_check(**asked)
    get_user_model().objects.select_for_update().filter(pk=subject.pk).first()
    pending = DataRequest.objects.filter(
        subject=subject, kind=DataRequest.Kind.ERASURE, status=DataRequest.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    due_at = timezone.now() + timedelta(hours=settings.IMHCF_ERASURE_COOLING_OFF_HOURS)
    data_request = data_request_create(kind=DataRequest.Kind.ERASURE, due_at=due_at, **asked)
    notify(
        recipient=subject,
        template="account_closing",
        context={"due_at": due_at, "kept": kept_shown()},
        dedupe_key=f"account-closing:{data_request.pk}",
    )
    return data_request


@transaction.atomic
def erasure_cancel(*, subject) -> int:
    return DataRequest.objects.filter(
        subject=subject, kind=DataRequest.Kind.ERASURE, status=DataRequest.Status.PENDING
    ).update(status=DataRequest.Status.CANCELLED, completed_at=timezone.now())


def erasures_due(now=None) -> list[int]:
    return list(
        DataRequest.objects.filter(
            kind=DataRequest.Kind.ERASURE,
            status=DataRequest.Status.PENDING,
            due_at__lte=now or timezone.now(),
        ).values_list("pk", flat=True)
    )


def _end_register_business(user) -> list[str]:
    """Active entries end as removed at the person's request; open applications are withdrawn."""
    done = []
    for entry in RegisterEntry.objects.filter(practitioner=user, status__in=states.PUBLIC):
        entry_remove_at_request(entry=entry, practitioner=user)
        done.append(f"entry {entry.registration_number} removed at the registrant's request")
    for application in Application.objects.filter(
        applicant=user, status__in=APPLICATION_RULES["withdraw"]
    ):
        try:
            application_withdraw(
                application=application, applicant=user, reason=_("Account closed.")
            )
        except RegisterError:
            continue
        done.append(f"application {application.pk} withdrawn")
    return done


def _delete_sessions(user_id: int) -> int:
    deleted = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            session.delete()
            deleted += 1
    return deleted


def account_erase(*, data_request_id: int, now=None) -> bool:
    """Carry out one due erasure. Returns False if there was nothing (more) to do."""
    now = now or timezone.now()
    User = get_user_model()
    with transaction.atomic():
        data_request = (
            DataRequest.objects.select_for_update()
            .filter(
                pk=data_request_id,
                kind=DataRequest.Kind.ERASURE,
                status=DataRequest.Status.PENDING,
                due_at__lte=now,
            )
            .first()
        )
        if data_request is None:
            return False
        user = User.objects.select_for_update().get(pk=data_request.subject_id)
        address, name = user.email, user.full_name
        pseudonym = _pseudonym(data_request)
        register_steps = _end_register_business(user)

        stored = list(
            EvidenceFile.objects.filter(item__owner=user).values_list("file", flat=True)
        ) + [
            name
            for name in DocumentJob.objects.filter(owner=user).values_list("file", flat=True)
            if name
        ]
        counts: dict[str, int] = {}

        def count(label: str, deleted) -> None:
            counts[label] = counts.get(label, 0) + deleted[0]

        # The frozen copies of the person's evidence first: they protect the originals.
        applications = Application.objects.filter(applicant=user)
        dossiers = {"application__in": applications}
        count("dossier evidence", DossierEvidence.objects.filter(**dossiers).delete())
        count("dossier statements", DossierStatement.objects.filter(**dossiers).delete())
        count("evidence links", EvidenceLink.objects.filter(item__owner=user).delete())
        count("evidence files", EvidenceFile.objects.filter(item__owner=user).delete())
        count("evidence items", EvidenceItem.objects.filter(owner=user).delete())
        count("documents", DocumentJob.objects.filter(owner=user).delete())
        count("development plan", Goal.objects.filter(user=user).delete())
        Assessment.objects.filter(user=user).update(started_from=None)
        count("self-assessments", Assessment.objects.filter(user=user).delete())
        count("profile", Profile.objects.filter(user=user).delete())
        count("messages", Notification.objects.filter(recipient=user).delete())
        count("email settings", NotificationPreference.objects.filter(user=user).delete())
        count("email addresses", EmailAddress.objects.filter(user=user).delete())
        count("authenticators", Authenticator.objects.filter(user=user).delete())
        for label, deleted in _delete_higher_app_rows(user).items():
            counts[label] = counts.get(label, 0) + deleted
        counts["sessions"] = _delete_sessions(user.pk)

        # What is kept loses the person's name, organisation and own words.
        applications.update(applicant_name=pseudonym, organisation="", region="")
        RegisterEntry.objects.filter(practitioner=user).update(display_name=pseudonym, region="")
        Renewal.objects.filter(entry__practitioner=user).update(explanation="")
        Appeal.objects.filter(application__applicant=user).update(statement="")
        Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=now)
        _pseudonymise_elsewhere(user, pseudonym)

        user.email = f"erased-{data_request.pk}@erased.invalid"
        user.full_name = pseudonym
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.last_login = None
        user.save()
        user.groups.clear()
        user.user_permissions.clear()

        data_request.status = DataRequest.Status.DONE
        data_request.completed_at = now
        data_request.outcome = {
            "deleted": counts,
            "register": register_steps,
            "kept": {key: str(basis) for key, basis in KEPT.items()},
        }
        data_request.save(update_fields=["status", "completed_at", "outcome"])

        transaction.on_commit(lambda: _remove_files(stored))
        language = user.preferred_language
        transaction.on_commit(lambda: _send_closed_email(address, name, language))
    return True


def _delete_higher_app_rows(user) -> dict[str, int]:
    """Rows of apps that sit beside the register (organisations and their views)."""
    from django.apps import apps

    deleted = {}
    for label, lookup in ERASED_ELSEWHERE.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        deleted[label] = model.objects.filter(**{lookup: user}).delete()[0]
    return deleted


# Other apps' rows about the person that go with the account: label -> lookup to the user.
ERASED_ELSEWHERE = {
    "workforce.Membership": "user",
    "workforce.PractitionerSummary": "user",
    "workforce.DataView": "subject",
    "workforce.CommissionerScope": "user",
    "training.Attendance": "user",
}


def _pseudonymise_elsewhere(user, pseudonym: str) -> None:
    from workforce.models import DataView

    # Other people's "who has seen my data" lists keep the look, not the looker's name.
    DataView.objects.filter(viewer=user).update(viewer_name=pseudonym)


# Every foreign key to the user, and what an erasure does with the rows it points from.
# tests/privacy/test_erasure.py fails for one missing here.
DECISIONS: dict[str, str] = {
    "accounts.Consent.user": "kept, withdrawn (consents and data requests)",
    "account.EmailAddress.user": "deleted",
    "mfa.Authenticator.user": "deleted",
    "admin.LogEntry.user": "kept: the admin's change log of other records (audit events)",
    "imhcf.WordingRevision.changed_by": "kept: the framework's wording history (audit events)",
    "selfassess.Profile.user": "deleted",
    "selfassess.Assessment.user": "deleted, with its ratings",
    "selfassess.Goal.user": "deleted",
    "evidence.EvidenceItem.owner": "deleted, with its links and files",
    "evidence.DocumentJob.owner": "deleted, with its file",
    "register.Application.applicant": "kept, pseudonymised; dossier copies deleted",
    "register.Application.decided_by": "kept (register decisions)",
    "register.ReviewAssignment.reviewer": "kept: verdicts on others' applications",
    "register.RegisterEntry.practitioner": "kept, pseudonymised, ended as removed at request",
    "register.Renewal.decided_by": "kept (register decisions)",
    "register.Appeal.decided_by": "kept (register decisions)",
    "register.Notification.recipient": "deleted",
    "register.NotificationPreference.user": "deleted",
    "register.Concern.triaged_by": "kept (register decisions)",
    "register.CpdAudit.reviewer": "kept (register decisions)",
    "register.Concern.handler": "kept (register decisions)",
    "register.Concern.decided_by": "kept (register decisions)",
    "register.Concern.appeal_decided_by": "kept (register decisions)",
    "register.AuditEvent.actor": "kept (audit events)",
    "workforce.Membership.user": "deleted",
    "workforce.Invite.created_by": "kept: the organisation's invite link, not about the person",
    "workforce.DataView.viewer": "kept, the viewer's name pseudonymised",
    "workforce.DataView.subject": "deleted",
    "workforce.CommissionerScope.user": "deleted",
    "workforce.PractitionerSummary.user": "deleted",
    "training.Attendance.user": "deleted (the provider keeps its session, not the attendee)",
    "training.Attendance.confirmed_by": "kept: a provider's confirmation of someone else",
    "training.AttendanceCode.issued_by": "kept: the session's codes, not about the issuer",
    "training.Course.created_by": "kept: the provider's course, not about its author",
    "training.CourseEvent.actor": "kept: the course mapping's audit trail (audit events)",
    "privacy.DataRequest.subject": "kept (consents and data requests)",
    "privacy.DataRequest.requested_by": "kept (consents and data requests)",
    "privacy.DataRequest.downloaded_by": "kept (consents and data requests)",
}


def _remove_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not delete %s after an erasure", name)


def _send_closed_email(address: str, name: str, language: str) -> None:
    # Sent straight away: the address is erased, so no message row can hold it for a retry.
    try:
        with translation.override(language):
            subject = "[IMHCF] " + _("Your account has been closed")
            message = render_to_string(
                "privacy/email/account_closed.txt", {"name": name, "kept": kept_shown()}
            )
        send_mail(subject=subject, message=message, from_email=None, recipient_list=[address])
    except Exception:
        logger.warning("The account-closed email could not be sent")
