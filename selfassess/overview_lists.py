"""The overview's two long lists, rendered in Python: statements without evidence, and gaps.

A practitioner part way through has dozens of each, and through the template
engine every item cost two or three ``{% url %}``, a ``{% blocktranslate %}`` and
filters: most of the overview when its cached body is out of date (after each
save). Here each list is built with plain string joins over escaped values: the
same markup, the same msgids, the same filters (``tr``, ``lower``,
``truncatewords``), and the rare course hint still from its template.
"""

from __future__ import annotations

from django.template.defaultfilters import lower, truncatewords
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from imhcf.templatetags.bilingual import tr


def _pattern(name: str) -> str:
    # One reverse() per list: the id is the only part that varies.
    return reverse(name, args=[0]).replace("/0/", "/{}/")


def _level(level: int) -> str:
    # As {% blocktranslate with n=… %}Level {{ n }}{% endblocktranslate %}: the
    # translation is template text (not escaped), the number is.
    return _("Level %(n)s") % {"n": escape(level)}


def unevidenced_items(ratings) -> SafeString:
    """The ``<li>`` of each statement rated Achieved with no evidence, as the loop gave them."""
    attach = _pattern("evidence:attach")
    grid = _pattern("selfassess:grid")
    overview = reverse("selfassess:overview")
    attach_label = conditional_escape(_("attach evidence"))
    grid_label = conditional_escape(_("see in the grid"))
    parts = []
    for r in ratings:
        statement = r.statement
        sid = escape(r.statement_id)
        parts.append(
            f"\n          <li>{escape(statement.competency.code)} {_level(statement.level)}: "
            f'<a href="{escape(attach.format(sid))}?next={escape(overview)}">{attach_label}</a>'
            f' · <a href="{escape(grid.format(statement.competency.domain.number))}#s-{sid}">'
            f"{grid_label}</a></li>\n        "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


def gap_items(domain_number: int, ratings) -> SafeString:
    """The ``<li>`` of each gap in one domain, as the loop gave them."""
    url = escape(_pattern("selfassess:grid").format(domain_number))
    parts = []
    for r in ratings:
        statement = r.statement
        text = conditional_escape(truncatewords(tr(statement, "text"), 16))
        courses = getattr(r, "courses", None)
        # The hint's template ends in a newline, and the include gave it with or without a hint.
        hint = render_to_string("selfassess/_course_hint.html", {"r": r}) if courses else "\n"
        parts.append(
            f'<li><a href="{url}#s-{escape(r.statement_id)}">'
            f"{escape(statement.competency.code)} {_level(statement.level)}</a> "
            f"({conditional_escape(lower(r.get_value_display()))}): {text}{hint}</li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
