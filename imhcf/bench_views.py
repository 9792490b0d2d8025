"""Baselines for bench/: the cheapest view the stack can serve, GET and POST.

Mounted only when IMHCF_BENCH_ENDPOINTS is on, never in production.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET, require_POST


@require_GET
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def trivial_post(request):
    # Goes through the same middleware as a real save, CSRF check included.
    return HttpResponse("ok", content_type="text/plain")
