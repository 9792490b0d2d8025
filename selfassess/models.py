"""A practitioner's profile, self-assessments, ratings and development plan.

An ``Assessment`` is made against one framework version. Every statement of
that version has exactly one ``Rating`` row from the moment the assessment
starts, so a save is always a conditional ``UPDATE`` of an existing row (see
``services.rating_save``) and never a race to insert. Completing an assessment
freezes it as a dated snapshot; its headline figures are kept on the row so
the history page reads no ratings.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from imhcf.models import FrameworkVersion, LevelNumber, Statement
from imhcf.models_base import Timestamped

NOTE_MAX_LENGTH = 280


class Role(models.TextChoices):
    HEALTH_VISITOR = "health_visitor", _("Health visitor")
    SPECIALIST_HEALTH_VISITOR = "specialist_health_visitor", _("Specialist health visitor")
    MIDWIFE = "midwife", _("Midwife")
    NURSERY_PRACTITIONER = "nursery_practitioner", _("Nursery or early years practitioner")
    NURSERY_MANAGER = "nursery_manager", _("Nursery manager")
    FAMILY_SUPPORT = "family_support", _("Family support worker")
    PERINATAL_NURSE = "perinatal_nurse", _("Perinatal mental health nurse")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    CLINICAL_PSYCHOLOGIST = "clinical_psychologist", _("Clinical psychologist")
    PARENT_INFANT_PSYCHOTHERAPIST = (
        "parent_infant_psychotherapist",
        _("Parent-infant psychotherapist"),
    )
    DOCTOR = "doctor", _("Doctor (for example GP, paediatrician or psychiatrist)")
    TEAM_LEAD = "team_lead", _("Team leader or service manager")
    STUDENT = "student", _("Student or trainee")
    OTHER = "other", _("Other")


class ServiceSetting(models.TextChoices):
    UNIVERSAL = "universal", _("Universal service (for every family)")
    TARGETED = "targeted", _("Targeted service (for families who need extra support)")
    SPECIALIST = "specialist", _("Specialist service (for example a parent-infant team)")


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public sector (for example the NHS or a local authority)")
    PRIVATE = "private", _("Private sector")
    VOLUNTARY = "voluntary", _("Voluntary or charity sector")


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")


# England by its nine regions; the other nations by the areas their health
# services plan in, which is how practitioners there describe where they work.
REGIONS_BY_NATION: dict[str, list[tuple[str, str]]] = {
    Nation.ENGLAND: [
        ("north_east", _("North East")),
        ("north_west", _("North West")),
        ("yorkshire_humber", _("Yorkshire and the Humber")),
        ("east_midlands", _("East Midlands")),
        ("west_midlands", _("West Midlands")),
        ("east_of_england", _("East of England")),
        ("london", _("London")),
        ("south_east", _("South East")),
        ("south_west", _("South West")),
    ],
    Nation.SCOTLAND: [
        ("scotland_north", _("North of Scotland")),
        ("scotland_east", _("East of Scotland")),
        ("scotland_west", _("West of Scotland")),
    ],
    Nation.WALES: [
        ("wales_north", _("North Wales")),
        ("wales_mid_west", _("Mid and West Wales")),
        ("wales_south", _("South Wales")),
    ],
    Nation.NORTHERN_IRELAND: [
        ("ni_belfast", _("Belfast")),
        ("ni_northern", _("Northern")),
        ("ni_south_eastern", _("South Eastern")),
        ("ni_southern", _("Southern")),
        ("ni_western", _("Western")),
    ],
}
REGION_CHOICES = [(Nation(n).label, regions) for n, regions in REGIONS_BY_NATION.items()]
REGION_NATION = {code: nation for nation, rs in REGIONS_BY_NATION.items() for code, _l in rs}
REGION_LABELS = {code: label for regions in REGIONS_BY_NATION.values() for code, label in regions}


def region_label(code: str) -> str:
    """The region as every page names it: with its nation unless the name already says it.

    "Western" alone could be anywhere; "North Wales" needs no "Wales". An unknown code is
    shown as it is.
    """
    label = REGION_LABELS.get(code)
    if label is None:
        return code
    label, nation = str(label), str(Nation(REGION_NATION[code]).label)
    return label if nation in label else f"{label}, {nation}"


def region_errors(region: str, nation: str) -> dict[str, str]:
    """A form error for a region outside the nation chosen with it; none while either is blank.

    Every row that records a nation and a region in it checks them here (profiles,
    organisations, commissioners' areas).
    """
    if region and nation and REGION_NATION.get(region) != nation:
        return {"region": _("Choose a region in the nation you chose.")}
    return {}


class Profile(models.Model):
    """Who the practitioner is at work: asked once, used by every part of the app."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="practitioner_profile",
    )
    role = models.CharField(_("profession or role"), max_length=40, choices=Role.choices)
    role_other = models.CharField(_("your role"), max_length=100, blank=True)
    service_setting = models.CharField(
        _("type of service"), max_length=12, choices=ServiceSetting.choices
    )
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices)
    organisation = models.CharField(_("employer or organisation"), max_length=200)
    nation = models.CharField(_("UK nation"), max_length=20, choices=Nation.choices)
    region = models.CharField(_("region"), max_length=30, choices=REGION_CHOICES)
    target_level = models.PositiveSmallIntegerField(
        _("level you are aiming for"), choices=LevelNumber.choices
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("practitioner profile")
        verbose_name_plural = _("practitioner profiles")

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        errors = region_errors(self.region, self.nation)
        if self.role == Role.OTHER and not self.role_other.strip():
            errors["role_other"] = _("Tell us your role.")
        if errors:
            raise ValidationError(errors)

    @property
    def role_label(self) -> str:
        return self.role_other if self.role == Role.OTHER else self.get_role_display()


class Assessment(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_assessments"
    )
    version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("framework version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    # The completed assessment this one carried its ratings from, if any.
    started_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    # Headline figures frozen at completion, so history reads no rating rows.
    target_level = models.PositiveSmallIntegerField(
        _("target level at completion"), choices=LevelNumber.choices, null=True, blank=True
    )
    statement_count = models.PositiveIntegerField(default=0)
    achieved_count = models.PositiveIntegerField(default=0)
    working_count = models.PositiveIntegerField(default=0)
    target_statement_count = models.PositiveIntegerField(default=0)
    target_achieved_count = models.PositiveIntegerField(default=0)
    # Domain number (as a string: JSON keys) -> highest level fully achieved, 0 for none.
    highest_levels = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-started_at"]
        constraints = [
            # Also the index behind "this user's assessment in progress".
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="in_progress"),
                name="selfassess_one_in_progress_per_user",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress", completed_at__isnull=True)
                | Q(status="completed", completed_at__isnull=False),
                name="selfassess_completed_has_date",
            ),
        ]
        indexes = [
            # History page and "last completed": a user's completed snapshots, newest first.
            models.Index(fields=["user", "status", "-completed_at"], name="selfassess_history_idx"),
        ]

    def __str__(self) -> str:
        if self.completed_at:
            return str(_("Self-assessment completed %(date)s")) % {
                "date": self.completed_at.strftime("%d %B %Y")
            }
        return str(_("Self-assessment in progress"))

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class Rating(models.Model):
    class Value(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        WORKING_TOWARDS = "working_towards", _("Working towards")
        ACHIEVED = "achieved", _("Achieved")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(
        _("rating"), max_length=16, choices=Value.choices, default=Value.NOT_STARTED
    )
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    # Bumped by every save; a save names the revision it was made from and is
    # refused when another tab or device has saved since.
    revision = models.PositiveIntegerField(default=0)
    # Carried from an older version whose wording differs: kept, but shown as
    # needing the practitioner's confirmation.
    needs_review = models.BooleanField(default=False)
    previous_text = models.TextField(_("wording when last rated"), blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            # Its index also serves every read of one assessment's ratings.
            models.UniqueConstraint(
                fields=["assessment", "statement"], name="selfassess_one_rating_per_statement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.get_value_display()}"

    @property
    def rank(self) -> int:
        return VALUE_RANK[self.value]


VALUE_RANK = {
    Rating.Value.NOT_STARTED: 0,
    Rating.Value.WORKING_TOWARDS: 1,
    Rating.Value.ACHIEVED: 2,
}


class Goal(Timestamped):
    """One learning goal in the development plan, aimed at one or more statements."""

    class Activity(models.TextChoices):
        TRAINING = "training", _("Training")
        SUPERVISION = "supervision", _("Supervision")
        READING = "reading", _("Reading")
        OBSERVATION = "observation", _("Observation")
        OTHER = "other", _("Other")

    class Progress(models.TextChoices):
        PLANNED = "planned", _("Not started")
        UNDERWAY = "underway", _("Under way")
        DONE = "done", _("Done")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_goals"
    )
    description = models.CharField(_("what you will do"), max_length=300)
    activity = models.CharField(_("type of activity"), max_length=12, choices=Activity.choices)
    due_date = models.DateField(_("by when"))
    progress = models.CharField(
        _("progress"), max_length=10, choices=Progress.choices, default=Progress.PLANNED
    )
    statements = models.ManyToManyField(Statement, verbose_name=_("statements"), related_name="+")

    class Meta:
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")
        ordering = ["due_date", "pk"]
        indexes = [
            # The plan page: one user's goals in date order.
            models.Index(fields=["user", "due_date"], name="selfassess_goal_user_due_idx"),
        ]

    def __str__(self) -> str:
        return self.description
