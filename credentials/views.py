"""Public credential documents, the practitioner's downloads, and the verify page."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from credentials import badge, services
from credentials.forms import VerifyCredentialForm
from credentials.keys import published_jwks
from credentials.verification import verify
from imhcf.access import pk_or_404
from imhcf.models import FrameworkVersion, Level, LevelNumber, Statement
from register.access import get_entry_for_practitioner
from register.errors import RegisterError

JSON_LD = "application/ld+json"


class AlignedStatement(NamedTuple):
    key: str
    competency_title: str
    domain_number: int


def _json(document: dict, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(services.pretty(document), content_type=content_type)
    # Verifiers in other origins read these documents.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@cache_control(public=True, max_age=300)
def jwks(request):
    response = JsonResponse(published_jwks(), content_type="application/jwk-set+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def issuer(request):
    return _json(badge.issuer_document(), JSON_LD)


@require_safe
@cache_control(public=True, max_age=3600)
def achievement(request, version: int, level: int):
    """The achievement at one level of one version, aligned to the statements it covers."""
    if level not in LevelNumber.values:
        raise Http404
    found = get_object_or_404(
        FrameworkVersion.objects.exclude(status=FrameworkVersion.Status.DRAFT),
        pk=pk_or_404(version),
    )
    level_row = get_object_or_404(Level, version=found, number=level)
    rows = (
        Statement.objects.filter(competency__domain__version=found, level__lte=level)
        .select_related("competency__domain")
        .order_by("competency__domain__number", "competency__code", "level")
    )
    statements = [
        AlignedStatement(
            key=f"{s.competency.code}/L{s.level}",
            competency_title=s.competency.title,
            domain_number=s.competency.domain.number,
        )
        for s in rows
    ]
    document = {"@context": [badge.VC_CONTEXT, badge.OB_CONTEXT]}
    document |= badge.achievement(found, level_row, statements)
    return _json(document, JSON_LD)


@require_safe
@never_cache
def status_list(request):
    """The signed revocation list; never cached, so a suspension shows at once."""
    response = HttpResponse(services.status_list_jwt(), content_type=services.MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _download(request, pk: int, *, as_jwt: bool):
    entry = get_entry_for_practitioner(request.user, pk)
    try:
        issued = services.credential_for_entry(entry=entry, practitioner=request.user)
    except RegisterError as exc:
        messages.error(request, str(exc))
        return redirect("register:application_detail", pk=entry.application_id)
    if as_jwt:
        body, content_type, ext = services.credential_jwt(issued), services.MEDIA_TYPE, "jwt"
    else:
        body, content_type, ext = services.pretty(services.credential_json(issued)), JSON_LD, "json"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="imhcf-credential-{entry.registration_number}.{ext}"'
    )
    return response


# POST: the first download issues the credential (a row with its status list place).
@require_POST
@login_required
def download_jwt(request, pk: int):
    return _download(request, pk, as_jwt=True)


@require_POST
@login_required
def download_json(request, pk: int):
    return _download(request, pk, as_jwt=False)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def verify_credential(request):
    form = VerifyCredentialForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = verify(form.cleaned_data["credential"])
    return render(
        request,
        "credentials/verify.html",
        {"form": form, "verdict": verdict, "checked_at": timezone.localtime()},
    )
