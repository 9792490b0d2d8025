"""Hours written one way everywhere: "1 hour", "1.5 hours", "20 hours".

Evidence keeps hours as a two-place decimal, so ``floatformat`` showed "1.50"
beside "20"; and "{{ h }} hours" read "1 hours". ``hours`` gives the figure
with its unit, ``hours_figure`` the figure alone for a column headed "Hours".
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import ngettext

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def hours_figure(value) -> str:
    """The number only: whole hours without a point, otherwise up to two places, no trailing 0."""
    number = _decimal(value)
    if number is None:
        return ""
    number = number.quantize(Decimal("0.01"))
    places = (
        0
        if number == number.to_integral()
        else (1 if number * 10 == (number * 10).to_integral() else 2)
    )
    return number_format(number, decimal_pos=places)


@register.filter
def hours(value) -> str:
    """The number with its unit, singular for exactly one hour."""
    number = _decimal(value)
    if number is None:
        return ""
    count = 1 if number == 1 else 2
    return ngettext("%(h)s hour", "%(h)s hours", count) % {"h": hours_figure(number)}
