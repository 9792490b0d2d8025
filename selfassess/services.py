"""Every write to profiles, self-assessments, ratings and the development plan.

Views, the admin and tests call these. Each checks state before acting and
raises ``AssessmentError`` with a sentence the practitioner can read.

Concurrency: a rating save names the revision it was made from and is a
conditional ``UPDATE ... WHERE revision = n``, so of two saves made from the
same revision exactly one wins and the other is refused with the current
value. Saves and completion also take a row lock on the assessment, so a save
cannot land in an assessment that another request has just completed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imhcf.models import FrameworkVersion, Statement
from imhcf.selectors import published_version
from imhcf.wording import wording_changed
from selfassess import extensions, selectors
from selfassess.errors import AssessmentError, StaleRatingError
from selfassess.matching import match_ratings
from selfassess.models import NOTE_MAX_LENGTH, Assessment, Goal, Profile, Rating

IN_PROGRESS = Assessment.Status.IN_PROGRESS
COMPLETED = Assessment.Status.COMPLETED


# --- Profile -----------------------------------------------------------------


@transaction.atomic
def profile_save(
    *,
    user: AbstractBaseUser,
    role: str,
    role_other: str = "",
    service_setting: str,
    sector: str,
    organisation: str,
    nation: str,
    region: str,
    target_level: int,
) -> Profile:
    """Create or update the practitioner's profile."""
    profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(user=user)
    profile.role = role
    profile.role_other = role_other.strip() if role == "other" else ""
    profile.service_setting = service_setting
    profile.sector = sector
    profile.organisation = " ".join(organisation.split())
    profile.nation = nation
    profile.region = region
    profile.target_level = target_level
    try:
        profile.full_clean()
    except ValidationError as exc:
        raise AssessmentError(" ".join(exc.messages)) from exc
    profile.save()
    return profile


# --- Starting, moving and completing ----------------------------------------------


def _published_version() -> FrameworkVersion:
    version = published_version()
    if version is None:
        raise AssessmentError(_("No edition of the framework has been published yet."))
    return version


def _carried_ratings(source: Iterable[Rating], version: FrameworkVersion) -> list[Rating]:
    """Unsaved ratings for every statement of ``version``, carried from ``source``.

    A rating carried onto wording that changed in substance keeps its value
    but is flagged for the practitioner to look at again, with the wording it
    was given against; a rating that was never touched is not worth flagging.
    """
    statements = list(
        Statement.objects.filter(competency__domain__version=version)
        .select_related("competency")
        .order_by()
    )
    matched = match_ratings(source, statements)
    ratings = []
    for statement in statements:
        earlier = matched.get(statement.pk)
        if earlier is None:
            ratings.append(Rating(statement=statement))
            continue
        rated = earlier.value != Rating.Value.NOT_STARTED or bool(earlier.note)
        changed = (
            rated
            and earlier.statement_id != statement.pk
            and wording_changed(earlier.statement.text, statement.text)
        )
        if changed:
            needs_review, previous_text = True, earlier.statement.text
        else:
            needs_review, previous_text = earlier.needs_review, earlier.previous_text
        ratings.append(
            Rating(
                statement=statement,
                value=earlier.value,
                note=earlier.note,
                needs_review=needs_review,
                previous_text=previous_text,
            )
        )
    return ratings


def _source_ratings(assessment: Assessment) -> list[Rating]:
    return list(
        Rating.objects.filter(assessment=assessment).select_related("statement__competency")
    )


@transaction.atomic
def assessment_start(*, user: AbstractBaseUser) -> Assessment:
    """Start a self-assessment on the published version from the last ratings.

    Returns the one already in progress if there is one, so a double click or
    a second tab starts nothing twice.
    """
    existing = Assessment.objects.select_for_update().filter(user=user, status=IN_PROGRESS).first()
    if existing is not None:
        return existing
    version = _published_version()
    source = selectors.last_completed(user)
    ratings = (
        _carried_ratings(_source_ratings(source), version)
        if source is not None
        else _carried_ratings([], version)
    )
    return _create_assessment(user.pk, version, source, ratings)


def _create_assessment(
    user_id: int, version: FrameworkVersion, source: Assessment | None, ratings: list[Rating]
) -> Assessment:
    try:
        # A savepoint: a concurrent start that won the partial unique index
        # leaves this transaction usable to fetch the winner.
        with transaction.atomic():
            assessment = Assessment.objects.create(
                user_id=user_id, version=version, started_from=source
            )
    except IntegrityError:
        return Assessment.objects.get(user_id=user_id, status=IN_PROGRESS)
    for rating in ratings:
        rating.assessment = assessment
    Rating.objects.bulk_create(ratings, batch_size=500)
    return assessment


def _lock(pk: int) -> Assessment:
    """The assessment, row-locked, provided it is still in progress."""
    locked = Assessment.objects.select_for_update().get(pk=pk)
    if locked.status != IN_PROGRESS:
        raise AssessmentError(_completed_message(locked))
    return locked


def _completed_message(assessment: Assessment) -> str:
    return _(
        "This self-assessment was completed on %(date)s and is kept as it was; "
        "it can no longer be changed."
    ) % {"date": date_format(timezone.localtime(assessment.completed_at), "j F Y")}


