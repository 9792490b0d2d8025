"""The overview's long parts rendered in Python: statements without evidence, gaps, the map,
and change tables (also the comparison page's).

A practitioner part way through has dozens of gaps, and through the template
engine every item cost two or three ``{% url %}``, a ``{% blocktranslate %}`` and
filters: most of the overview when its cached body is out of date (after each
save). Here each part is built with plain string joins: the same markup, the
same msgids, the same filters (``tr``, ``lower``, ``truncatewords``), and the
rare course hint still from its template. As in the templates, a translation is
template text and is not escaped (``{% translate "…" %}`` and
``{% blocktranslate %}`` give it as written); every value put into the page is.
"""

from __future__ import annotations

from django.template.defaultfilters import lower, truncatewords
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from imhcf.templatetags.bilingual import tr
from selfassess.cells import level_words, progress_bar, url_pattern


def unevidenced_items(ratings) -> SafeString:
    """The ``<li>`` of each statement rated Achieved with no evidence, as the loop gave them."""
    attach = url_pattern("evidence:attach")
    grid = url_pattern("selfassess:grid")
    overview = reverse("selfassess:overview")
    attach_label = _("attach evidence")
    grid_label = _("see in the grid")
    parts = []
    for r in ratings:
        statement = r.statement
        sid = escape(r.statement_id)
        parts.append(
            f"\n          <li>{escape(statement.competency.code)} {level_words(statement.level)}: "
            f'<a href="{escape(attach.format(sid))}?next={escape(overview)}">{attach_label}</a>'
            f' · <a href="{escape(grid.format(statement.competency.domain.number))}#s-{sid}">'
            f"{grid_label}</a></li>\n        "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


def gap_items(domain_number: int, ratings) -> SafeString:
    """The ``<li>`` of each gap in one domain, as the loop gave them."""
    url = escape(url_pattern("selfassess:grid").format(domain_number))
    parts = []
    for r in ratings:
        statement = r.statement
        text = conditional_escape(truncatewords(tr(statement, "text"), 16))
        courses = getattr(r, "courses", None)
        # The hint's template ends in a newline, and the include gave it with or without a hint.
        hint = render_to_string("selfassess/_course_hint.html", {"r": r}) if courses else "\n"
        parts.append(
            f'<li><a href="{url}#s-{escape(r.statement_id)}">'
            f"{escape(statement.competency.code)} {level_words(statement.level)}</a> "
            f"({conditional_escape(lower(r.get_value_display()))}): {text}{hint}</li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


def map_rows(domains, target_level: int, peer_shares: dict | None, profile) -> SafeString:
    """The rows of the map ("Where you stand"): per domain, each level's figures."""
    grid = url_pattern("selfassess:grid")
    highest_label = _("Highest level achieved")
    none_yet = _("None yet")
    achieved_of = _("%(a)s of %(t)s achieved")
    working = _("%(w)s working towards")
    shares = peer_shares or {}
    peer_line = None
    parts = []
    for d in domains:
        parts.append(
            "\n          <tr>\n            "
            f'<th scope="row"><a href="{escape(grid.format(d.number))}">'
            f"{escape(d.number)}. {conditional_escape(tr(d, 'name'))}</a></th>\n            "
        )
        for c in d.level_list:
            if c.complete:
                state = " is-complete"
            else:
                state = " is-partial" if c.achieved or c.working else ""
            beyond = " beyond-target" if c.level > target_level else ""
            tick = '<span aria-hidden="true">✓ </span>' if c.complete else ""
            bar = progress_bar(c.total, c.achieved)
            figures = achieved_of % {"a": escape(c.achieved), "t": escape(c.total)}
            parts.append(
                f'\n              <td class="map-cell{state}{beyond}" '
                f'data-label="{level_words(c.level)}">\n'
                f'                <span class="map-figure">{tick}{figures}</span>\n'
                f"                {bar}\n"
                f'                <span class="small d-block">{working % {"w": escape(c.working)}}'
                "</span>\n              </td>\n            "
            )
        highest = (
            f"<strong>{level_words(d.highest_level)}</strong>" if d.highest_level else none_yet
        )
        share = shares.get(d.number)
        line = ""
        if share is not None:
            if peer_line is None:
                peer_line = _(
                    "Among people in your role (%(role)s) in %(region)s who share anonymised "
                    "data, %(share)s%% have achieved Level 2 in this domain."
                )
            sentence = peer_line % {
                "role": conditional_escape(profile.get_role_display()),
                "region": conditional_escape(profile.get_region_display()),
                "share": escape(share),
            }
            line = f'\n              <span class="small d-block peer-share">{sentence}</span>'
        parts.append(
            f'\n            <td class="map-highest" data-label="{highest_label}">{highest}{line}'
            "</td>\n          </tr>\n        "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


def _value_cell(rating) -> str:
    if rating is None:
        return "—"
    note = ""
    if rating.note:
        note = f'<span class="d-block small">{conditional_escape(rating.note)}</span>'
    return f"{conditional_escape(rating.get_value_display())}{note}"


def change_rows(changes, show_direction: bool = False) -> SafeString:
    """The rows of a change table (overview and comparison), as its loop gave them."""
    worded_then = _("Worded then:")
    # Outside the f-strings: makemessages does not look inside them.
    improved, slipped = _("Improved"), _("Slipped")
    directions = {
        "improved": f'<span aria-hidden="true">▲ </span>{improved}',
        "slipped": f'<span aria-hidden="true">▼ </span>{slipped}',
    }
    unchanged = _("Unchanged")
    parts = []
    for c in changes:
        direction = c.direction
        then = (
            f'<span class="d-block small wording-then"><strong>{worded_then}</strong> '
            f"{conditional_escape(tr(c.earlier.statement, 'text'))}</span>"
            if c.wording_changed
            else ""
        )
        shown = (
            f'<td class="change-direction">{directions.get(direction, unchanged)}</td>'
            if show_direction
            else ""
        )
        parts.append(
            f'\n      <tr class="change-{conditional_escape(direction)}">\n'
            '        <th scope="row" class="fw-normal">\n'
            f'          <span class="fw-semibold">{conditional_escape(c.code)} '
            f"{level_words(c.level)}"
            f"</span> {conditional_escape(tr(c.competency, 'title'))}\n"
            f'          <span class="d-block small">{conditional_escape(tr(c.statement, "text"))}'
            "</span>\n"
            f"          {then}\n"
            "        </th>\n"
            f"        <td>{_value_cell(c.earlier)}</td>\n"
            f"        <td>{_value_cell(c.later)}</td>\n"
            f"        {shown}\n"
            "      </tr>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
