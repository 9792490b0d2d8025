"""The crispy-forms helper every app's forms share."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout


def form_helper(*layout) -> FormHelper:
    """Fields only: the <form> tag, the error summary and the buttons live in the templates,
    so every form page has the same shape. ``layout``, if given, orders and groups them."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper
