"""Rate limits for pages anyone can reach without signing in (referee links, concerns, the API).

django-ratelimit counts requests per client address in the cache (Redis in
production, so the count holds across workers). The address is found as
allauth finds it, so ``IMHCF_TRUSTED_PROXY_COUNT`` applies here too.
"""

from __future__ import annotations

from functools import wraps

from allauth.core.internal.ratelimit import get_ip
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def client_address(_group, request) -> str:
    return get_ip(request)


def limited(
    group: str,
    rate,
    *,
    methods=("GET", "HEAD", "POST"),
    template="429_public.html",
    on_limit=None,
):
    """Answer 429 once a client address has made more than ``rate`` requests in ``group``.

    ``rate`` is "N/period" (s, m, h or d) or a callable returning one, so a
    setting read per request can be changed in tests. ``on_limit`` answers
    instead of the page (an API answers in JSON).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            chosen = rate() if callable(rate) else rate
            if is_ratelimited(
                request,
                group=group,
                key=client_address,
                rate=chosen,
                method=list(methods),
                increment=True,
            ):
                if on_limit is not None:
                    return on_limit(request, *args, **kwargs)
                return render(request, template, status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
