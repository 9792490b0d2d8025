"""Open Badges 3.0 credentials issued for register entries, and the keys that signed them.

The private key never enters the database: it comes from the environment or a
file (``credentials.keys``). What is kept here is each public key the register
has signed with, so a key that has been rotated out is still published and old
credentials still verify, and one row per credential issued, holding its place
in the status list.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from register.models import RegisterEntry


class SigningKey(models.Model):
    """A public key the register has signed with; published at /.well-known/jwks.json."""

    # The RFC 7638 thumbprint of the public key, so the same key always has the same id.
    kid = models.CharField(max_length=64, unique=True)
    public_jwk = models.JSONField()
    first_used_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["first_used_at", "pk"]

    def __str__(self) -> str:
        return self.kid


class IssuedCredential(models.Model):
    """One credential for one register entry, with its bit in the revocation list.

    A revocation is permanent (the Bitstring Status List says a revoked
    credential never becomes valid again), so an entry that is reinstated or
    renewed is given a new credential with a new bit rather than reviving this one.
    """

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="credentials")
    uuid = models.UUIDField(unique=True)
    status_index = models.PositiveIntegerField(unique=True)
    # Salts the hash of the email address in the credential, so the hash cannot be
    # looked up in a list of addresses.
    salt = models.CharField(max_length=32)
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("issued credential")
        verbose_name_plural = _("issued credentials")
        ordering = ["-issued_at", "-pk"]
        indexes = [
            # The status list: every revoked credential's index.
            models.Index(
                fields=["status_index"],
                condition=Q(revoked_at__isnull=False),
                name="credential_revoked_idx",
            ),
            # A download: the entry's current credential.
            models.Index(fields=["entry", "-issued_at"], name="credential_entry_idx"),
        ]

    def __str__(self) -> str:
        return f"Credential {self.pk} for entry {self.entry_id}"
