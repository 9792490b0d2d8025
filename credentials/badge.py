"""What an Open Badges 3.0 credential for a register entry says, as plain JSON.

The credential is an ``OpenBadgeCredential`` (VC Data Model 2.0). Its achievement
is recognition at one level of one framework version, aligned to the framework
and to every statement the application was judged against, by the statement's
stable key (competency code and level, e.g. ``1.01/L2``), so the framework
itself is the alignment target. The subject is named by registration number
and display name; the email address appears only salted and hashed.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from imhcf.models import FrameworkVersion, Level

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
FRAMEWORK_NAME = "UK Infant Mental Health Competency Framework"


def absolute(path: str) -> str:
    return settings.IMHCF_PUBLIC_BASE_URL.rstrip("/") + path


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def valid_until_for(entry) -> datetime:
    """The last second of the entry's valid-until day, UTC, as the credential's expiry."""
    return datetime.combine(entry.valid_until, time(23, 59, 59), tzinfo=UTC)


def issuer_profile() -> dict:
    return {
        "id": absolute(reverse("credentials:issuer")),
        "type": ["Profile"],
        "name": str(settings.SITE_NAME),
        "url": absolute("/"),
        "description": _(
            "The Infant Mental Health Recognition Register, which recognises practitioners "
            "against the UK Infant Mental Health Competency Framework."
        ),
    }


def issuer_document() -> dict:
    """The issuer's public profile, served at its id."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        **issuer_profile(),
        "otherIdentifier": [
            {
                "type": "IdentifierEntry",
                "identifier": absolute(reverse("credentials:jwks")),
                "identifierType": "ext:jwksUri",
            }
        ],
    }


def achievement(version: FrameworkVersion, level: Level, statements) -> dict:
    """Recognition at ``level`` of ``version``; ``statements`` carry key, code, title, domain."""
    framework = f"{FRAMEWORK_NAME} ({version.name})"
    alignment = [
        {
            "type": ["Alignment"],
            "targetName": framework,
            "targetUrl": absolute(reverse("framework_download_json")),
            "targetCode": version.name,
            "targetFramework": FRAMEWORK_NAME,
            "targetType": "ext:Framework",
        }
    ]
    alignment += [
        {
            "type": ["Alignment"],
            "targetName": f"{s.key} {s.competency_title}",
            "targetUrl": absolute(reverse("framework_domain", args=[s.domain_number])),
            "targetCode": s.key,
            "targetFramework": framework,
            "targetType": "ceasn:Competency",
        }
        for s in statements
    ]
    return {
        "id": absolute(reverse("credentials:achievement", args=[version.pk, level.number])),
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": _("Infant mental health recognition, Level %(n)s: %(name)s")
        % {"n": level.number, "name": level.name},
        "description": level.meaning,
        "criteria": {
            "id": absolute(reverse("framework")),
            "narrative": _(
                "Every statement of the framework up to Level %(n)s was rated Achieved by the "
                "practitioner, backed by evidence, and agreed as met by two reviewers of the "
                "register. The alignments list each statement by its stable key."
            )
            % {"n": level.number},
        },
        "alignment": alignment,
        "humanCode": f"IMHCF-L{level.number}",
        "version": version.name,
        "inLanguage": "en-GB",
        "creator": issuer_profile(),
    }


def email_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def credential_document(issued, *, statements, status_url: str) -> dict:
    """The credential for one ``IssuedCredential``; the same row always gives the same JSON."""
    entry = issued.entry
    application = entry.application
    level = Level.objects.get(version=application.version, number=entry.level)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{issued.uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _("Level %(n)s recognition: %(name)s (%(number)s)")
        % {"n": entry.level, "name": entry.display_name, "number": entry.registration_number},
        "description": _(
            "%(name)s is on the Infant Mental Health Recognition Register at Level %(n)s, "
            "registration number %(number)s."
        )
        % {"n": entry.level, "name": entry.display_name, "number": entry.registration_number},
        "issuer": issuer_profile(),
        "validFrom": iso(issued.issued_at),
        "validUntil": iso(issued.valid_until),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": email_hash(entry.practitioner.email, issued.salt),
                    "salt": issued.salt,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "ext:registeredName",
                    "hashed": False,
                    "identityHash": entry.display_name,
                },
            ],
            "licenseNumber": entry.registration_number,
            "activityStartDate": iso(
                datetime.combine(entry.recognised_on, datetime.min.time(), tzinfo=UTC)
            ),
            "achievement": achievement(application.version, level, statements),
        },
        "credentialStatus": {
            "id": f"{status_url}#{issued.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(issued.status_index),
            "statusListCredential": status_url,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def status_list_document(*, url: str, encoded_list: str, valid_from: datetime) -> dict:
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile(),
        "validFrom": iso(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }
