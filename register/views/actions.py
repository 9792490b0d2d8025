"""What the register's views share about actions: the forms a page offers, and a refusal shown.

``action_forms`` builds a page's action forms, keeping the one that was posted
with its errors; ``form_page`` answers 400 for a page whose form was turned down.
Services raise ``RegisterError`` when the state or the rules refuse an action.
A view runs the service inside ``refusal_shown``: a refusal becomes an error on
the form the page shows again (or a message, when there is no form), and
otherwise the success message, if any, is added.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from register.errors import RegisterError


@dataclass
class Attempt:
    ok: bool = False


@contextmanager
def refusal_shown(request: HttpRequest, form=None, *, success: str = "") -> Iterator[Attempt]:
    attempt = Attempt()
    try:
        yield attempt
    except RegisterError as exc:
        if form is not None:
            form.add_error(None, str(exc))
        else:
            messages.error(request, str(exc))
        return
    attempt.ok = True
    if success:
        messages.success(request, success)


def action_forms(form_classes: dict, bound: dict | None = None) -> dict:
    """A page's action forms by name: blank ones, and the one posted (with its errors) if any."""
    blank = {name: form_class(prefix=name) for name, form_class in form_classes.items()}
    return blank | (bound or {})


def form_page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A page with ``context["form"]``: 400 when that form was turned down, else 200."""
    return render(request, template, context, status=400 if context["form"].errors else 200)
