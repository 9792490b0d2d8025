"""Every change to providers' courses, their review, attendance and feedback goes through here."""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, time

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
from imhcf.models import FrameworkVersion, Statement
from selfassess.matching import statement_key, wording_changed
from selfassess.models import VALUE_RANK, Assessment, Rating
from training.errors import TrainingError
from training.models import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Attendance,
    AttendanceCode,
    Course,
    CourseMapping,
    CourseSession,
    EffectivenessCohort,
    EffectivenessSummary,
    Feedback,
)
from training.transitions import course_transition
from workforce.models import Organisation

S = Course.Status
COURSE_FIELDS = ("title", "summary", "mode", "hours")
SESSION_FIELDS = ("starts_on", "ends_on", "place", "region")
# Unambiguous letters and digits: no 0/O, 1/I/L. Ten of them are about 49 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_CODES_AT_ONCE = 200
MAX_EMAILS_AT_ONCE = 500


def _clean_text(value: str, *, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    try:
        refuse_nul(value)
    except ValidationError as exc:
        raise TrainingError(f"{label}: {exc.messages[0]}") from exc
    if required and not value:
        raise TrainingError(_("%(label)s: this cannot be empty.") % {"label": label})
    if len(value) > max_length:
        raise TrainingError(
            _("%(label)s: keep it to %(n)s characters or fewer.")
            % {"label": label, "n": max_length}
        )
    return value


# --- Courses and sessions ---------------------------------------------------------------------


@transaction.atomic
def course_create(*, provider: Organisation, user, data: dict) -> Course:
    if provider.kind != Organisation.Kind.EDUCATION or not provider.verified:
        raise TrainingError(_("Only a verified training provider can publish courses."))
    course = Course.objects.create(
        provider=provider, created_by=user, **{k: data[k] for k in COURSE_FIELDS}
    )
    return course


@transaction.atomic
def course_update(*, course: Course, user, data: dict) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    for field in COURSE_FIELDS:
        setattr(course, field, data[field])
    course.save()
    return course


def _check_session(data: dict) -> None:
    if data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise TrainingError(_("The last day cannot be before the first day."))


@transaction.atomic
def session_create(*, course: Course, data: dict) -> CourseSession:
    _check_session(data)
    return CourseSession.objects.create(course=course, **{k: data[k] for k in SESSION_FIELDS})


@transaction.atomic
def session_update(*, session: CourseSession, data: dict) -> CourseSession:
    _check_session(data)
    for field in SESSION_FIELDS:
        setattr(session, field, data[field])
    session.save()
    return session


# --- Mapping and its review ---------------------------------------------------------------------


def _published_statements(ids: Iterable[int]) -> dict[int, Statement]:
    wanted = set(ids)
    statements = Statement.objects.filter(
        pk__in=wanted, competency__domain__version__status=FrameworkVersion.Status.PUBLISHED
    ).select_related("competency")
    found = {s.pk: s for s in statements}
    if set(found) != wanted:
        raise TrainingError(_("One or more of the chosen statements are not in the framework."))
    return found


def course_mappings_set(*, course: Course, user, notes: dict[int, str]) -> Course:
    """Make the course map to exactly the statements in ``notes``, each with its note.

    A mapping staff reviewed, or are reviewing, goes back to draft: what they
    checked is no longer what the course claims.
    """
    notes = {
        int(pk): _clean_text(note, label=_("How the course covers it"), max_length=NOTE_MAX_LENGTH)
        for pk, note in notes.items()
    }
    statements = _published_statements(notes)

    def effect(locked: Course) -> str:
        existing = {m.statement_id: m for m in locked.mappings.all()}
        locked.mappings.exclude(statement_id__in=notes).delete()
        for pk, note in notes.items():
            mapping = existing.get(pk)
            if mapping is None:
                CourseMapping.objects.create(course=locked, statement=statements[pk], note=note)
            elif mapping.note != note:
                mapping.note = note
                mapping.save(update_fields=["note"])
        if locked.status in (S.REVIEWED, S.IN_REVIEW):
            locked.status = S.DRAFT
            locked.save(update_fields=["status", "updated_at"])
        return locked.status

    keys = sorted(statements[pk].key for pk in notes)
    return course_transition(
        course_id=course.pk,
        action="edit_mapping",
        actor=user,
        effect=effect,
        detail={"statements": keys},
    )


def course_publish(*, course: Course, user) -> Course:
    """Show the course in the catalogue, and send its mapping for review if it is not reviewed."""

    def effect(locked: Course) -> str:
        if not locked.mappings.exists():
            raise TrainingError(_("Map the course to at least one statement before publishing it."))
        locked.published = True
        locked.published_at = locked.published_at or timezone.now()
        if locked.status in (S.DRAFT, S.CHANGES_REQUESTED):
            locked.status = S.IN_REVIEW
        locked.save(update_fields=["published", "published_at", "status", "updated_at"])
        return locked.status

    return course_transition(course_id=course.pk, action="publish", actor=user, effect=effect)


def course_unpublish(*, course: Course, user) -> Course:
    def effect(locked: Course) -> str:
        locked.published = False
        locked.save(update_fields=["published", "updated_at"])
        return locked.status

    return course_transition(course_id=course.pk, action="unpublish", actor=user, effect=effect)


def mapping_review_accept(*, course: Course, reviewer, comment: str = "") -> Course:
    comment = _clean_text(comment, label=_("Comment"), max_length=2000, required=False)

    def effect(locked: Course) -> str:
        locked.status = S.REVIEWED
        locked.save(update_fields=["status", "updated_at"])
        return locked.status

    return course_transition(
        course_id=course.pk, action="accept", actor=reviewer, effect=effect, reason=comment
    )


def mapping_review_request_changes(*, course: Course, reviewer, comment: str) -> Course:
    comment = _clean_text(comment, label=_("What needs to change"), max_length=2000)

    def effect(locked: Course) -> str:
        locked.status = S.CHANGES_REQUESTED
        locked.save(update_fields=["status", "updated_at"])
        return locked.status

    return course_transition(
        course_id=course.pk, action="request_changes", actor=reviewer, effect=effect, reason=comment
    )


def mapping_confirm(*, mapping: CourseMapping, user) -> Course:
    """The provider says a mapping flagged by a new framework version still holds."""

    def effect(locked: Course) -> str:
        updated = CourseMapping.objects.filter(
            pk=mapping.pk, course=locked, needs_check=True
        ).update(needs_check=False, previous_text="")
        if not updated:
            raise TrainingError(_("That mapping has nothing left to check."))
        return locked.status

    return course_transition(
        course_id=mapping.course_id,
        action="confirm_mapping",
        actor=user,
        effect=effect,
        detail={"statement": mapping.statement.key},
    )


def course_mappings_carry(*, version: FrameworkVersion | None = None) -> int:
    """Move every course's mappings onto the published version, by stable key.

    As ratings are carried: the later statement's ``predecessor`` wins, then
    the competency code and level. A mapping whose statement's wording changed
    in substance is kept and flagged for the provider, with the old wording; a
    mapping whose statement has no counterpart is dropped, and the course's
    audit trail says which. Returns how many courses were carried. Safe to run
    again: mappings already on the published version are left alone.
    """
    version = (
        version or FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED).first()
    )
    if version is None:
        return 0
    course_ids = list(
        CourseMapping.objects.exclude(statement__competency__domain__version=version)
        .values_list("course_id", flat=True)
        .distinct()
    )
    if not course_ids:
        return 0
    current = list(
        Statement.objects.filter(competency__domain__version=version).select_related("competency")
    )
    by_predecessor = {s.predecessor_id: s for s in current if s.predecessor_id}
    by_key = {statement_key(s): s for s in current}
    for course_id in course_ids:
        _carry_course(course_id, by_predecessor, by_key, version)
    return len(course_ids)


