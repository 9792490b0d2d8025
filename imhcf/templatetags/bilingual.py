"""Welsh beside English in templates: ``{% load bilingual %}``, then ``{{ domain|tr:"name" }}``.

Works for any row with ``<field>_cy`` siblings (the framework, restriction texts); see
``imhcf.bilingual``. Where no Welsh has been written, the English shows, and
``tr_lang`` gives the ``lang`` to mark it with.
"""

from django import template

from imhcf.bilingual import language_of, localised

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
