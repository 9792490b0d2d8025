"""The framework in Welsh and in English.

Every worded field of the framework has a Welsh sibling named ``<field>_cy`` on the same
row (``statement.text`` and ``statement.text_cy``). Welsh therefore belongs to the same
version as the English beside it, is carried into a new draft with it, and is edited
through the same service (``imhcf.services.wording.wording_update``), which records a
``WordingRevision`` for a Welsh field as for an English one.

Why our own fields rather than a model-translation library: the framework's history,
carry-over and "did the meaning change?" checks all work field by field on named
fields. django-modeltranslation would make ``statement.text`` mean the active language's
text, so the history service, which reads and writes ``text``, would record whichever
language the editor happened to browse in. django-parler moves the text to a second
table, so every versioned query and the wording history would need a join. Plain
sibling fields keep every read and write explicit; pages ask for the text in the active
language here, falling back to English (and saying so with ``lang``) where no Welsh has
been written yet.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

WELSH = "cy"
ENGLISH = settings.LANGUAGE_CODE

# The fields with a Welsh sibling, by model name.
TRANSLATED: dict[str, tuple[str, ...]] = {
    "frameworkversion": ("name", "core_competency_name", "core_competency_text"),
    "level": ("name", "meaning", "audience"),
    "domain": ("name", "summary"),
    "competency": ("title",),
    "statement": ("text",),
    "glossaryterm": ("term", "definition", "forms"),
}


def welsh_field(field: str) -> str:
    return f"{field}_{WELSH}"


def is_welsh(language: str | None = None) -> bool:
    return (language or translation.get_language() or "").lower().startswith(WELSH)


def localised(obj, field: str, language: str | None = None) -> str:
    """``field`` of ``obj`` in ``language`` (default: the active one), English when no Welsh."""
    if isinstance(obj, dict):
        welsh = obj.get(welsh_field(field), "")
        return welsh if welsh and is_welsh(language) else obj.get(field, "")
    if is_welsh(language):
        welsh = getattr(obj, welsh_field(field), "")
        if welsh:
            return welsh
    return getattr(obj, field)


def language_of(obj, field: str, language: str | None = None) -> str:
    """The language ``localised`` gives ``field`` in, for a ``lang`` attribute."""
    if is_welsh(language) and getattr(obj, welsh_field(field), ""):
        return WELSH
    return ENGLISH


def pick(english: str, welsh: str, language: str | None = None) -> str:
    """Of a field's two texts read as values, the one to show in ``language``."""
    return welsh if welsh and is_welsh(language) else english


def numbered_names(queryset) -> list[tuple[int, str]]:
    """``(number, name)`` of each domain or level in ``queryset``, in the active language."""
    rows = queryset.values_list("number", "name", "name_cy")
    return [(number, pick(english, welsh)) for number, english, welsh in rows]
