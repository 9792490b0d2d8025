"""The Open Badges 3.0 credential: its content, its signature and its status."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import jwt as pyjwt
import pytest
from django.urls import reverse

from credentials import keys, services
from credentials.models import IssuedCredential, SigningKey
from credentials.status import LIST_BITS, bit_is_set, bitstring_decode, bitstring_encode
from credentials.verification import verify
from register.services import entries

SCHEMA = json.loads(
    (Path(__file__).parent / "schema" / "ob_v3p0_achievementcredential_schema.json").read_text()
)


def _issue(entry):
    return services.credential_for_entry(entry=entry, practitioner=entry.practitioner)


def _verify_with_pyjwt(token: str, client) -> dict:
    """An independent verifier: PyJWT, with the key found in the published key set by kid."""
    jwks = client.get(reverse("credentials:jwks")).json()
    kid = pyjwt.get_unverified_header(token)["kid"]
    matching = [k for k in jwks["keys"] if kid.endswith("#" + k["kid"])]
    assert len(matching) == 1
    key = pyjwt.PyJWK(matching[0])
    return pyjwt.decode(
        token,
        key.key,
        algorithms=["EdDSA"],
        issuer="https://register.example.org/register/credentials/issuer/",
    )


def _status_bit(client, index: int) -> bool:
    token = client.get(reverse("credentials:status_list")).content.decode()
    status_list = _verify_with_pyjwt(token, client)
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = status_list["credentialSubject"]
    assert subject["statusPurpose"] == "revocation"
    return bit_is_set(bitstring_decode(subject["encodedList"]), index)


def test_credential_verifies_in_pyjwt_and_is_an_open_badge(entry, client):
    token = services.credential_jwt(_issue(entry))

    claims = _verify_with_pyjwt(token, client)

    header = pyjwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    assert "OpenBadgeCredential" in claims["type"]
    assert claims["credentialSubject"]["licenseNumber"] == entry.registration_number
    assert claims["exp"] > datetime.now(UTC).timestamp()


def test_credential_is_valid_against_the_open_badges_schema(entry):
    document = services.credential_json(_issue(entry))

    validator = jsonschema.Draft201909Validator(
        SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_schema_refuses_a_credential_without_its_achievement(entry):
    document = services.credential_json(_issue(entry))
    del document["credentialSubject"]["achievement"]

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft201909Validator)


def test_achievement_is_aligned_to_the_framework_version_and_each_statement_key(entry):
    document = services.credential_json(_issue(entry))

    achievement = document["credentialSubject"]["achievement"]
    codes = [a["targetCode"] for a in achievement["alignment"]]
    version = entry.application.version
    assert codes[0] == version.name
    assert achievement["version"] == version.name
    statement_keys = codes[1:]
    # Two domains of two competencies at Levels 1 and 2: eight statements, each by its key.
    assert len(statement_keys) == 8
    assert all(key.endswith(("/L1", "/L2")) for key in statement_keys)
    expected = set(entry.application.dossier_statements.values_list("key", flat=True))
    assert set(statement_keys) == expected


def test_email_is_only_in_the_credential_salted_and_hashed(entry):
    text = json.dumps(services.credential_json(_issue(entry)))

    assert entry.practitioner.email not in text
    assert "sha256$" in text


def test_a_second_download_reuses_the_credential_and_signs_the_same_bytes(entry):
    first = _issue(entry)
    second = _issue(entry)

    assert first.pk == second.pk
    assert services.credential_jwt(first) == services.credential_jwt(second)


def test_suspending_the_entry_flips_its_status_bit(entry, admin_user, client):
    issued = _issue(entry)
    token = services.credential_jwt(issued)
    assert _status_bit(client, issued.status_index) is False
    assert verify(token).state == "valid"

    entries.entry_suspend(
        entry=entry, admin=admin_user, restriction="Not to practise unsupervised", reason="Concern"
    )

    assert _status_bit(client, issued.status_index) is True
    verdict = verify(token)
    assert verdict.state == "revoked"
    assert "revoked" in verdict.headline


@pytest.mark.parametrize("action", ["remove", "lapse"])
def test_removal_and_lapse_revoke_too(entry, admin_user, client, action):
    issued = _issue(entry)

    if action == "remove":
        entries.entry_remove(entry=entry, admin=admin_user, reason="Struck off")
    else:
        type(entry).objects.filter(pk=entry.pk).update(
            valid_until=entry.valid_until - timedelta(days=800)
        )
        assert entries.entries_lapse() == 1

    assert _status_bit(client, issued.status_index) is True


def test_a_reinstated_entry_gets_a_new_credential_and_the_old_stays_revoked(
    entry, admin_user, client
):
    old = _issue(entry)
    entries.entry_suspend(entry=entry, admin=admin_user, restriction="Paused", reason="Concern")
    entries.entry_reinstate(entry=entry, admin=admin_user, reason="Resolved")
    entry.refresh_from_db()

    new = _issue(entry)

    assert new.pk != old.pk
    assert _status_bit(client, old.status_index) is True
    assert _status_bit(client, new.status_index) is False


def test_a_changed_credential_fails_the_signature_check(entry):
    token = services.credential_jwt(_issue(entry))
    header, payload, signature = token.split(".")
    claims = json.loads(pyjwt.utils.base64url_decode(payload))
    claims["credentialSubject"]["licenseNumber"] = "IMH-999999-9"
    forged = pyjwt.utils.base64url_encode(json.dumps(claims).encode()).decode()

    verdict = verify(f"{header}.{forged}.{signature}")

    assert verdict.state == "bad_signature"


def test_a_credential_signed_with_another_key_is_not_ours(entry):
    from joserfc.jwk import OKPKey

    document = services.credential_json(_issue(entry))
    stranger = OKPKey.generate_key("Ed25519")
    token = services.sign(document, stranger, "https://elsewhere.example/jwks#x")

    assert verify(token).state == "unknown_key"


def test_expired_credential_says_so(entry):
    token = services.credential_jwt(_issue(entry))

    verdict = verify(token, now=datetime.now(UTC) + timedelta(days=800))

    assert verdict.state == "expired"


def test_the_json_download_is_recognised_but_said_to_carry_no_signature(entry):
    issued = _issue(entry)
    document = services.credential_json(issued)

    assert verify(json.dumps(document)).state == "valid"
    document["credentialSubject"]["licenseNumber"] = "IMH-999999-9"
    assert verify(json.dumps(document)).state == "unsigned"


@pytest.mark.parametrize("text", ["", "not a credential", "a.b", "{", "[1]", "x.y.z"])
def test_unreadable_input_is_told_plainly(db, text):
    assert verify(text).state in {"unreadable", "unknown_key"}


def test_rotated_key_stays_published_and_old_credentials_still_verify(
    entry, client, signing_key_file
):
    issued = _issue(entry)
    old_token = services.credential_jwt(issued)
    old_kid = SigningKey.objects.get().kid

    signing_key_file.unlink()
    keys._load.cache_clear()
    new_token = services.credential_jwt(issued)

    published = [k["kid"] for k in client.get(reverse("credentials:jwks")).json()["keys"]]
    assert len(published) == 2 and old_kid in published
    assert SigningKey.objects.get(kid=old_kid).retired_at is not None
    assert (
        _verify_with_pyjwt(old_token, client)["jti"] == _verify_with_pyjwt(new_token, client)["jti"]
    )
    assert verify(old_token).state == "valid"


def test_bitstring_round_trip_sets_exactly_the_given_bits():
    bits = bitstring_decode(bitstring_encode({0, 7, 8, LIST_BITS - 1}))

    assert len(bits) * 8 == LIST_BITS
    assert [i for i in (0, 1, 7, 8, 9, LIST_BITS - 1) if bit_is_set(bits, i)] == [
        0,
        7,
        8,
        LIST_BITS - 1,
    ]
    assert bits[0] == 0b10000001


def test_status_indices_are_unique(entry):
    issued = _issue(entry)

    assert IssuedCredential.objects.filter(status_index=issued.status_index).count() == 1


def test_schema_check_reads_the_dates(entry):
    document = services.credential_json(_issue(entry))
    document["validFrom"] = "the second of December"
    validator = jsonschema.Draft201909Validator(
        SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )

    assert any(error.path[-1] == "validFrom" for error in validator.iter_errors(document))


def test_a_development_key_is_made_once_and_readable_only_by_its_owner(db, signing_key_file):
    assert not signing_key_file.exists()

    first = keys.private_key().thumbprint()
    keys.key_generate_file(signing_key_file)  # a second process arriving late
    keys._load.cache_clear()

    assert keys.private_key().thumbprint() == first
    assert signing_key_file.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in signing_key_file.parent.iterdir()] == [signing_key_file.name]
