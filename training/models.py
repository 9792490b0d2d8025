"""Courses that training providers publish, mapped to the framework, and who attended them.

A provider is a ``workforce.Organisation`` of kind "education and training"
that staff have verified; its active members manage its courses. A course maps
to the statements it covers (``CourseMapping``), and framework staff review
that mapping before the catalogue calls it reviewed; every step of the review
goes through ``training.transitions`` and is kept in ``CourseEvent``.

Attendance is what the provider confirms, by listing attendees' emails or by
a single-use code an attendee redeems. An attendance becomes evidence in one
step; the evidence item then carries the provider's confirmation.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from imhcf.append_only import StepRecord
from imhcf.models import Statement
from imhcf.models_base import Timestamped
from selfassess.models import REGION_CHOICES
from workforce.models import Organisation

NOTE_MAX_LENGTH = 300
COMMENT_MAX_LENGTH = 500


class Course(Timestamped):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        BLENDED = "blended", _("Blended")

    class Status(models.TextChoices):
        """Where the course's mapping to the framework stands with framework staff."""

        DRAFT = "draft", _("Not sent for review")
        IN_REVIEW = "in_review", _("Waiting for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes asked for")
        REVIEWED = "reviewed", _("Mapping reviewed")

    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="courses", verbose_name=_("provider")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=4000)
    mode = models.CharField(_("delivery"), max_length=12, choices=Mode.choices)
    hours = models.DecimalField(
        _("hours of learning"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(2000)],
    )
    status = models.CharField(
        _("mapping review"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published = models.BooleanField(_("shown in the catalogue"), default=False)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="course_hours_not_negative"),
        ]
        indexes = [
            # The catalogue: published courses; the staff queue: courses waiting for review.
            models.Index(fields=["published", "status"], name="course_catalogue_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_reviewed(self) -> bool:
        return self.status == self.Status.REVIEWED

    @property
    def effectiveness_scope(self) -> str:
        """The scope of attendees' consents to this course's effectiveness summary."""
        return f"course:{self.pk}"


class CourseSession(models.Model):
    """One run of a course: dates and a place. Attendance is confirmed per session."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    place = models.CharField(
        _("place"), max_length=200, help_text=_("A venue and town, or “Online”.")
    )
    region = models.CharField(
        _("region"),
        max_length=30,
        choices=REGION_CHOICES,
        blank=True,
        help_text=_("Leave empty for a session held online."),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="session_ends_after_start",
            ),
        ]
        indexes = [
            # Catalogue date and region filters: sessions by first day.
            models.Index(fields=["starts_on", "course"], name="session_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on:%d %b %Y})"

    @property
    def last_day(self):
        return self.ends_on or self.starts_on


class CourseMapping(models.Model):
    """A course covers one statement, with the provider's note on how."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="mappings")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("how the course covers it"), max_length=NOTE_MAX_LENGTH)
    # Carried onto a new framework version whose wording differs in substance:
    # the provider checks the course still covers it.
    needs_check = models.BooleanField(default=False)
    previous_text = models.TextField(_("wording when mapped"), blank=True)

    class Meta:
        verbose_name = _("course mapping")
        verbose_name_plural = _("course mappings")
        constraints = [
            models.UniqueConstraint(fields=["course", "statement"], name="course_mapping_unique"),
        ]
        indexes = [
            # "Courses that cover this gap" and the statement filter: mappings by statement.
            models.Index(fields=["statement", "course"], name="course_mapping_statement_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} -> {self.statement_id}"


# What each step of a course's review history says, by action.
EVENT_LABELS = {
    "publish": _("Published (a mapping not yet reviewed goes for review)"),
    "accept": _("Mapping accepted by framework staff"),
    "request_changes": _("Changes asked for by framework staff"),
    "edit_mapping": _("Mapping changed by the provider"),
    "carry": _("Carried onto a new framework edition"),
    "confirm_mapping": _("Mapping confirmed after a wording change"),
    "unpublish": _("Taken out of the catalogue"),
}


class CourseEvent(StepRecord):
    """Append-only: each step of a course's mapping review, who took it, and why."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20)

    def get_action_label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


class Attendance(models.Model):
    """The provider's word that someone attended one session."""

    class Method(models.TextChoices):
        EMAIL_LIST = "email_list", _("Listed by the provider")
        CODE = "code", _("Attendance code")

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendances")
    # The email the provider listed, or the redeemer's; matched to an account
    # by a verified address when the attendee signs in.
    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="course_attendances",
    )
    method = models.CharField(max_length=12, choices=Method.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    evidence_item = models.OneToOneField(
        "evidence.EvidenceItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="course_attendance",
    )
    feedback_given = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "email"]
        constraints = [
            models.UniqueConstraint(
                "session", Lower("email"), name="attendance_one_per_session_email"
            ),
        ]
        indexes = [
            # "My courses": a person's attendances, by account or by listed address.
            models.Index(fields=["user"], name="attendance_user_idx"),
            models.Index(Lower("email"), name="attendance_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} at {self.session_id}"


class AttendanceCode(models.Model):
    """A single-use code the provider hands to one attendee of one session."""

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=20, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    attendance = models.OneToOneField(
        Attendance, on_delete=models.SET_NULL, null=True, blank=True, related_name="code"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attendance code")
        verbose_name_plural = _("attendance codes")
        ordering = ["issued_at", "pk"]

    def __str__(self) -> str:
        return self.code


class Feedback(models.Model):
    """An attendee's anonymous rating and comment: no link to the person is kept."""

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(
        _("how useful was it"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    # A month, not a moment: a timestamp next to the attendance list would say who wrote it.
    month = models.DateField()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"


class EffectivenessSummary(models.Model):
    """Before-and-after ratings on one mapped statement for one cohort, refreshed in the background.

    Rows hold counts of consenting attendees only; whether a row may be shown
    is decided where it is read (``selectors.effectiveness_for``).
    """

    session = models.ForeignKey(
        CourseSession, on_delete=models.CASCADE, related_name="effectiveness"
    )
    statement_key = models.CharField(max_length=12)
    people = models.PositiveIntegerField()
    # Counts by rating (not started, working towards, achieved), before and after.
    before = models.JSONField(default=list)
    after = models.JSONField(default=list)
    moved_up = models.PositiveIntegerField(default=0)
    moved_down = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "statement_key"], name="effectiveness_one_per_statement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.statement_key}: {self.people}"


class EffectivenessCohort(models.Model):
    """How many consenting attendees of one session had a snapshot before and after."""

    session = models.OneToOneField(
        CourseSession, on_delete=models.CASCADE, related_name="effectiveness_cohort"
    )
    people = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.session_id}: {self.people}"
