"""Requests people make about their own data: a copy of it, or its erasure.

Each request is kept after it is carried out, as the record that it was: who
asked, through which channel, who acted on it for them, and when it was done.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataRequest(models.Model):
    class Kind(models.TextChoices):
        EXPORT = "export", _("A copy of all their data")
        ERASURE = "erasure", _("Closing the account and erasing data")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online, by the person")
        POST = "post", _("By post or email, entered by staff")

    class Status(models.TextChoices):
        PENDING = "pending", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="data_requests",
        verbose_name=_("whose data"),
    )
    kind = models.CharField(_("request"), max_length=10, choices=Kind.choices)
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("For a request by post: the letter's date and any reference it gives."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    # An erasure waits out the cooling-off period until this moment.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    document = models.ForeignKey(
        "evidence.DocumentJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    downloaded_at = models.DateTimeField(null=True, blank=True)
    # For an erasure: what was deleted and what was kept, with the legal basis for keeping it.
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"],
                condition=Q(kind="erasure", status="pending"),
                name="datarequest_one_pending_erasure",
            ),
        ]
        indexes = [
            # The erasure sweep: pending erasures whose cooling-off has ended.
            models.Index(
                fields=["due_at"],
                condition=Q(kind="erasure", status="pending"),
                name="datarequest_erasure_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.subject_id} ({self.status})"
