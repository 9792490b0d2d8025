"""A reviewer's verdict form under each dossier statement, rendered in Python.

The review page carries one form per statement (63 at Level 1). Through the
template engine they cost half the page: two ``{% url %}`` tags, a
``{% csrf_token %}``, translations and includes, 63 times over. Here the same
markup is built with ``format_html`` (every value escaped, every string through
gettext with the msgids the template used). The form posts, without
JavaScript, to the same view with the field names of StatementReviewForm and
the prefix "s<statement id>".
"""

from __future__ import annotations

import html

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from imhcf.bilingual import localised


def save_state(review, *, saved: bool) -> SafeString:
    """Whether this reviewer's verdict is recorded, as the form's status line says it."""
    if review is None or review.met is None:
        return format_html('<span class="text-body-secondary">{}</span>', _("No verdict yet"))
    if saved:
        label = _("Saved: met") if review.met else _("Saved: not met")
    else:
        label = _("Recorded: met") if review.met else _("Recorded: not met")
    return format_html(
        '<span class="text-success"><span aria-hidden="true">✓</span> {}</span>', label
    )


FORM = (
    '<form method="post" action="{url}" hx-post="{url}" hx-trigger="change, submit" '
    'hx-swap="none" hx-sync="body:queue all" class="statement-review-form border-top '
    'pt-3 mt-3" data-ask-comment="{ask}" novalidate>\n'
    '  <input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
    '  <fieldset class="mb-2"{met_described}>\n'
    '    <legend class="fs-6 fw-semibold mb-1">{legend}<span class="visually-hidden"> '
    "{on}</span></legend>\n{met_error}"
    '    <div class="form-check form-check-inline">\n'
    '      <input class="form-check-input" type="radio" name="s{pk}-met" value="met" '
    'id="id_s{pk}-met_0"{met_checked}>\n'
    '      <label class="form-check-label" for="id_s{pk}-met_0">{met}</label>\n'
    "    </div>\n"
    '    <div class="form-check form-check-inline">\n'
    '      <input class="form-check-input" type="radio" name="s{pk}-met" value="not_met" '
    'id="id_s{pk}-met_1"{not_met_checked}>\n'
    '      <label class="form-check-label" for="id_s{pk}-met_1">{not_met}</label>\n'
    "    </div>\n  </fieldset>\n"
    '  <div class="mb-2">\n'
    '    <label class="form-label small mb-1" for="id_s{pk}-comment">{comment} '
    '<span class="text-body-secondary">{needed}</span></label>\n'
    '    <textarea class="form-control form-control-sm{invalid}" name="s{pk}-comment" '
    'id="id_s{pk}-comment" rows="2" maxlength="2000" aria-describedby="se-{pk}'
    '{comment_described}">{comment_value}</textarea>\n{comment_error}'
    "  </div>\n"
    '  <div class="d-flex flex-wrap align-items-center gap-2">\n'
    '    <button type="submit" class="btn btn-sm btn-outline-primary js-hidden">{save}'
    '<span class="visually-hidden"> {on}</span></button>\n'
    '    <span class="small fw-semibold" id="ss-{pk}">{state}</span>\n'
    "  </div>\n"
    '  <p class="text-danger small fw-semibold mb-0 mt-1" id="se-{pk}">{non_field}</p>\n'
    "</form>"
)


class _Kept(dict):
    """Leaves a field it does not hold as it was, to be filled in later."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _escaped(value) -> str:
    """What format_html does to each value: conditional_escape, without its lazy wrapper."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _skeleton(template: str, constants: dict) -> str:
    """``template`` with ``constants`` filled in, escaped, and the other fields left to fill."""
    filled = {
        name: _escaped(value).replace("{", "{{").replace("}", "}}")
        for name, value in constants.items()
    }
    return template.format_map(_Kept(filled))


class _Recorded:
    """A verdict as save_state reads it, for working out each status line once a page."""

    def __init__(self, met: bool):
        self.met = met


