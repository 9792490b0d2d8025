"""The evidence list's items and its filter controls, rendered in Python.

Through the template engine a page of 20 items cost most of the page: a
``{% url %}``, a ``{% blocktranslate %}`` and a dozen lookups per item, and
crispy's field templates for four filter controls. Here the same markup is built
with ``format_html`` (every value escaped, every string through gettext with the
msgids the template used).

The unbound filter controls are the same for everyone who sees the same domains
in the same language, so their HTML is kept in this process, keyed by exactly
that: a hit can never be stale, and a new process (a new release) starts empty.
"""

from __future__ import annotations

from functools import lru_cache

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from imhcf.templatetags.hours import hours

FILTER_FIELDS = ("kind", "domain", "date_from", "date_to")


def filter_fields(form, domains: list[tuple[int, str]]) -> dict[str, SafeString]:
    """Each filter control as crispy renders it; the unbound ones from this process's cache."""
    if form.is_bound:
        return {name: as_crispy_field(form[name]) for name in FILTER_FIELDS}
    return _unbound_filter_fields(type(form), tuple(domains), get_language())


@lru_cache(maxsize=64)
def _unbound_filter_fields(form_class, domains: tuple, language: str) -> dict[str, SafeString]:
    # The language is part of the key only: the caller's language is the active one.
    form = form_class(domains=list(domains))
    return {name: as_crispy_field(form[name]) for name in FILTER_FIELDS}


def _prefix(name: str) -> tuple[str, str]:
    """The address of an item's page with its id cut out: (before, after)."""
    url = reverse(name, args=[0])
    cut = url.rindex("/0/")
    return url[: cut + 1], url[cut + 2 :]


def _dates(item) -> str:
    dates = date_format(item.start_date, "j M Y")
    if item.end_date and item.end_date != item.start_date:
        dates += " \u2013 " + date_format(item.end_date, "j M Y")
    return dates


def item_rows(items) -> SafeString:
    """The ``<li>`` of each item on the page, as evidence/list.html showed them."""
    detail = _prefix("evidence:item_detail")
    statements = _prefix("evidence:item_statements")
    dates_label = _("Dates:")
    supports = _("Supports:")
    not_linked = _("Not linked to any statement yet: choose statements")
    # get_kind_display() hashes every (lazy) choice on each call: one look-up per kind instead.
    kind_names: dict[str, str] = {}
    rows = []
    for item in items:
        kind_name = kind_names.get(item.kind)
        if kind_name is None:
            kind_name = kind_names[item.kind] = item.get_kind_display()
        links = item.links.all()
        if links:
            codes = format_html_join(
                "",
                '<span class="badge statement-code">{}&nbsp;L{}</span>',
                ((link.statement.competency.code, link.statement.level) for link in links),
            )
            linked = format_html(
                '<p class="statement-codes mb-0"><span class="small text-body-secondary">{}'
                "</span>\n                  {}\n                </p>",
                supports,
                codes,
            )
        else:
            linked = format_html(
                '<p class="mb-0 small"><a href="{}{}{}">{}</a></p>',
                statements[0],
                item.pk,
                statements[1],
                not_linked,
            )
        item_hours = (
            format_html("<span>· {}</span>", hours(item.hours)) if item.hours is not None else ""
        )
        files = ngettext("%(n)s file", "%(n)s files", item.file_count) % {"n": item.file_count}
        rows.append(
            format_html(
                '        <li class="evidence-item card mb-2">\n'
                '          <div class="card-body">\n'
                '            <h2 class="h5 mb-1"><a href="{}{}{}">{}</a></h2>\n'
                '            <p class="evidence-meta mb-1">\n'
                '              <span class="badge kind-badge kind-{}">{}</span>\n'
                '              <span><span class="visually-hidden">{} </span>{}</span>\n'
                "              {}\n"
                "              <span>· {}</span>\n"
                "            </p>\n"
                "                {}\n"
                "          </div>\n"
                "        </li>\n",
                detail[0],
                item.pk,
                detail[1],
                item.title,
                item.kind,
                kind_name,
                dates_label,
                _dates(item),
                item_hours,
                files,
                linked,
            )
        )
    return format_html_join("", "{}", ((row,) for row in rows))
