"""What the register's views share about actions: the forms a page offers, and a refusal shown.

``action_forms`` builds a page's action forms, keeping the one that was posted
with its errors (``imhcf.http.form_rendered`` answers 400 for a page whose form was
turned down).
Services raise ``RegisterError`` when the state or the rules refuse an action.
A view runs the service inside ``refusal_shown``: a refusal becomes an error on
the form the page shows again (or a message, when there is no form), and
otherwise the success message, if any, is added.
"""

from __future__ import annotations

from django.http import HttpRequest

from imhcf import http
from register.errors import RegisterError


def refusal_shown(request: HttpRequest, form=None, *, success: str = ""):
    """``imhcf.http.refusal_shown`` for the register's services, which refuse with RegisterError."""
    return http.refusal_shown(request, refusal=RegisterError, form=form, success=success)


def action_forms(form_classes: dict, bound: dict | None = None) -> dict:
    """A page's action forms by name: blank ones, and the one posted (with its errors) if any."""
    blank = {name: form_class(prefix=name) for name, form_class in form_classes.items()}
    return blank | (bound or {})
