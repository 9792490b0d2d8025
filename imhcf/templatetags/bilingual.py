"""Welsh beside English in templates: ``{% load bilingual %}``, then ``{{ domain|tr:"name" }}``.

Works for any row with ``<field>_cy`` siblings (the framework, restriction texts); see
``imhcf.bilingual``. Where no Welsh has been written, the English shows, and
``tr_lang`` gives the ``lang`` to mark it with.
"""

from django import template
from django.utils.html import conditional_escape, format_html

from imhcf.bilingual import ENGLISH, WELSH, is_welsh, language_of, localised

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    """A framework row's ``field`` in the active language: ``{{ domain|tr:"name" }}``."""
    if obj is None or obj == "":
        return ""
    return localised(obj, field)


@register.filter
def tr_lang(obj, field: str) -> str:
    """The language ``tr`` shows ``field`` in, for ``lang="…"`` where English stands in."""
    return language_of(obj, field)


@register.filter
def tr_span(obj, field: str) -> str:
    """``tr`` for running text: English standing in for Welsh is wrapped in ``lang="en-gb"``."""
    text = tr(obj, field)
    if is_welsh() and language_of(obj, field) != WELSH:
        return format_html('<span lang="{}">{}</span>', ENGLISH, text)
    return conditional_escape(text)