class VerdictForms:
    """Renders every statement's form on one page; what they share is worked out once."""

    def __init__(self, application_pk: int, csrf_token: str):
        url = reverse("register:review_statement_save", args=[application_pk, 0])
        self.url = url[: url.rindex("/0/")] + "/{}/"
        self.csrf_token = csrf_token
        self.text = {
            "ask": _(
                "Say why the statement is not met: the practitioner reads this feedback. "
                "It is saved when you leave the comment box."
            ),
            "legend": _("Your verdict"),
            "met": _("Met"),
            "not_met": _("Not met"),
            "comment": _("Comment"),
            "needed": _("(needed when not met: the practitioner reads it)"),
            "save": _("Save verdict"),
        }
        # The page's forms differ only in their statement: the rest is filled in once.
        self.skeleton = _skeleton(FORM, self.text)
        self.on_statement = _("on statement %(key)s")
        self.states = {
            None: save_state(None, saved=False),
            True: save_state(_Recorded(True), saved=False),
            False: save_state(_Recorded(False), saved=False),
        }

    def render(self, row) -> SafeString:
        pk = row.statement.pk
        bound = row.bound
        met_errors = " ".join(bound["met"].errors) if bound is not None else ""
        comment_errors = " ".join(bound["comment"].errors) if bound is not None else ""
        non_field = " ".join(bound.non_field_errors()) if bound is not None else ""
        on_statement = self.on_statement % {"key": row.statement.key}
        choice = row.met_choice
        checked = mark_safe(" checked")
        values = {
            "url": self.url.format(pk),
            "token": self.csrf_token,
            "pk": pk,
            "on": on_statement,
            "met_described": format_html(' aria-describedby="id_s{}-met_error"', pk)
            if met_errors
            else "",
            "met_error": format_html(
                '    <p class="invalid-feedback d-block mt-0" id="id_s{}-met_error">'
                "<strong>{}</strong></p>\n",
                pk,
                met_errors,
            )
            if met_errors
            else "",
            "met_checked": checked if choice == "met" else "",
            "not_met_checked": checked if choice == "not_met" else "",
            "invalid": " is-invalid" if comment_errors else "",
            "comment_described": format_html(" id_s{}-comment_error", pk) if comment_errors else "",
            "comment_value": row.comment_value,
            "comment_error": format_html(
                '    <p class="invalid-feedback d-block" id="id_s{}-comment_error">'
                "<strong>{}</strong></p>\n",
                pk,
                comment_errors,
            )
            if comment_errors
            else "",
            "state": self.states[row.mine.met if row.mine is not None else None],
            "non_field": non_field,
        }
        escaped = {name: _escaped(value) for name, value in values.items()}
        # Every value is escaped just above; the constants were escaped into the skeleton.
        return mark_safe(self.skeleton.format(**escaped))  # noqa: S308


ARTICLE = (
    '          <article class="card mb-3 dossier-statement" id="st-{pk}" '
    'aria-labelledby="st-{pk}-title">\n'
    '            <div class="card-header d-flex flex-wrap justify-content-between '
    'align-items-baseline gap-2">\n'
    '              <h3 class="h6 mb-0" id="st-{pk}-title"><span '
    'class="competency-code">{code}</span> {title} <span class="level-label">'
    "{level}</span></h3>\n"
    "              {badge}\n"
    "            </div>\n"
    '            <div class="card-body">\n'
    "              {body}\n"
    "              {after}\n"
    "            </div>\n"
    "          </article>\n"
)


def statement_articles(context, rows, forms: VerdictForms | None, tail) -> SafeString:
    """Each statement's ``<article>`` on the review page: heading, frozen body, then the form.

    ``forms`` renders the verdict form when the reviewer may still judge; when
    last round's verdicts or every reviewer's show instead, ``tail`` (the
    template register/review/_article_tail.html) renders what follows the body.
    """
    level = _("Level %(level)s")
    badges = {
        True: format_html('<span class="badge text-bg-warning">{}</span>', _("Changed")),
        False: format_html('<span class="badge text-bg-light border">{}</span>', _("Unchanged")),
        None: "",
    }
    articles = []
    for row in rows:
        statement = row.statement
        if forms is not None and not row.previous:
            after = forms.render(row)
        else:
            with context.push(row=row):
                after = tail.render(context)
        articles.append(
            ARTICLE.format(
                pk=_escaped(statement.pk),
                code=_escaped(statement.competency_code),
                title=_escaped(localised(statement, "competency_title")),
                level=_escaped(level % {"level": statement.level}),
                badge=badges[True if row.changed else row.changed],
                body=row.body,  # rendered escaped (register.dossier_html)
                after=_escaped(after),
            )
        )
    # Every value is escaped above, but the body, which the template engine rendered.
    return mark_safe("".join(articles))  # noqa: S308
