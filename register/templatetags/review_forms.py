from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from imhcf.fragments import kept
from register import verdict_html

register = template.Library()


def _verdict_forms(context, application) -> verdict_html.VerdictForms:
    forms = context.render_context.get("verdict_forms")
    if forms is None:  # once per page, shared by every statement
        forms = verdict_html.VerdictForms(application.pk, str(context.get("csrf_token", "")))
        context.render_context["verdict_forms"] = forms
    return forms


@register.simple_tag(takes_context=True)
def verdict_form(context, row, application) -> SafeString:
    """One statement's verdict form (register/verdict_html.py)."""
    return _verdict_forms(context, application).render(row)


@register.simple_tag(takes_context=True)
def statement_articles(context, rows, application, revealed, can_review) -> SafeString:
    """A domain's statements on the review page, each in its article (register/verdict_html.py)."""
    forms = _verdict_forms(context, application) if can_review and not revealed else None
    tail = context.template.engine.get_template("register/review/_article_tail.html")
    return verdict_html.statement_articles(context, rows, forms, tail)


@register.simple_tag
def verdict_save_state(review, saved=False) -> SafeString:
    return verdict_html.save_state(review, saved=saved)


@register.simple_tag
def recommendation_fields(form) -> SafeString:
    """The recommendation's two fields as crispy renders them; unbound, once per process."""

    def build():
        return format_html(
            "{}\n            {}",
            as_crispy_field(form["recommendation"]),
            as_crispy_field(form["reasons"]),
        )

    return build() if form.is_bound else kept(("recommendation-fields",), build)
