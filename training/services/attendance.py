"""Attendance the provider confirms, a course as evidence in one step, consent and feedback."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Consent
from accounts.services import consent_give, consent_withdraw
from evidence import services as evidence_services
from evidence.errors import EvidenceError
from evidence.models import EvidenceItem
from imhcf.forms_text import refuse_nul
from training.errors import TrainingError
from training.models import (
    COMMENT_MAX_LENGTH,
    Attendance,
    AttendanceCode,
    Course,
    CourseSession,
    Feedback,
)
from training.services.courses import clean_text

# Unambiguous letters and digits: no 0/O, 1/I/L. Ten of them are about 49 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_CODES_AT_ONCE = 200
MAX_EMAILS_AT_ONCE = 500


# --- Attendance ---------------------------------------------------------------------------------


def _normalised_emails(raw: Iterable[str]) -> tuple[list[str], list[str]]:
    """Good addresses (lower case, once each) and what could not be read as one."""
    from django.core.validators import validate_email

    good: dict[str, None] = {}
    bad = []
    for value in raw:
        email = value.strip().strip(",;<>").strip().lower()
        if not email:
            continue
        try:
            refuse_nul(email)
            validate_email(email)
        except ValidationError:
            bad.append(value.strip()[:80])
            continue
        good[email] = None
    return list(good), bad


def _user_ids_by_email(emails: list[str]) -> dict[str, int]:
    from allauth.account.models import EmailAddress

    rows = EmailAddress.objects.filter(verified=True, email__in=emails).values_list(
        "email", "user_id"
    )
    return {email.lower(): user_id for email, user_id in rows}


@transaction.atomic
def attendance_confirm_emails(*, session: CourseSession, user, text: str) -> tuple[int, int]:
    """Confirm attendance for each address in ``text``; returns (added, already listed).

    Addresses are separated by new lines, commas or semicolons. Anything that
    is not an address is refused with the list of what could not be read, and
    nothing is saved, so a typo never half-confirms a list.
    """
    raw = [part for line in (text or "").splitlines() for part in line.replace(";", ",").split(",")]
    emails, bad = _normalised_emails(raw)
    if bad:
        raise TrainingError(
            ngettext(
                "This could not be read as an email address: %(list)s. Nothing was saved.",
                "These could not be read as email addresses: %(list)s. Nothing was saved.",
                len(bad),
            )
            % {"list": ", ".join(bad[:10])}
        )
    if not emails:
        raise TrainingError(_("List at least one attendee's email address."))
    if len(emails) > MAX_EMAILS_AT_ONCE:
        raise TrainingError(
            _("List at most %(n)s addresses at a time.") % {"n": MAX_EMAILS_AT_ONCE}
        )
    CourseSession.objects.select_for_update().get(pk=session.pk)
    existing = set(
        Attendance.objects.filter(session=session, email__in=emails).values_list("email", flat=True)
    )
    users = _user_ids_by_email(emails)
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            email=email,
            user_id=users.get(email),
            method=Attendance.Method.EMAIL_LIST,
            confirmed_by=user,
        )
        for email in emails
        if email not in existing
    )
    return len(emails) - len(existing), len(existing)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


@transaction.atomic
def attendance_codes_issue(*, session: CourseSession, user, count: int) -> list[AttendanceCode]:
    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise TrainingError(
            _("Issue between 1 and %(n)s codes at a time.") % {"n": MAX_CODES_AT_ONCE}
        )
    return AttendanceCode.objects.bulk_create(
        AttendanceCode(session=session, code=_new_code(), issued_by=user) for _n in range(count)
    )


def code_normalised(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:40]


@transaction.atomic
def attendance_code_redeem(*, user, code: str) -> Attendance:
    """Use a single-use code: the attendance is the redeemer's, confirmed by the provider."""
    wrong = TrainingError(
        _("That code was not recognised, or has been used. Check it with the course provider.")
    )
    code = code_normalised(code)
    if len(code) != CODE_LENGTH:
        raise wrong
    issued = (
        AttendanceCode.objects.select_for_update()
        .select_related("session__course")
        .filter(code=code, used_at__isnull=True)
        .first()
    )
    if issued is None:
        raise wrong
    email = user.email.lower()
    attendance = Attendance.objects.filter(session=issued.session, email=email).first()
    if attendance is None:
        attendance = Attendance.objects.create(
            session=issued.session,
            email=email,
            user=user,
            method=Attendance.Method.CODE,
            confirmed_by=issued.issued_by,
        )
    elif attendance.user_id is None:
        attendance.user = user
        attendance.save(update_fields=["user"])
    issued.attendance = attendance
    issued.used_at = timezone.now()
    issued.save(update_fields=["attendance", "used_at"])
    return attendance


