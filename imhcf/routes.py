"""How every app names its URLs: after the view that answers them, so a name cannot drift.

``named`` is the plain case. ``formats`` is the one download offered in several formats,
``<route>.csv``, ``<route>.xlsx`` ..., whose view takes the chosen one as ``fmt``.
A URL whose name was given before this rule (templates and tests reverse it) keeps
its ``path(..., name=...)``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import URLPattern, path, re_path


def named(route: str, view: Callable) -> URLPattern:
    """``path(route, view)``, named after the view."""
    return path(route, view, name=view.__name__)


def formats(route: str, view: Callable, *choices: str) -> URLPattern:
    """``route`` (a regular expression) then ``.`` and one of ``choices``, passed as ``fmt``."""
    return re_path(rf"^{route}\.(?P<fmt>{'|'.join(choices)})$", view, name=view.__name__)
