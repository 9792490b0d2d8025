"""The register's Ed25519 signing key and the published set of public keys.

The private key is read from ``IMHCF_CREDENTIAL_SIGNING_KEY`` (PEM or JWK text)
or from the file ``IMHCF_CREDENTIAL_SIGNING_KEY_FILE``. Outside production a key
is made in that file on first use. Rotating is replacing the key: the new one
is recorded the first time it signs, and every key ever used stays published,
so credentials signed with an old key still verify.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from joserfc.jwk import OKPKey

from credentials.models import SigningKey


def _read_key_text() -> str:
    if settings.IMHCF_CREDENTIAL_SIGNING_KEY:
        return settings.IMHCF_CREDENTIAL_SIGNING_KEY
    path = Path(settings.IMHCF_CREDENTIAL_SIGNING_KEY_FILE)
    if not path.exists() and settings.IMHCF_CREDENTIAL_KEY_GENERATE:
        key_generate_file(path)
    try:
        return path.read_text()
    except OSError as exc:
        raise ImproperlyConfigured(f"Cannot read the credential signing key: {exc}") from exc


def key_generate_file(path: Path) -> None:
    """Write a new Ed25519 private key to ``path`` as PEM, readable by its owner only.

    Several processes may start at once with no key (a worker and the web server):
    the key is written whole to a temporary file and linked into place, so the
    first one wins and the others read its key, never a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(OKPKey.generate_key("Ed25519").as_pem(private=True))
        os.chmod(temporary, 0o600)
        # Another process got there first: its key stands.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def parse_private_key(text: str) -> OKPKey:
    text = text.strip()
    try:
        data = json.loads(text) if text.startswith("{") else text.encode()
        key = OKPKey.import_key(data)
    except Exception as exc:
        raise ImproperlyConfigured(
            "The credential signing key is not an Ed25519 private key in PEM or JWK form."
        ) from exc
    if key.curve_name != "Ed25519" or not key.is_private:
        raise ImproperlyConfigured("The credential signing key must be an Ed25519 private key.")
    return key


@lru_cache(maxsize=4)
def _load(text: str) -> OKPKey:
    key = parse_private_key(text)
    key.ensure_kid()
    return key


def private_key() -> OKPKey:
    return _load(_read_key_text())


def public_jwk(key: OKPKey) -> dict:
    return {**key.as_dict(private=False), "kid": key.thumbprint(), "use": "sig", "alg": "EdDSA"}


def signing_key_record(key: OKPKey) -> SigningKey:
    """The published record of ``key``, made the first time it signs a credential."""
    record, created = SigningKey.objects.get_or_create(
        kid=key.thumbprint(), defaults={"public_jwk": public_jwk(key)}
    )
    if created:
        # A new key took over: the others stay published, marked as no longer signing.
        SigningKey.objects.exclude(pk=record.pk).filter(retired_at__isnull=True).update(
            retired_at=timezone.now()
        )
    return record


def published_jwks() -> dict:
    """The current public key and every other the register has signed with.

    Reading this never writes: the current key is shown from the private key
    even before it has signed anything.
    """
    current = public_jwk(private_key())
    others = SigningKey.objects.exclude(kid=current["kid"]).order_by("-first_used_at")
    return {"keys": [current] + [k.public_jwk for k in others]}


def public_jwk_for(kid: str) -> dict | None:
    """The published public key with this id, or None if the register never had it."""
    current = public_jwk(private_key())
    if kid == current["kid"]:
        return current
    record = SigningKey.objects.filter(kid=kid).first()
    return record.public_jwk if record else None
