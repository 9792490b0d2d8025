"""Small readings of a request that every app's views share.

Whether a request came from htmx is ``request.htmx`` (django-htmx's middleware);
these are the rest.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from imhcf.forms_text import parse_id


def safe_next(request: HttpRequest) -> str | None:
    """The ``next`` address in the form or query string, if it is on this site; else None."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def chosen_round(request: HttpRequest, latest: int) -> int:
    """The round asked for with ``?round=``, when it is one of 1 to ``latest``; else ``latest``."""
    number = parse_id(request.GET.get("round"))
    return number if number is not None and 1 <= number <= latest else latest
