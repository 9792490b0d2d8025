"""Courses, sessions, their mapping to the framework and its review, and carrying mappings
across framework editions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imhcf.forms_text import refuse_nul
from imhcf.models import FrameworkVersion, Statement
from imhcf.selectors import published_version
from imhcf.wording import wording_changed
from selfassess.matching import statement_key
from training.errors import TrainingError
from training.models import (
    NOTE_MAX_LENGTH,
    Course,
    CourseMapping,
    CourseSession,
)
from training.transitions import course_transition
from workforce.models import Organisation

S = Course.Status
COURSE_FIELDS = ("title", "summary", "mode", "hours")
SESSION_FIELDS = ("starts_on", "ends_on", "place", "region")


def clean_text(value: str, *, label: str, max_length: int, required: bool = True) -> str:
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
        int(pk): clean_text(note, label=_("How the course covers it"), max_length=NOTE_MAX_LENGTH)
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
    comment = clean_text(comment, label=_("Comment"), max_length=2000, required=False)
    return _mapping_review(course, reviewer, comment, action="accept", status=S.REVIEWED)


def mapping_review_request_changes(*, course: Course, reviewer, comment: str) -> Course:
    comment = clean_text(comment, label=_("What needs to change"), max_length=2000)
    return _mapping_review(
        course, reviewer, comment, action="request_changes", status=S.CHANGES_REQUESTED
    )


def _mapping_review(course: Course, reviewer, comment: str, *, action: str, status: str) -> Course:
    def effect(locked: Course) -> str:
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        return locked.status

    return course_transition(
        course_id=course.pk, action=action, actor=reviewer, effect=effect, reason=comment
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
    version = version or published_version()
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


@transaction.atomic
def session_delete(*, session: CourseSession) -> None:
    """Remove a session entered by mistake; one with confirmed attendance stays."""
    session = CourseSession.objects.select_for_update().get(pk=session.pk)
    if session.attendances.exists():
        raise TrainingError(
            _(
                "Attendance is confirmed for this session, so it cannot be removed. "
                "Remove the attendees first if the session never took place."
            )
        )
    session.delete()
