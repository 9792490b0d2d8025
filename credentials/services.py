"""Issuing, signing and revoking credentials, and the signed status list."""

from __future__ import annotations

import json
import secrets
import uuid
import warnings
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.jwk import OKPKey

from credentials import badge
from credentials.keys import private_key, signing_key_record
from credentials.models import IssuedCredential
from credentials.status import LIST_BITS, bitstring_encode
from register.errors import RegisterError
from register.models import DossierStatement, RegisterEntry

# "EdDSA" is the name every VC and Open Badges verifier reads for Ed25519 today;
# RFC 9864's newer "Ed25519" name is not yet understood by most of them (PyJWT
# included), so joserfc is told to allow it and its deprecation warning is quietened.
ALGORITHM = "EdDSA"
MEDIA_TYPE = "application/vc+jwt"
# The status list's validFrom before any credential exists: a fixed date, so the
# list's text does not change from one request to the next.
STATUS_LIST_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def sign(payload: dict, key: OKPKey, kid: str) -> str:
    header = {"alg": ALGORITHM, "typ": "vc+jwt", "cty": "vc", "kid": kid}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*EdDSA.*")
        return jwt.encode(header, payload, key, algorithms=[ALGORITHM])


def status_list_url() -> str:
    return badge.absolute(reverse("credentials:status_list"))


def kid_uri(kid: str) -> str:
    """The header's key id: the key set's URL with the key's thumbprint as fragment."""
    return badge.absolute(reverse("credentials:jwks")) + "#" + kid


def _jwt_claims(document: dict, valid_from: datetime, valid_until: datetime | None) -> dict:
    # VC-JOSE-COSE: the credential is the payload. The registered claims repeat
    # what it says, so generic JWT tools check the issuer and the dates too.
    claims = {"iss": document["issuer"]["id"], "jti": document["id"]}
    claims["nbf"] = int(valid_from.timestamp())
    if valid_until is not None:
        claims["exp"] = int(valid_until.timestamp())
    return document | claims


def _new_index() -> int:
    taken = set(IssuedCredential.objects.values_list("status_index", flat=True))
    if len(taken) >= LIST_BITS:
        raise RegisterError(_("The status list is full; ask an administrator."))
    while True:
        # Random places: neighbouring bits say nothing about who was registered when.
        index = secrets.randbelow(LIST_BITS)
        if index not in taken:
            return index


def credential_for_entry(*, entry: RegisterEntry, practitioner) -> IssuedCredential:
    """The entry's current credential, issued now if it has none that is still right.

    A credential is reused while it is not revoked and expires when the entry
    does; after a renewal a new one is issued with the new date.
    """
    if entry.practitioner_id != practitioner.pk:
        raise RegisterError(_("Only the registered practitioner can download this credential."))
    if entry.status != RegisterEntry.Status.ACTIVE:
        raise RegisterError(
            _("You are not currently registered under this number, so there is no credential.")
        )
    valid_until = badge.valid_until_for(entry)
    current = (
        IssuedCredential.objects.filter(entry=entry, revoked_at__isnull=True)
        .filter(valid_until=valid_until)
        .select_related("signing_key")
        .first()
    )
    if current is not None:
        return current
    record = signing_key_record(private_key())
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return IssuedCredential.objects.create(
                    entry=entry,
                    uuid=uuid.uuid4(),
                    status_index=_new_index(),
                    salt=secrets.token_hex(16),
                    issued_at=timezone.now().replace(microsecond=0),
                    valid_until=valid_until,
                    signing_key=record,
                )
        except IntegrityError:
            # Another credential took the same index at the same moment: draw again.
            continue
    raise RegisterError(_("The credential could not be issued just now. Please try again."))


def _statements(issued: IssuedCredential):
    application = issued.entry.application
    return DossierStatement.objects.filter(
        application=application, round=application.round
    ).order_by("domain_number", "competency_code", "level")


def credential_json(issued: IssuedCredential) -> dict:
    return badge.credential_document(
        issued, statements=_statements(issued), status_url=status_list_url()
    )


def credential_jwt(issued: IssuedCredential) -> str:
    """The credential, signed now with the current key (a rotated key's credentials re-sign)."""
    key = private_key()
    signing_key_record(key)
    document = credential_json(issued)
    claims = _jwt_claims(document, issued.issued_at, issued.valid_until)
    return sign(claims, key, kid_uri(key.thumbprint()))


def credentials_follow_entry(entry: RegisterEntry, from_status: str, to_status: str) -> None:
    """Entry hook: an entry that stops being active revokes its credentials, for good."""
    if to_status == RegisterEntry.Status.ACTIVE:
        return
    IssuedCredential.objects.filter(entry_id=entry.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revocation_reason=to_status[:20]
    )


def revoked_indices() -> list[int]:
    """Revoked credentials, and those of any entry no longer active.

    The second half is a safety net: an entry whose state changed without the
    transition engine (and so without the hook) still shows as revoked.
    """
    return list(
        IssuedCredential.objects.filter(revoked_at__isnull=False).values_list(
            "status_index", flat=True
        )
    ) + list(
        IssuedCredential.objects.filter(revoked_at__isnull=True)
        .exclude(entry__status=RegisterEntry.Status.ACTIVE)
        .values_list("status_index", flat=True)
    )


def status_list_jwt() -> str:
    key = private_key()
    latest = (
        IssuedCredential.objects.filter(revoked_at__isnull=False)
        .order_by("-revoked_at")
        .values_list("revoked_at", flat=True)
        .first()
    )
    first = IssuedCredential.objects.order_by("issued_at").values_list("issued_at", flat=True)
    valid_from = (latest or first.first() or STATUS_LIST_EPOCH).replace(microsecond=0)
    url = status_list_url()
    document = badge.status_list_document(
        url=url, encoded_list=bitstring_encode(revoked_indices()), valid_from=valid_from
    )
    return sign(_jwt_claims(document, valid_from, None), key, kid_uri(key.thumbprint()))


def pretty(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
