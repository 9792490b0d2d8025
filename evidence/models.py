"""Evidence of competence, its private files, and documents made in the background.

An ``EvidenceItem`` is one activity (a course, supervision, a reflective
account...). It carries dates and hours, so the same rows are the practitioner's
CPD log, and it links to any number of statements. Its hours count once,
whatever and however many statements it evidences.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imhcf.models import Statement
from imhcf.models_base import Timestamped


def evidence_storage_key(instance, filename: str) -> str:
    # A random key: the original name is metadata only and never reaches the storage path.
    return f"evidence/{uuid.uuid4().hex}"


def document_storage_key(instance, filename: str) -> str:
    return f"documents/{uuid.uuid4().hex}.pdf"


class EvidenceItem(Timestamped):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training or course")
        CLINICAL = "clinical", _("Clinical work experience")
        SUPERVISION = "supervision", _("Supervision report")
        REFLECTIVE = "reflective", _("Reflective account")
        OTHER = "other", _("Other")

    # Kinds that may describe clients, so the practitioner confirms de-identification.
    SENSITIVE_KINDS = frozenset({Kind.CLINICAL, Kind.SUPERVISION})

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Only for activities over several days.")
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(2000)],
    )
    provider = models.CharField(_("provider or supervisor"), max_length=200, blank=True)
    description = models.TextField(_("description or reflection"), blank=True, max_length=20000)
    equality_inclusion = models.BooleanField(
        _("covers equality, diversity and inclusion"),
        default=False,
        help_text=_("Counts towards the equality and inclusion hours renewal asks for."),
    )
    deidentified = models.BooleanField(
        _("client-identifying details removed"),
        default=False,
    )
    # Set only by a training provider's confirmation (evidence_attendance_confirm),
    # never by the practitioner's form; cleared when the practitioner changes the
    # dates, hours or provider the confirmation was about.
    attendance_confirmed_by = models.CharField(
        _("attendance confirmed by"), max_length=200, blank=True, editable=False
    )
    attendance_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        ordering = ["-start_date", "-id"]
        indexes = [
            # The evidence list and CPD log: one owner's items in a date range, newest first.
            models.Index(fields=["owner", "-start_date"], name="evidence_owner_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="evidence_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="evidence_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def last_date(self) -> date:
        return self.end_date or self.start_date

    @property
    def attendance_confirmed(self) -> bool:
        return bool(self.attendance_confirmed_by)


class EvidenceFile(models.Model):
    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=evidence_storage_key, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class EvidenceLink(models.Model):
    """One item evidencing one statement, with an optional short justification."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="links")
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="evidence_links"
    )
    justification = models.CharField(_("why this is evidence"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        constraints = [
            models.UniqueConstraint(fields=["item", "statement"], name="evidence_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} -> {self.statement_id}"


class DocumentJob(models.Model):
    """A PDF to be made in the background. This row, not the broker, holds the job's state.

    The broker message only wakes a worker; a sweeper re-queues rows left
    pending or stuck running, so a lost message or a killed worker loses nothing.
    """

    class Kind(models.TextChoices):
        CPD_RECORD = "cpd_record", _("CPD record")
        CERTIFICATE = "certificate", _("Recognition certificate")
        DATA_EXPORT = "data_export", _("All your data")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_jobs"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Set when a worker claims the job; only that claim may finish it.
    claim_token = models.UUIDField(null=True, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to=document_storage_key, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the person last asked for it (made, or tried again): how long they have waited.
    # enqueued_at moves each time the sweeper re-queues the job, so it cannot tell.
    requested_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document job")
        verbose_name_plural = _("document jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweeper: jobs waiting or running since before a cut-off.
            models.Index(
                fields=["status", "enqueued_at"],
                name="docjob_sweep_idx",
                condition=Q(status__in=["pending", "running"]),
            ),
            # A practitioner's recent documents of one kind.
            models.Index(fields=["owner", "kind", "-created_at"], name="docjob_owner_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.RUNNING}

    @property
    def is_delayed(self) -> bool:
        """Still not made after IMHCF_JOB_DELAYED_SECONDS: the person is told it is late."""
        since = self.requested_at or self.created_at
        cutoff = timezone.now() - timedelta(seconds=settings.IMHCF_JOB_DELAYED_SECONDS)
        return self.is_active and since is not None and since < cutoff

    @property
    def period(self) -> tuple[date, date] | None:
        """A CPD record's period as dates, or None when the parameters hold none."""
        try:
            return date.fromisoformat(self.params["start"]), date.fromisoformat(self.params["end"])
        except (KeyError, TypeError, ValueError):
            return None
