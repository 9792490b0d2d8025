"""Bases for records that are written once and never changed: audit trails and the like."""

from django.conf import settings
from django.db import models
from django.utils.text import capfirst


class AppendOnlyModel(models.Model):
    """Refuses, in Python, to update or delete a saved row.

    The database guards the same rows with triggers where it can (see the
    migrations of the models that use this); this catches the mistake earlier
    and on SQLite too.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError(f"{capfirst(self._meta.verbose_name_plural)} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{capfirst(self._meta.verbose_name_plural)} cannot be deleted.")


class StepRecord(AppendOnlyModel):
    """One step of a workflow, kept for good: who took it, from which state to which, and why.

    The register's audit trail (``register.AuditEvent``) and a course's review
    history (``training.CourseEvent``) are both written by a transitions engine
    as rows of this kind. Each subclass adds what its steps are about and its
    ``action``, sized to its own list of steps.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    # Facts the step changed that the row would otherwise lose, such as the
    # restriction text the public register showed before a reinstatement.
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} -> {self.to_status}"
