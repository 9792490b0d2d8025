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
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from selfassess.models import NOTE_MAX_LENGTH, Rating


def _url_pattern(name: str) -> str:
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
    """What every cell on one page shares, worked out once."""

    csrf_token: str
    values: list[tuple[str, str]]
    target_level: int = 3
    marked: dict | None = None
    evidence_counts: dict | None = None
    conflict: object = None
    saved_id: int | None = None
    full_path: str = ""

    def __post_init__(self):
        self.save_url = _url_pattern("selfassess:rating_save")
        self.attach_url = _url_pattern("evidence:attach")
        self.next_path = urlencode(self.full_path)


def rating_form(rating: Rating, ctx: CellContext) -> SafeString:
    """The inside of a cell's form: what a refused save re-renders in place."""
    pk = rating.pk
    statement = rating.statement
    parts = [
        format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">\n'
            '<input type="hidden" name="revision" value="{}" id="rev-{}">',
            ctx.csrf_token,
            rating.revision,
            pk,
        )
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
    parts.append(format_html('<div id="rn-{}">{}</div>', pk, notice))
    options = mark_safe(  # noqa: S308 - each piece is built by format_html
        "".join(
            format_html(
                '<div class="form-check rating-option"><input class="form-check-input" '
                'type="radio" name="value" value="{}" id="r-{}-{}"{}>'
                '<label class="form-check-label" for="r-{}-{}">{}</label></div>',
                value,
                pk,
                n,
                mark_safe(" checked") if rating.value == value else "",
                pk,
                n,
                label,
            )
            for n, (value, label) in enumerate(ctx.values, start=1)
        )
    )
    parts.append(
        format_html(
            '<fieldset class="rating-options" aria-describedby="st-{pk}">'
            '<legend class="rating-legend">{legend}<span class="visually-hidden"> {which}</span>'
            "</legend>{options}</fieldset>\n"
            '<div class="rating-note"><label class="form-label small mb-1" for="n-{pk}">{label}'
            '</label><input class="form-control form-control-sm" type="text" name="note" '
            'id="n-{pk}" value="{note}" maxlength="{max}" autocomplete="off"></div>\n'
            '<div class="rating-actions" id="ra-{pk}">{actions}</div>',
            pk=pk,
            legend=_("Your rating"),
            which=_("for %(code)s at Level %(n)s")
            % {"code": statement.competency.code, "n": statement.level},
            options=options,
            label=_("Note (optional)"),
            note=rating.note,
            max=NOTE_MAX_LENGTH,
            actions=rating_actions(rating, saved=pk == ctx.saved_id),
        )
    )
    return mark_safe("\n".join(parts))  # noqa: S308 - each part is escaped above


def _evidence_line(rating: Rating, ctx: CellContext) -> SafeString:
    statement = rating.statement
    counts = ctx.evidence_counts or {}
    n = counts.get((statement.competency.code, statement.level), 0)
    if n:
        count = format_html(
            '<span class="evidence-count">{}</span>',
            ngettext("%(n)s item", "%(n)s items", n) % {"n": n},
        )
        link = _("add more")
    else:
        count = format_html('<span class="evidence-none">{}</span>', _("none yet"))
        link = _("attach evidence")
    return format_html(
        '<p class="evidence-cell small mb-0" id="ev-{sid}">\n'
        '  <span class="evidence-label">{label}</span>\n  {count}\n'
        '  · <a href="{url}?next={next}%23s-{sid}" aria-describedby="st-{pk}">{link}</a>\n</p>',
        sid=rating.statement_id,
        label=_("Evidence:"),
        count=count,
        url=ctx.attach_url.format(rating.statement_id),
        next=mark_safe(ctx.next_path),  # noqa: S308 - urlencoded: no markup survives
        pk=rating.pk,
        link=link,
    )


def rating_cell(rating: Rating, ctx: CellContext) -> SafeString:
    statement = rating.statement
    marked = ctx.marked or {}
    text = marked.get(statement.pk) or conditional_escape(statement.text)
    url = ctx.save_url.format(rating.pk)
    return format_html(
        '<div class="col-md-4 rating-cell{beyond}" id="s-{sid}">\n'
        '  <h3 class="h6 level-label">{level}</h3>\n'
        '  <p class="statement-text" id="st-{pk}">{text}</p>\n'
        '  <form id="rf-{pk}" class="rating-form" method="post" action="{url}" '
        'hx-post="{url}" hx-trigger="change, submit" hx-sync="this:queue last" hx-swap="none">\n'
        "{form}\n  </form>\n  {evidence}\n</div>",
        beyond=" beyond-target" if statement.level > ctx.target_level else "",
        sid=rating.statement_id,
        level=_("Level %(n)s") % {"n": statement.level},
        pk=rating.pk,
        text=text,
        url=url,
        form=rating_form(rating, ctx),
        evidence=_evidence_line(rating, ctx),
    )
