"""The grid's rating cells, rendered in Python.

A domain's grid has up to 30 cells, each with a form of three radio buttons,
a note, a save button and an evidence line. Through the template engine each
cell cost about half a millisecond (includes, ``{% url %}``, ``{% blocktranslate %}``
and ``{% csrf_token %}`` per cell), which was most of the page. Here the same
markup is built with ``format_html``: every value is escaped, every string still
goes through gettext (with the msgids the templates used), and the rare parts
(a refused save, a rating whose wording changed) still come from their templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from selfassess.models import NOTE_MAX_LENGTH, Rating


def url_pattern(name: str) -> str:
    # One reverse() per page rather than one per cell: ids are the only part that varies.
    return reverse(name, args=[0]).replace("/0/", "/{}/")


def rating_values() -> list[tuple[str, str]]:
    """(value, label) pairs, translated once per page, not once per cell."""
    return [(value, str(label)) for value, label in Rating.Value.choices]


def competency_level(level: int, out_of_order: bool) -> SafeString:
    if level:
        badge = format_html(
            '<span class="level-badge level-badge-achieved">{}</span>',
            _("Highest level achieved: Level %(n)s") % {"n": level},
        )
    else:
        badge = format_html('<span class="level-badge">{}</span>', _("No level achieved yet"))
    if not out_of_order:
        return badge
    hint = _(
        "A higher level is marked achieved but a level below it is not. Achieving a level "
        "includes every level below it."
    )
    return format_html('{}<span class="out-of-order small">{}</span>', badge, hint)


def rating_actions(rating: Rating, *, saved: bool = False, refused: bool = False) -> SafeString:
    if rating.needs_review:
        button = format_html(
            '<button type="submit" class="btn btn-sm btn-warning rating-confirm" id="rb-{}">'
            "{}</button>",
            rating.pk,
            _("Confirm this rating"),
        )
    else:
        button = format_html(
            '<button type="submit" class="btn btn-sm btn-outline-primary rating-save" '
            'id="rb-{}">{}</button>',
            rating.pk,
            _("Save"),
        )
    if saved:
        state = format_html('<span aria-hidden="true">✓</span> {}', _("Saved"))
    elif refused:
        state = _("Not saved")
    else:
        state = ""
    return format_html(
        '{}\n<span class="save-state small" id="ss-{}">{}</span>', button, rating.pk, state
    )


@dataclass
class CellContext:
    """What every cell on one page shares, worked out once: addresses and translated words."""

    csrf_token: str
    values: list[tuple[str, str]]
    target_level: int = 3
    marked: dict | None = None
    evidence_counts: dict | None = None
    conflict: object = None
    saved_id: int | None = None
    full_path: str = ""

    def __post_init__(self):
        self.save_url = url_pattern("selfassess:rating_save")
        self.attach_url = url_pattern("evidence:attach")
        self.next_path = urlencode(self.full_path)
        # Escaped once per page, as format_html escaped them once per cell.
        self.e_token = escape(self.csrf_token)
        self.e_values = [(escape(value), escape(label)) for value, label in self.values]
        self.e_legend = escape(_("Your rating"))
        self.e_note_label = escape(_("Note (optional)"))
        self.e_evidence_label = escape(_("Evidence:"))
        self.e_none_yet = format_html('<span class="evidence-none">{}</span>', _("none yet"))
        self.e_attach = escape(_("attach evidence"))
        self.e_add_more = escape(_("add more"))
        self._levels: dict[int, str] = {}
        self._items: dict[int, str] = {}

    def level_label(self, level: int) -> str:
        if level not in self._levels:
            self._levels[level] = escape(_("Level %(n)s") % {"n": level})
        return self._levels[level]

    def item_count(self, n: int) -> str:
        if n not in self._items:
            self._items[n] = format_html(
                '<span class="evidence-count">{}</span>',
                ngettext("%(n)s item", "%(n)s items", n) % {"n": n},
            )
        return self._items[n]


def rating_form(rating: Rating, ctx: CellContext) -> SafeString:
    """The inside of a cell's form: what a refused save re-renders in place."""
    pk = rating.pk
    statement = rating.statement
    parts = [
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{ctx.e_token}">\n'
        f'<input type="hidden" name="revision" value="{escape(rating.revision)}" id="rev-{pk}">'
    ]
    if ctx.conflict is not None and ctx.conflict.rating_id == pk:
        parts.append(
            render_to_string(
                "selfassess/_rating_conflict_notice.html",
                {"rating": rating, "conflict": ctx.conflict},
            )
        )
    notice = (
        render_to_string("selfassess/_review_notice.html", {"rating": rating})
        if rating.needs_review
        else ""
    )
    parts.append(f'<div id="rn-{pk}">{notice}</div>')
    options = "".join(
        '<div class="form-check rating-option"><input class="form-check-input" '
        f'type="radio" name="value" value="{value}" id="r-{pk}-{n}"'
        f"{' checked' if rating.value == raw else ''}>"
        f'<label class="form-check-label" for="r-{pk}-{n}">{label}</label></div>'
        for n, ((value, label), (raw, _label)) in enumerate(
            zip(ctx.e_values, ctx.values, strict=True), start=1
        )
    )
    which = escape(
        _("for %(code)s at Level %(n)s") % {"code": statement.competency.code, "n": statement.level}
    )
    parts.append(
        f'<fieldset class="rating-options" aria-describedby="st-{pk}">'
        f'<legend class="rating-legend">{ctx.e_legend}<span class="visually-hidden"> {which}</span>'
        f"</legend>{options}</fieldset>\n"
        f'<div class="rating-note"><label class="form-label small mb-1" for="n-{pk}">'
        f"{ctx.e_note_label}</label>"
        '<input class="form-control form-control-sm" type="text" name="note" '
        f'id="n-{pk}" value="{escape(rating.note)}" maxlength="{NOTE_MAX_LENGTH}" '
        'autocomplete="off"></div>\n'
        f'<div class="rating-actions" id="ra-{pk}">'
        f"{rating_actions(rating, saved=pk == ctx.saved_id)}</div>"
    )
    return mark_safe("\n".join(parts))  # noqa: S308 - each part is escaped above


