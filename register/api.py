"""A read-only JSON API for employers' checks (issue 14, part 4).

``GET /api/v1/register/<number>`` answers with the public fields only: name,
level, status, restrictions and valid-until date, as the verify page shows
them. Someone who is not currently registered is never named. Answers carry an
ETag (a client that sends ``If-None-Match`` gets 304 while nothing changed)
and ``Cache-Control: no-cache``, so a suspension shows on the next check. The
OpenAPI description is written out here by hand: two small operations, and a
document the tests check the API against with schemathesis.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from imhcf.ratelimits import limited
from register.forms_public import canonical_number
from register.selectors import public as selectors

V = selectors.Verdict
# The verdict, in the API's words.
STATUS = {
    V.REGISTERED: "registered",
    V.EXPIRED: "expired",
    V.NOT_REGISTERED: "not_registered",
}


def entry_payload(number: str) -> dict | None:
    """The public record for a canonical ``number``; None when no one ever had it."""
    verdict = selectors.verdict_for(number)
    if verdict.state == V.UNKNOWN:
        return None
    entry = verdict.entry
    if verdict.state == V.RESTRICTED:
        status = "suspended" if entry.status == "suspended" else "registered_with_conditions"
    else:
        status = STATUS[verdict.state]
    shown = verdict.is_registered
    return {
        "registration_number": number,
        "status": status,
        "registered": shown,
        "name": entry.display_name if shown else None,
        "level": entry.level if shown else None,
        "restrictions": (entry.restriction or None) if shown else None,
        "valid_until": entry.valid_until.isoformat() if shown else None,
    }


def _rate() -> str:
    return settings.IMHCF_API_RATE


def _json(data, *, status: int = 200, request: HttpRequest | None = None) -> HttpResponse:
    body = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request is not None and status == 200:
        sent = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
        if etag in sent or "*" in sent:
            response = HttpResponse(status=304)
            response["ETag"] = etag
            response["Cache-Control"] = "no-cache"
            return response
    response = HttpResponse(body, status=status, content_type="application/json")
    if status == 200:
        response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


def _rate_limited(request, *args, **kwargs):
    return JsonResponse(
        {"detail": "Too many requests from this address; wait and try again."}, status=429
    )


# Read-only, and it reads no session: CSRF protects nothing here, and exempting it lets an
# unsupported method get its 405 (the middleware would answer 403 first).
@csrf_exempt
@require_safe
@limited("api", _rate, template=None, on_limit=_rate_limited)
def register_entry(request: HttpRequest, number: str) -> HttpResponse:
    canonical = canonical_number(number)
    payload = entry_payload(canonical) if canonical else None
    if payload is None:
        return _json({"detail": "No register entry has this number."}, status=404)
    return _json(payload, request=request)


@csrf_exempt
@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    return _json(OPENAPI)


_NULLABLE_STRING = {"type": ["string", "null"]}
OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "IMHCF Register checks",
        "version": "1.0.0",
        "description": (
            "Read-only checks of the Infant Mental Health Recognition Register: what the "
            "public register says about one registration number. Someone not currently "
            "registered is never named. Send If-None-Match with the ETag of an earlier "
            "answer to get 304 while nothing has changed."
        ),
    },
    "paths": {
        "/api/v1/register/{number}": {
            "get": {
                "operationId": "getRegisterEntry",
                "summary": "What the register says about one registration number",
                "parameters": [
                    {
                        "name": "number",
                        "in": "path",
                        "required": True,
                        "description": "A registration number, such as IMH-123456-7.",
                        "schema": {"type": "string", "maxLength": 40},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The number is or was on the register.",
                        "headers": {"ETag": {"schema": {"type": "string"}}},
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Entry"}}
                        },
                    },
                    "304": {"description": "Unchanged since the ETag sent in If-None-Match."},
                    "404": {
                        "description": "Not a registration number, or one nobody has held.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                    "429": {
                        "description": "Too many requests from this address.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Entry": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "registration_number",
                    "status",
                    "registered",
                    "name",
                    "level",
                    "restrictions",
                    "valid_until",
                ],
                "properties": {
                    "registration_number": {"type": "string", "pattern": r"^IMH-\d{6}-\d$"},
                    "status": {
                        "type": "string",
                        "enum": [
                            "registered",
                            "registered_with_conditions",
                            "suspended",
                            "expired",
                            "not_registered",
                        ],
                    },
                    "registered": {
                        "type": "boolean",
                        "description": "True for registered, with conditions, and suspended.",
                    },
                    "name": _NULLABLE_STRING,
                    "level": {"type": ["integer", "null"], "minimum": 1, "maximum": 3},
                    "restrictions": _NULLABLE_STRING,
                    "valid_until": {"type": ["string", "null"], "format": "date"},
                },
            },
            "Error": {
                "type": "object",
                "required": ["detail"],
                "properties": {"detail": {"type": "string"}},
            },
        }
    },
}
