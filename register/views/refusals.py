"""A service's refusal, shown to the person who asked rather than raised.

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
from django.http import HttpRequest

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
