"""Abstract bases that models of several apps share (for append-only records, see
``imhcf.append_only``)."""

from django.db import models


class Timestamped(models.Model):
    """A row that knows when it was made and when it was last saved.

    Django stamps both on save; nothing else writes them.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
