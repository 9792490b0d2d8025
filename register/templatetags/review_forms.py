from django import template
from django.utils.safestring import SafeString

from register import verdict_html

register = template.Library()


@register.simple_tag(takes_context=True)
def verdict_form(context, row, application) -> SafeString:
    """One statement's verdict form (register/verdict_html.py)."""
    forms = context.render_context.get("verdict_forms")
    if forms is None:  # once per page, shared by every statement
        forms = verdict_html.VerdictForms(application.pk, str(context.get("csrf_token", "")))
        context.render_context["verdict_forms"] = forms
    return forms.render(row)


@register.simple_tag
def verdict_save_state(review, saved=False) -> SafeString:
    return verdict_html.save_state(review, saved=saved)
