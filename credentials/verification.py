"""Checking a credential someone pastes or uploads, and saying what it proves.

Three questions, each answered in plain words: is it signed by one of the
register's keys and unchanged since; is it within its dates; has the register
revoked it. The status is read from the register's own records, the same ones
the public status list is made from.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from credentials import badge
from credentials.keys import public_jwk_for
from credentials.models import IssuedCredential
from credentials.services import ALGORITHM, credential_json, revoked_indices

ENVELOPED_PREFIX = "data:application/vc+jwt,"


@dataclass
class Check:
    passed: bool
    text: str


@dataclass
class Verdict:
    """``state`` is one of: valid, revoked, expired, not_yet_valid, bad_signature,
    unknown_key, unsigned, unreadable, not_ours."""

    state: str
    headline: str
    checks: list[Check] = field(default_factory=list)
    credential: dict | None = None

    @property
    def is_valid(self) -> bool:
        return self.state == "valid"

    @property
    def subject(self) -> dict:
        subject = (self.credential or {}).get("credentialSubject") or {}
        achievement = subject.get("achievement") or {}
        names = [
            i.get("identityHash")
            for i in subject.get("identifier") or []
            if isinstance(i, dict) and not i.get("hashed")
        ]
        return {
            "name": names[0] if names else "",
            "number": subject.get("licenseNumber", ""),
            "achievement": achievement.get("name", ""),
            "version": achievement.get("version", ""),
            "valid_until": _parse_time((self.credential or {}).get("validUntil")),
        }


def _parse_time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _unreadable() -> Verdict:
    return Verdict(
        "unreadable",
        _(
            "This is not a credential this page can read. Paste the whole of the .jwt file "
            "(three parts separated by dots) or the .json file."
        ),
    )


def verify(text: str, *, now: datetime | None = None) -> Verdict:
    now = now or datetime.now(UTC)
    text = (text or "").strip()
    if not text:
        return _unreadable()
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            return _unreadable()
        if not isinstance(document, dict):
            return _unreadable()
        enveloped = document.get("id")
        if isinstance(enveloped, str) and enveloped.startswith(ENVELOPED_PREFIX):
            return _verify_jwt(enveloped[len(ENVELOPED_PREFIX) :], now)
        return _verify_unsigned(document, now)
    return _verify_jwt(text, now)


def _verify_jwt(token: str, now: datetime) -> Verdict:
    if token.count(".") != 2 or len(token) > 500_000:
        return _unreadable()
    try:
        header = jws.extract_compact(token.encode()).protected
    except (JoseError, ValueError, TypeError):
        return _unreadable()
    kid = str(header.get("kid") or "").rsplit("#", 1)[-1]
    public = public_jwk_for(kid) if kid else None
    if public is None:
        return Verdict(
            "unknown_key",
            _(
                "This credential was not signed by the IMHCF Register: its key is not one the "
                "register has ever published. It proves nothing about registration here."
            ),
            [Check(False, _("Signature: not made with any of the register's keys."))],
        )
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*EdDSA.*")
            token_obj = jwt.decode(token, OKPKey.import_key(public), algorithms=[ALGORITHM])
    except (JoseError, ValueError, TypeError):
        return Verdict(
            "bad_signature",
            _(
                "This credential has been changed since the register signed it, or the "
                "signature is damaged. Do not rely on it."
            ),
            [Check(False, _("Signature: does not match the content."))],
        )
    document = token_obj.claims
    if not _is_ours(document):
        return Verdict("not_ours", _("This is signed, but it is not a register credential."))
    checks = [
        Check(
            True,
            _(
                "Signature: made with the register's key %(kid)s, and nothing has changed "
                "since it was signed."
            )
            % {"kid": kid[:12]},
        )
    ]
    return _dates_and_status(document, now, checks)


def _is_ours(document: dict) -> bool:
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    types = document.get("type") or []
    return issuer_id == badge.issuer_profile()["id"] and "OpenBadgeCredential" in types


def _verify_unsigned(document: dict, now: datetime) -> Verdict:
    """A .json file carries no signature; it can only be compared with the register's records."""
    credential_id = str(document.get("id") or "")
    issued = None
    if credential_id.startswith("urn:uuid:"):
        try:
            issued = (
                IssuedCredential.objects.select_related("entry__application__version")
                .filter(uuid=credential_id.removeprefix("urn:uuid:"))
                .first()
            )
        except Exception:
            issued = None
    if issued is None or credential_json(issued) != _without_claims(document):
        return Verdict(
            "unsigned",
            _(
                "This JSON file does not match any credential the register issued, so it "
                "proves nothing. Ask for the .jwt file, which carries the signature."
            ),
            [Check(False, _("Signature: a .json file has none, and this one is not on record."))],
        )
    checks = [
        Check(
            True,
            _(
                "Record: this JSON file is exactly a credential the register issued. A .json "
                "file carries no signature of its own; the .jwt file can be checked offline."
            ),
        )
    ]
    return _dates_and_status(document, now, checks)


def _without_claims(document: dict) -> dict:
    return {k: v for k, v in document.items() if k not in {"iss", "jti", "nbf", "exp", "iat"}}


def _dates_and_status(document: dict, now: datetime, checks: list[Check]) -> Verdict:
    valid_from = _parse_time(document.get("validFrom"))
    valid_until = _parse_time(document.get("validUntil"))
    state = "valid"
    if valid_from and now < valid_from:
        state = "not_yet_valid"
        checks.append(Check(False, _("Dates: not valid yet.")))
    elif valid_until and now >= valid_until:
        state = "expired"
        checks.append(
            Check(
                False,
                _("Dates: expired on %(day)s.") % {"day": valid_until.strftime("%-d %B %Y")},
            )
        )
    else:
        checks.append(
            Check(
                True,
                _("Dates: within its dates; it expires on %(day)s.")
                % {"day": valid_until.strftime("%-d %B %Y") if valid_until else "-"},
            )
        )
    status = document.get("credentialStatus") or {}
    try:
        index = int(status.get("statusListIndex"))
    except (TypeError, ValueError):
        index = None
    if index is None:
        state = "revoked" if state == "valid" else state
        checks.append(Check(False, _("Status: the credential names no place in a status list.")))
    elif index in set(revoked_indices()):
        state = "revoked"
        checks.append(
            Check(
                False,
                _(
                    "Status: revoked. The registration it records was suspended, removed or "
                    "lapsed, so it no longer shows that the person is registered."
                ),
            )
        )
    else:
        checks.append(Check(True, _("Status: not revoked by the register.")))
    headlines = {
        "valid": _(
            "This is a genuine credential from the IMHCF Register, and it is current. It shows "
            "the person named was registered at the level stated when it was issued and has "
            "not been suspended, removed or lapsed since."
        ),
        "revoked": _(
            "This credential was issued by the register but has been revoked. It does not "
            "show that the person is registered now."
        ),
        "expired": _(
            "This credential was issued by the register but has expired. Check the public "
            "register for the person's current status."
        ),
        "not_yet_valid": _("This credential is not valid yet."),
    }
    return Verdict(state, headlines[state], checks, document)