def _carry_course(course_id: int, by_predecessor: dict, by_key: dict, version) -> None:
    carried: list[str] = []
    flagged: list[str] = []
    dropped: list[str] = []

    def effect(locked: Course) -> str:
        mappings = list(
            locked.mappings.select_related("statement__competency").exclude(
                statement__competency__domain__version=version
            )
        )
        taken = set(
            locked.mappings.filter(statement__competency__domain__version=version).values_list(
                "statement_id", flat=True
            )
        )
        for mapping in mappings:
            old = mapping.statement
            new = by_predecessor.get(old.pk) or by_key.get(statement_key(old))
            if new is None or new.pk in taken:
                dropped.append(old.key)
                mapping.delete()
                continue
            taken.add(new.pk)
            mapping.statement = new
            if wording_changed(old.text, new.text):
                mapping.needs_check = True
                mapping.previous_text = mapping.previous_text or old.text
                flagged.append(new.key)
            carried.append(new.key)
            mapping.save(update_fields=["statement", "needs_check", "previous_text"])
        return locked.status

    course_transition(
        course_id=course_id,
        action="carry",
        actor=None,
        effect=effect,
        reason=_("Carried onto the framework edition “%(name)s”.") % {"name": version.name},
        detail={"carried": carried, "flagged": flagged, "dropped": dropped},
    )


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
    comment = _clean_text(
        comment, label=_("Comment"), max_length=COMMENT_MAX_LENGTH, required=False
    )
    _claim(attendance, user)
    attendance.feedback_given = True
    attendance.save(update_fields=["feedback_given"])
    return Feedback.objects.create(
        session_id=attendance.session_id,
        rating=rating,
        comment=comment,
        month=timezone.localdate().replace(day=1),
    )


