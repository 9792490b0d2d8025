"""A base for records that are written once and never changed: audit trails and the like."""

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
