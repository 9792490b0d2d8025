from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template

register = template.Library()


@register.filter
def account_field(bound_field):
    """A field of an allauth form, laid out like every other form on the site.

    allauth's forms put the label text in a placeholder too. With the label
    always shown, the placeholder only repeats it, and placeholder grey is
    often read as a value already filled in.
    """
    bound_field.field.widget.attrs.pop("placeholder", None)
    return as_crispy_field(bound_field)