def _evidence_line(rating: Rating, ctx: CellContext) -> str:
    statement = rating.statement
    counts = ctx.evidence_counts or {}
    n = counts.get((statement.competency.code, statement.level), 0)
    if n:
        count, link = ctx.item_count(n), ctx.e_add_more
    else:
        count, link = ctx.e_none_yet, ctx.e_attach
    sid = rating.statement_id
    return (
        f'<p class="evidence-cell small mb-0" id="ev-{sid}">\n'
        f'  <span class="evidence-label">{ctx.e_evidence_label}</span>\n  {count}\n'
        f'  · <a href="{escape(ctx.attach_url.format(sid))}?next={ctx.next_path}%23s-{sid}" '
        f'aria-describedby="st-{rating.pk}">{link}</a>\n</p>'
    )


def rating_cell(rating: Rating, ctx: CellContext) -> SafeString:
    statement = rating.statement
    marked = ctx.marked or {}
    text = marked.get(statement.pk) or conditional_escape(statement.text)
    pk = rating.pk
    url = escape(ctx.save_url.format(pk))
    beyond = " beyond-target" if statement.level > ctx.target_level else ""
    return mark_safe(  # noqa: S308 - every value is escaped above or in CellContext
        f'<div class="col-md-4 rating-cell{beyond}" id="s-{rating.statement_id}">\n'
        f'  <h3 class="h6 level-label">{ctx.level_label(statement.level)}</h3>\n'
        f'  <p class="statement-text" id="st-{pk}">{text}</p>\n'
        f'  <form id="rf-{pk}" class="rating-form" method="post" action="{url}" '
        f'hx-post="{url}" hx-trigger="change, submit" hx-sync="this:queue last" hx-swap="none">\n'
        f"{rating_form(rating, ctx)}\n  </form>\n  {_evidence_line(rating, ctx)}\n</div>"
    )


def figures(**values) -> dict:
    """Values for a translation, as {% blocktranslate %} gave them: escaped (the text is not)."""
    return {name: escape(value) for name, value in values.items()}


def level_words(level: int) -> str:
    """As {% blocktranslate with n=… %}Level {{ n }}{% endblocktranslate %}."""
    return _("Level %(n)s") % figures(n=level)


def progress_bar(total: int, achieved: int) -> str:
    """The small achieved-of-total bar, or nothing for an empty level or domain."""
    if not total:
        return ""
    return (
        f'<progress class="progress-achieved" max="{escape(total)}" '
        f'value="{escape(achieved)}" aria-hidden="true"></progress>'
    )


def domain_summary(p) -> SafeString:
    """A domain's progress under its heading (grid, and a save's refreshed figures).

    Moved from a template: its translations stay unescaped, as the template gave them.
    """
    headline = ngettext(
        "In this domain: <strong>%(a)s of %(t)s</strong> statement achieved, %(w)s working "
        "towards.",
        "In this domain: <strong>%(a)s of %(t)s</strong> statements achieved, %(w)s working "
        "towards.",
        p.total,
    ) % figures(a=p.achieved, t=p.total, w=p.working)
    if p.highest_level:
        highest = _("Highest level fully achieved: Level %(n)s.") % figures(n=p.highest_level)
    else:
        highest = _("No level fully achieved yet.")
    # Outside the f-strings below: makemessages does not look inside them.
    complete = _("complete")
    items = []
    for c in p.level_list:
        bar = progress_bar(c.total, c.achieved)
        counts = _("%(a)s of %(t)s achieved, %(w)s working towards") % figures(
            a=c.achieved, t=c.total, w=c.working
        )
        done = f' <span class="complete-mark">✓ {complete}</span>' if c.complete else ""
        items.append(
            '\n    <li><span class="level-progress-label">'
            f"{level_words(c.level)}</span>\n      {bar}\n"
            f'      <span class="small">{counts}{done}</span></li>\n  '
        )
    return mark_safe(  # noqa: S308 - values escaped above; translations are template text
        f'<p class="mb-2">{headline}\n  <strong>{highest}</strong></p>\n'
        f'<ul class="list-unstyled level-progress mb-0">\n  {"".join(items)}\n</ul>\n'
    )


def domain_nav_progress(p) -> SafeString:
    """A domain's line in the grid's list of domains."""
    bar = progress_bar(p.total, p.achieved)
    line = _("%(a)s of %(t)s achieved") % figures(a=p.achieved, t=p.total)
    if p.highest_level:
        line += " · " + _("Level %(n)s complete") % figures(n=p.highest_level)
    if p.needs_review:
        check = ngettext("%(n)s to check", "%(n)s to check", p.needs_review)
        line += f" · <strong>{check % figures(n=p.needs_review)}</strong>"
    return mark_safe(f'{bar}\n<span class="small d-block">{line}</span>\n')  # noqa: S308
