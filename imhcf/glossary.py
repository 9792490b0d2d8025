"""Glossary terms that explain themselves wherever a statement uses them.

Statements are plain text. Marking finds each glossary term (any of its forms,
case-insensitively, whole words only) and wraps its first use in a statement in
a link to the term's anchor on the glossary page, with the definition attached
as the link's accessible description and shown on hover and focus.

The marked HTML of every statement of a version is computed in one pass and
cached under the version's ``content_revision``, which every wording change
bumps; pages never mark text per request per term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from imhcf.bilingual import is_welsh, localised
from imhcf.models import FrameworkVersion, GlossaryTerm, Statement

CACHE_PREFIX = "imhcf:glossary-marked:v2"
CACHE_SECONDS = 60 * 60 * 24


@dataclass(frozen=True)
class Term:
    slug: str
    term: str
    definition: str


class GlossaryMatcher:
    """One compiled pattern for all of a version's terms and their forms.

    In Welsh the Welsh term and its forms are looked for, mutated forms included
    (ymlyniad, hymlyniad, nymlyniad), and explained in Welsh.
    """

    def __init__(self, terms: Iterable[GlossaryTerm], language: str | None = None):
        self._by_form: dict[str, Term] = {}
        welsh = is_welsh(language)
        for row in terms:
            term = Term(
                slug=row.slug,
                term=localised(row, "term", language),
                definition=localised(row, "definition", language),
            )
            for form in row.all_forms_cy if welsh else row.all_forms:
                self._by_form.setdefault(_normalise(form), term)
        # Longest first, so "emotional dysregulation" wins over "dysregulation".
        forms = sorted(self._by_form, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, f.split(" "))) for f in forms)
        self._pattern = (
            re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if forms else None
        )
        self._glossary_url = reverse("framework_glossary")

    def mark(self, text: str, id_prefix: str) -> SafeString:
        """Escape ``text`` and mark the first use of each term in it."""
        if self._pattern is None:
            return escape(text)
        parts: list[str] = []
        used: set[str] = set()
        position = 0
        for match in self._pattern.finditer(text):
            term = self._by_form[_normalise(match.group(0))]
            if term.slug in used:
                continue
            used.add(term.slug)
            parts.append(escape(text[position : match.start()]))
            parts.append(self._markup(match.group(0), term, f"{id_prefix}-{len(used)}"))
            position = match.end()
        parts.append(escape(text[position:]))
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped

    def terms_in(self, texts: Iterable[str]) -> list[Term]:
        """The terms used anywhere in ``texts``, A to Z: for a printed "key terms" list."""
        if self._pattern is None:
            return []
        found = {
            self._by_form[_normalise(m.group(0))]
            for text in texts
            for m in self._pattern.finditer(text)
        }
        return sorted(found, key=lambda t: t.term.casefold())

    def _markup(self, shown: str, term: Term, tip_id: str) -> str:
        return format_html(
            '<span class="gloss"><a class="gloss-term" href="{url}#term-{slug}" '
            'aria-describedby="{tip}">{shown}</a><span class="gloss-tip" role="tooltip" '
            'id="{tip}"><strong>{term}:</strong> {definition}</span></span>',
            url=self._glossary_url,
            slug=term.slug,
            tip=tip_id,
            shown=shown,
            term=term.term,
            definition=term.definition,
        )


def _normalise(form: str) -> str:
    return " ".join(form.split()).casefold()


def matcher_for_version(version: FrameworkVersion, language: str | None = None) -> GlossaryMatcher:
    return GlossaryMatcher(GlossaryTerm.objects.filter(version=version), language)


def marked_statements(
    version: FrameworkVersion, texts: dict[int, str] | None = None
) -> dict[int, SafeString]:
    """Marked HTML for every statement of ``version``, keyed by statement id.

    ``texts`` gives wording other than today's for some statements (a frozen
    snapshot's, see ``imhcf.wording.restore_wording``); those are marked afresh.
    """
    welsh = is_welsh()
    key = f"{CACHE_PREFIX}:{version.pk}:{version.content_revision}:{'cy' if welsh else 'en'}"
    marked = cache.get(key)
    if marked is None:
        matcher = matcher_for_version(version)
        rows = Statement.objects.filter(competency__domain__version=version).values_list(
            "pk", "text", "text_cy"
        )
        marked = {
            pk: str(matcher.mark(text_cy if welsh and text_cy else text, f"gl-{pk}"))
            for pk, text, text_cy in rows
        }
        cache.set(key, marked, CACHE_SECONDS)
    marked = {pk: mark_safe(html) for pk, html in marked.items()}  # noqa: S308 - built escaped above
    if texts:
        matcher = matcher_for_version(version)
        marked.update({pk: matcher.mark(text, f"gl-{pk}") for pk, text in texts.items()})
    return marked