@transaction.atomic
def attendance_remove(*, attendance: Attendance) -> None:
    """The provider takes back a confirmation made by mistake.

    Evidence already made from it stays the practitioner's, as an ordinary
    self-reported item: the confirmation mark goes.
    """
    item = attendance.evidence_item
    if item is not None:
        EvidenceItem.objects.filter(pk=item.pk).update(
            attendance_confirmed_by="", attendance_confirmed_at=None
        )
    AttendanceCode.objects.filter(attendance=attendance).update(attendance=None)
    attendance.delete()


def _claim(attendance: Attendance, user) -> None:
    """An attendance listed by address becomes the account's the first time they act on it."""
    if attendance.user_id is None:
        attendance.user = user
        attendance.save(update_fields=["user"])


# --- Evidence in one step -----------------------------------------------------------------------


@transaction.atomic
def attendance_to_evidence(
    *, attendance: Attendance, user, statement_ids: Iterable[int], reflection: str
) -> EvidenceItem:
    """Make the course the practitioner's evidence, marked as confirmed by the provider.

    Hours, dates, provider and title come from the course; the practitioner
    keeps the mapped statements they choose (only mapped ones) and adds a reflection.
    """
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    if attendance.evidence_item_id is not None:
        raise TrainingError(_("This course is already in your evidence."))
    session = attendance.session
    course = session.course
    mapped = set(course.mappings.values_list("statement_id", flat=True))
    chosen = {int(pk) for pk in statement_ids}
    if not chosen <= mapped:
        raise TrainingError(_("Choose only statements the course is mapped to."))
    try:
        item = evidence_services.evidence_item_create(
            owner=user,
            data={
                "kind": EvidenceItem.Kind.TRAINING,
                "title": course.title[:200],
                "start_date": session.starts_on,
                "end_date": session.ends_on,
                "hours": course.hours,
                "provider": course.provider.name[:200],
                "description": reflection,
            },
            statement_ids=sorted(chosen),
        )
    except EvidenceError as exc:
        raise TrainingError(str(exc)) from exc
    evidence_services.evidence_attendance_confirm(
        item=item, confirmed_by=course.provider.name, confirmed_at=attendance.confirmed_at
    )
    _claim(attendance, user)
    attendance.evidence_item = item
    attendance.save(update_fields=["evidence_item"])
    return item


# --- Consent and feedback -----------------------------------------------------------------------


def effectiveness_consent_wording(course: Course) -> str:
    return _(
        "I agree that %(provider)s may see, only as totals for groups of at least five people "
        "and never by name, how my self-ratings on the statements “%(course)s” covers "
        "changed between my last self-assessment before it and my first after it. "
        "I can withdraw this at any time."
    ) % {"provider": course.provider.name, "course": course.title}


@transaction.atomic
def effectiveness_consent_set(*, attendance: Attendance, user, agree: bool) -> Consent | None:
    course = attendance.session.course
    _claim(attendance, user)
    if agree:
        return consent_give(
            user=user,
            purpose=Consent.Purpose.COURSE_EFFECTIVENESS,
            scope=course.effectiveness_scope,
            wording=effectiveness_consent_wording(course),
            terms={"course": course.pk},
        )
    consent_withdraw(
        user=user, purpose=Consent.Purpose.COURSE_EFFECTIVENESS, scope=course.effectiveness_scope
    )
    return None


@transaction.atomic
def feedback_give(*, attendance: Attendance, user, rating: int, comment: str) -> Feedback:
    """Keep an anonymous rating and comment; the attendance only remembers that it was given."""
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    if attendance.feedback_given:
        raise TrainingError(_("You have already given feedback on this course. Thank you."))
    if rating not in range(1, 6):
        raise TrainingError(_("Choose a rating from 1 to 5."))
    comment = clean_text(comment, label=_("Comment"), max_length=COMMENT_MAX_LENGTH, required=False)
    _claim(attendance, user)
    attendance.feedback_given = True
    attendance.save(update_fields=["feedback_given"])
    return Feedback.objects.create(
        session_id=attendance.session_id,
        rating=rating,
        comment=comment,
        month=timezone.localdate().replace(day=1),
    )


def attendance_codes_withdraw(*, session: CourseSession) -> int:
    """Cancel the session's codes nobody has used yet; returns how many."""
    return AttendanceCode.objects.filter(session=session, used_at__isnull=True).delete()[0]
