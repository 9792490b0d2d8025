"""Rendered page bodies, cached under a digest of everything they show.

The overview's and the grid's bodies are most of their pages' cost, and most
visits show exactly what the last one showed. Each body is stored under a key
that is a digest of every input it is rendered from: the rating rows themselves
(values, notes, revisions), the evidence counts, the courses and peer figures,
the profile fields shown, the framework version with its ``content_revision``
(wording), the language, the time zone, today's date, the address prefix, and a
stamp of the code and catalogues that render it. Nothing is ever invalidated:
a change to any input is a different key, so a hit is always what rendering now
would give, and stale entries simply expire.

A body never holds a CSRF token: it is rendered with a placeholder that each
response replaces with its own token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache as once
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

CACHE_SECONDS = 60 * 60
# Letters and digits only, like a real token, so escaping leaves it as it is.
CSRF_PLACEHOLDER = "selfassessCsrfPlaceholder7Q2w9"

_ROOT = Path(settings.BASE_DIR)
# What renders the bodies: a deployment that changes any of it changes every key.
_CODE = (
    "templates/selfassess",
    "templates/includes",
    "selfassess",
    "imhcf/glossary.py",
    "imhcf/bilingual.py",
    "imhcf/templatetags",
    "locale",
)


@once
def code_stamp() -> str:
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=8)
    for name in _CODE:
        path = _ROOT / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.suffix in (".html", ".py", ".mo") and file.is_file():
                digest.update(str(file.relative_to(_ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def digest(*parts) -> str:
    """A stable digest of ``parts`` (tuples, dicts, strings, numbers, dates)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def sorted_items(mapping: dict | None) -> tuple:
    return tuple(sorted((mapping or {}).items()))


def cached_body(request, name: str, parts: tuple, render: Callable[[str], str]) -> SafeString:
    """The body ``render(csrf_token)`` would give, from the cache when these ``parts`` were seen.

    ``parts`` must name every input ``render`` reads besides what this adds (the
    language, time zone, date, address prefix and code stamp).
    """
    key = ":".join(
        (
            "selfassess:body",
            name,
            digest(
                code_stamp(),
                get_language(),
                timezone.get_current_timezone_name(),
                timezone.localdate().isoformat(),
                get_script_prefix(),
                parts,
            ),
        )
    )
    html = cache.get(key)
    if html is None:
        html = str(render(CSRF_PLACEHOLDER))
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - rendered escaped
