"""The evidence list's items, its filter controls and the CPD page's tables, rendered in Python.

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

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imhcf.fragments import kept
from imhcf.templatetags.hours import hours, hours_figure

FILTER_FIELDS = ("kind", "domain", "date_from", "date_to")


def filter_fields(form, domains: list[tuple[int, str]]) -> dict[str, SafeString]:
    """Each filter control as crispy renders it; the unbound ones from this process's cache."""
    if form.is_bound:
        return _crispy_fields(form)
    return kept(("evidence-filters", tuple(domains)), lambda: _crispy_fields(form))


def _crispy_fields(form) -> dict[str, SafeString]:
    return {name: as_crispy_field(form[name]) for name in FILTER_FIELDS}


def prefix(name: str) -> tuple[str, str]:
    """The address of an item's page with its id cut out: (before, after)."""
    url = reverse(name, args=[0])
    cut = url.rindex("/0/")
    return url[: cut + 1], url[cut + 2 :]


class KindNames(dict):
    """Each kind's name, looked up once: get_kind_display() hashes every lazy choice per call."""

    def __getitem__(self, item) -> str:
        name = self.get(item.kind)
        if name is None:
            name = self[item.kind] = item.get_kind_display()
        return name


def _day(value) -> str:
    return date_format(value, "j M Y")


def _dates(item) -> str:
    dates = date_format(item.start_date, "j M Y")
    if item.end_date and item.end_date != item.start_date:
        dates += " \u2013 " + date_format(item.end_date, "j M Y")
    return dates


def item_rows(items, codes: dict[int, list[tuple[str, int]]]) -> SafeString:
    """The ``<li>`` of each item on the page, as evidence/list.html showed them."""
    detail = prefix("evidence:item_detail")
    statements = prefix("evidence:item_statements")
    dates_label = _("Dates:")
    supports = _("Supports:")
    not_linked = _("Not linked to any statement yet: choose statements")
    kind_names = KindNames()
    rows = []
    for item in items:
        kind_name = kind_names[item]
        supported = codes[item.pk]
        if supported:
            badges = format_html_join(
                "", '<span class="badge statement-code">{}&nbsp;L{}</span>', supported
            )
            linked = format_html(
                '<p class="statement-codes mb-0"><span class="small text-body-secondary">{}'
                "</span>\n                  {}\n                </p>",
                supports,
                badges,
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


# The CPD page ---------------------------------------------------------------------------------


def cpd_activity_rows(items) -> SafeString:
    """The rows of the CPD page's table of activities."""
    detail = prefix("evidence:item_detail")
    kind_names = KindNames()
    rows = []
    for item in items:
        rows.append(
            (
                _day(item.start_date),
                detail[0],
                item.pk,
                detail[1],
                item.title,
                kind_names[item],
                hours_figure(item.hours) or "\u2013",
            )
        )
    return format_html_join(
        "",
        "                <tr>\n"
        '                  <td class="text-nowrap">{}</td>\n'
        '                  <td><a href="{}{}{}">{}</a></td>\n'
        '                  <td class="d-none d-sm-table-cell">{}</td>\n'
        '                  <td class="text-end num">{}</td>\n'
        "                </tr>\n",
        rows,
    )


def cpd_bar_rows(rows, months: bool = False) -> SafeString:
    """The rows of one of the CPD page's hours tables, each with its bar."""
    return format_html_join(
        "",
        "    <tr>\n"
        '      <th scope="row" class="fw-normal">{}</th>\n'
        '      <td class="text-end num">{}</td>\n'
        '      <td class="cpd-bar-cell"><progress class="cpd-bar" max="100" value="{}" '
        'aria-hidden="true"></progress></td>\n'
        "    </tr>\n",
        (
            (
                date_format(row["label"], "M Y") if months else row["label"],
                hours_figure(row["hours"]),
                row["percent"],
            )
            for row in rows
        ),
    )


def cpd_competency_rows(competencies) -> SafeString:
    return format_html_join(
        "",
        '                  <tr><td><span class="competency-code">{}</span> {}</td>'
        "<td>{}</td></tr>\n",
        ((c.code, c.title, c.levels_label) for c in competencies),
    )
