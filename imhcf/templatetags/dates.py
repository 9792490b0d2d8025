"""Dates kept as ISO text (in frozen JSON records) shown as every other date is.

A frozen record stores ``"2026-11-02"``; Django's ``date`` filter needs a date,
so ``{{ value|iso_date|date:"j M Y" }}`` reads "2 Nov 2026" like the live pages.
"""

from datetime import date

from django import template

register = template.Library()


@register.filter
def iso_date(value):
    """The date an ISO string names; anything else (a date, None, bad text) unchanged."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value