# --- Effectiveness: the summary tables background work refreshes --------------------------------

RANKED = (Rating.Value.NOT_STARTED, Rating.Value.WORKING_TOWARDS, Rating.Value.ACHIEVED)


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _day_end(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


@transaction.atomic
def effectiveness_refresh(*, course: Course) -> int:
    """Recount the course's before-and-after figures from consenting attendees' snapshots.

    For each consenting attendee of each session: the last snapshot completed
    before the session's first day, and the first completed after its last day;
    both are needed. Ratings are compared on the course's mapped statements by
    stable key, so snapshots on different framework editions still compare.
    A fixed number of queries whatever the number of attendees. Returns the
    number of people compared across all sessions.
    """
    keys = sorted(
        f"{code}/L{level}"
        for code, level in course.mappings.values_list(
            "statement__competency__code", "statement__level"
        )
    )
    sessions = list(course.sessions.all())
    consenting = set(
        Consent.objects.filter(
            purpose=Consent.Purpose.COURSE_EFFECTIVENESS,
            scope=course.effectiveness_scope,
            withdrawn_at__isnull=True,
        ).values_list("user_id", flat=True)
    )
    attendees = defaultdict(set)
    for session_id, user_id in Attendance.objects.filter(
        session__course=course, user_id__in=consenting
    ).values_list("session_id", "user_id"):
        attendees[session_id].add(user_id)
    snapshots = defaultdict(list)
    for snap in Assessment.objects.filter(
        user_id__in=consenting, status=Assessment.Status.COMPLETED
    ).order_by("completed_at", "pk"):
        snapshots[snap.user_id].append(snap)

    pairs: dict[int, list[tuple[int, int]]] = {}
    for session in sessions:
        start, end = _day_start(session.starts_on), _day_end(session.last_day)
        found = []
        for user_id in attendees.get(session.pk, ()):
            before = [s for s in snapshots[user_id] if s.completed_at < start]
            after = [s for s in snapshots[user_id] if s.completed_at > end]
            if before and after:
                found.append((before[-1].pk, after[0].pk))
        pairs[session.pk] = found

    wanted = {pk for found in pairs.values() for pair in found for pk in pair}
    values: dict[int, dict[str, str]] = defaultdict(dict)
    for assessment_id, code, level, value in Rating.objects.filter(
        assessment_id__in=wanted
    ).values_list("assessment_id", "statement__competency__code", "statement__level", "value"):
        values[assessment_id][f"{code}/L{level}"] = value

    now = timezone.now()
    EffectivenessSummary.objects.filter(session__course=course).delete()
    EffectivenessCohort.objects.filter(session__course=course).delete()
    rows, cohorts, total = [], [], 0
    for session in sessions:
        found = pairs[session.pk]
        total += len(found)
        cohorts.append(EffectivenessCohort(session=session, people=len(found), refreshed_at=now))
        for key in keys:
            before_counts, after_counts, up, down, people = Counter(), Counter(), 0, 0, 0
            for before_id, after_id in found:
                was, now_value = values[before_id].get(key), values[after_id].get(key)
                if was is None or now_value is None:
                    continue
                people += 1
                before_counts[was] += 1
                after_counts[now_value] += 1
                up += VALUE_RANK[now_value] > VALUE_RANK[was]
                down += VALUE_RANK[now_value] < VALUE_RANK[was]
            rows.append(
                EffectivenessSummary(
                    session=session,
                    statement_key=key,
                    people=people,
                    before=[before_counts[v] for v in RANKED],
                    after=[after_counts[v] for v in RANKED],
                    moved_up=up,
                    moved_down=down,
                    refreshed_at=now,
                )
            )
    EffectivenessCohort.objects.bulk_create(cohorts)
    EffectivenessSummary.objects.bulk_create(rows)
    return total


def effectiveness_refresh_all() -> int:
    """Refresh every course some attendee has consented for; returns how many."""
    scopes = (
        Consent.objects.filter(purpose=Consent.Purpose.COURSE_EFFECTIVENESS)
        .values_list("scope", flat=True)
        .distinct()
    )
    ids = {int(s.split(":", 1)[1]) for s in scopes if s.startswith("course:") and s[7:].isdigit()}
    courses = Course.objects.filter(pk__in=ids)
    for course in courses:
        effectiveness_refresh(course=course)
    return len(ids)
