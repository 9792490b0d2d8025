"""Frozen dossiers rendered once: one cache entry per application, round and language.

A round's dossier (statements, ratings, evidence, file names) is frozen when it
is sent and never written again; only its erasure deletes it. What else its
HTML shows is named in the key, so a hit is always right:

- the language (labels, dates, the glossary's Welsh forms);
- for the review page, the framework version's ``content_revision``, which
  every wording or glossary edit bumps (the statements carry glossary marks);
- ``LAYOUT``, raised whenever the markup below or its templates change, so a
  release never serves the previous one's HTML from a shared cache.

A hit saves the queries for the dossier's links, evidence and files, and the
rendering of every statement. Entries expire after an hour, so an erased
dossier's words do not outlive it in the cache for long.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

LAYOUT = 1
CACHE_SECONDS = 60 * 60


def review_bodies_key(application, language: str | None = None) -> str:
    return (
        f"register:review-bodies:{LAYOUT}:{application.pk}:{application.round}:"
        f"{application.version_id}:{application.version.content_revision}:"
        f"{language or get_language()}"
    )


def cached_review_bodies(application) -> dict[int, str] | None:
    """Each statement's rendered body on the review page, by dossier statement id, if cached."""
    return cache.get(review_bodies_key(application))


def review_bodies(application, rows) -> dict[int, str]:
    """Render each row's frozen statement and evidence (the review page's) and cache them."""
    bodies = {
        row.statement.pk: render_to_string(
            "register/review/_statement_body.html", {"row": row, "files_linked": True}
        )
        for row in rows
    }
    cache.set(review_bodies_key(application), bodies, CACHE_SECONDS)
    return bodies


def frozen_section(key_parts: tuple, build: Callable[[], str]) -> SafeString:
    """A section of a page made only of one round's frozen dossier: cached under ``key_parts``."""
    key = ":".join(("register:frozen-section", str(LAYOUT), *map(str, key_parts), get_language()))
    html = cache.get(key)
    if html is None:
        html = str(build())
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escapes