@transaction.atomic
def assessment_move_to_published(*, assessment: Assessment) -> Assessment:
    """Carry an assessment in progress onto a newly published version."""
    assessment = _lock(assessment.pk)
    version = _published_version()
    if assessment.version_id == version.pk:
        raise AssessmentError(_("Your self-assessment already uses the current edition."))
    ratings = _carried_ratings(_source_ratings(assessment), version)
    Rating.objects.filter(assessment=assessment).delete()
    for rating in ratings:
        rating.assessment = assessment
    Rating.objects.bulk_create(ratings, batch_size=500)
    assessment.version = version
    assessment.save(update_fields=["version"])
    return assessment


@transaction.atomic
def assessment_complete(*, assessment: Assessment, target_level: int | None) -> Assessment:
    """Freeze the assessment as a dated snapshot and start the next from its ratings.

    Returns the completed snapshot. Refused while any carried rating still
    waits to be confirmed against changed wording: a snapshot must never
    silently keep a rating made against different words.
    """
    assessment = _lock(assessment.pk)
    figures = selectors.completion_figures(assessment, target_level)
    waiting = figures.pop("needs_review")
    if waiting:
        raise AssessmentError(
            ngettext(
                "%(n)s rating needs checking because its statement's wording changed. "
                "Confirm or change it before completing.",
                "%(n)s ratings need checking because their statements' wording changed. "
                "Confirm or change them before completing.",
                waiting,
            )
            % {"n": waiting}
        )
    for name, value in figures.items():
        setattr(assessment, name, value)
    assessment.status = COMPLETED
    assessment.completed_at = timezone.now()
    assessment.save()
    version = _published_version()
    _create_assessment(
        assessment.user_id,
        version,
        assessment,
        _carried_ratings(_source_ratings(assessment), version),
    )
    transaction.on_commit(lambda: extensions.assessment_completed(assessment))
    return assessment


# --- Ratings -------------------------------------------------------------------------


@transaction.atomic
def rating_save(*, rating: Rating, value: str, note: str, revision: int) -> Rating:
    """Save one rating if nobody has saved it since ``revision``.

    Saving also confirms a rating flagged after a wording change. Raises
    ``StaleRatingError`` (with the current rating) when another save got
    there first, and ``AssessmentError`` when the assessment is completed.
    """
    if value not in Rating.Value.values:
        raise AssessmentError(_("Choose Not started, Working towards or Achieved."))
    note = " ".join(note.split())
    if len(note) > NOTE_MAX_LENGTH:
        raise AssessmentError(
            _("Keep the note to %(n)s characters or fewer.") % {"n": NOTE_MAX_LENGTH}
        )
    _lock(rating.assessment_id)
    now = timezone.now()
    updated = Rating.objects.filter(pk=rating.pk, revision=revision).update(
        value=value,
        note=note,
        revision=F("revision") + 1,
        needs_review=False,
        previous_text="",
        updated_at=now,
    )
    if not updated:
        current = Rating.objects.get(pk=rating.pk)
        raise StaleRatingError(
            _(
                "Not saved: this rating was changed in another tab or on another device "
                "since you opened the page. It is now “%(current)s”. Your choice was "
                "“%(yours)s”; choose again if you still want it."
            )
            % {
                "current": current.get_value_display(),
                "yours": Rating.Value(value).label,
            },
            current=current,
            value=value,
            note=note,
        )
    rating.value = value
    rating.note = note
    rating.revision = revision + 1
    rating.needs_review = False
    rating.previous_text = ""
    rating.updated_at = now
    return rating


# --- Development plan -------------------------------------------------------------------


def _check_goal(description: str, statements: list[Statement]) -> str:
    description = " ".join(description.split())
    if not description:
        raise AssessmentError(_("Say what you will do."))
    if not statements:
        raise AssessmentError(_("Choose at least one statement this goal works towards."))
    return description


@transaction.atomic
def goal_create(
    *,
    user: AbstractBaseUser,
    description: str,
    activity: str,
    due_date: datetime.date,
    statements: Iterable[Statement],
) -> Goal:
    statements = list(statements)
    description = _check_goal(description, statements)
    goal = Goal.objects.create(
        user=user, description=description, activity=activity, due_date=due_date
    )
    goal.statements.set(statements)
    return goal


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    description: str,
    activity: str,
    due_date: datetime.date,
    progress: str,
    statements: Iterable[Statement],
) -> Goal:
    statements = list(statements)
    goal.description = _check_goal(description, statements)
    goal.activity = activity
    goal.due_date = due_date
    goal.progress = _checked_progress(progress)
    goal.save()
    goal.statements.set(statements)
    return goal


def _checked_progress(progress: str) -> str:
    if progress not in Goal.Progress.values:
        raise AssessmentError(_("Choose Not started, Under way or Done."))
    return progress


def goal_set_progress(*, goal: Goal, progress: str) -> Goal:
    goal.progress = _checked_progress(progress)
    goal.save(update_fields=["progress", "updated_at"])
    return goal


def goal_delete(*, goal: Goal) -> None:
    goal.delete()
