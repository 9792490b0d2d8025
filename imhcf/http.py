"""Small readings of a request that every app's views share.

Whether a request came from htmx is ``request.htmx`` (django-htmx's middleware);
these are the rest, the one form-page idiom (``form_page``, and ``form_rendered`` for a
page that answers 400 when its form was turned down) and the one way a
button's POST shows a service's refusal (``refusal_shown``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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


T = TypeVar("T")


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    refusal: type[Exception] | tuple[type[Exception], ...],
    then: Callable[[T], HttpResponse],
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    done: str | Callable[[T], str] | None = None,
) -> HttpResponse:
    """The form page every app has: GET shows the form, a valid POST calls one service.

    ``save(form.cleaned_data)`` calls the service; a ``refusal`` it raises becomes an
    error at the top of the form, or where the form's own ``add_service_error(message)``
    puts it. Otherwise ``done`` (a message, or a function of what ``save`` returned) is
    shown and ``then(result)`` answers, usually a redirect. A form with errors answers
    400, with ``form`` and ``context`` in ``template``; a ``context`` that is a function
    is called only then, so a successful POST does not pay for the page's queries.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except refusal as exc:
            place = getattr(form, "add_service_error", None)
            if place is not None:
                place(str(exc))
            else:
                form.add_error(None, str(exc))
        else:
            if done is not None:
                messages.success(request, done(result) if callable(done) else done)
            return then(result)
    extra = context() if callable(context) else context or {}
    return form_rendered(request, template, {"form": form, **extra})


def form_rendered(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A page showing ``context["form"]``: 400 when that form was turned down, else 200."""
    return render(request, template, context, status=400 if context["form"].errors else 200)


@dataclass
class Attempt:
    ok: bool = False


@contextmanager
def refusal_shown(
    request: HttpRequest,
    *,
    refusal: type[Exception] | tuple[type[Exception], ...],
    form: forms.BaseForm | None = None,
    success: str = "",
) -> Iterator[Attempt]:
    """Run one service inside: a ``refusal`` it raises is shown, and ``attempt.ok`` stays False.

    The refusal becomes an error on ``form`` when the page shows one again, otherwise an
    error message; when nothing is refused, ``success`` (if any) is the message.
    """
    attempt = Attempt()
    try:
        yield attempt
    except refusal as exc:
        if form is not None:
            form.add_error(None, str(exc))
        else:
            messages.error(request, str(exc))
        return
    attempt.ok = True
    if success:
        messages.success(request, success)
