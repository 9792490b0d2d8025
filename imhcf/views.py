from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from imhcf import access, glossary, health, opendata, selectors
from imhcf.bilingual import localised


@require_safe
def home(request):
    return render(request, "imhcf/home.html")


@require_safe
@never_cache
def healthz(request):
    usable, checks, worker_last_seen = health.health_report()
    return JsonResponse(
        {
            "status": "ok" if usable else "unavailable",
            "checks": checks,
            "worker_last_seen": worker_last_seen.isoformat() if worker_last_seen else None,
        },
        status=200 if usable else 503,
    )


@require_safe
def framework(request):
    version = access.get_published_version()
    return render(
        request,
        "imhcf/framework.html",
        {
            "version": version,
            "domains": selectors.domains_with_counts(version),
            "levels": selectors.version_levels(version),
        },
    )


@require_safe
def framework_domain(request, number: int):
    version = access.get_published_version()
    domain = access.get_domain_with_statements(version, number)
    numbers = selectors.domain_numbers(version)
    index = numbers.index(domain.number)
    return render(
        request,
        "imhcf/domain.html",
        {
            "version": version,
            "domain": domain,
            "levels": selectors.version_levels(version),
            "marked": glossary.marked_statements(version),
            "previous_number": numbers[index - 1] if index > 0 else None,
            "next_number": numbers[index + 1] if index + 1 < len(numbers) else None,
        },
    )


@require_safe
def framework_glossary(request):
    version = access.get_published_version()
    # A to Z in the reader's language.
    terms = sorted(selectors.glossary_terms(version), key=lambda t: localised(t, "term").casefold())
    letters: dict[str, list] = {}
    for term in terms:
        letters.setdefault(localised(term, "term")[:1].upper(), []).append(term)
    return render(request, "imhcf/glossary.html", {"version": version, "letters": letters})


def _download_name(version, extension: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in ".-" else "-" for ch in version.name)
    return f"imhcf-{safe}.{extension}"


@require_safe
def framework_download_json(request):
    version = access.get_published_version()
    response = JsonResponse(
        opendata.framework_as_dict(version), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = f'inline; filename="{_download_name(version, "json")}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def framework_download_csv(request):
    version = access.get_published_version()
    body = opendata.framework_as_csv(opendata.framework_as_dict(version))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(version, "csv")}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
