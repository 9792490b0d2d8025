"""Hours are written one way everywhere: no "1 hours", no "1.50"."""

from decimal import Decimal

import pytest

from imhcf.templatetags.hours import hours, hours_figure


@pytest.mark.parametrize(
    ("value", "figure", "with_unit"),
    [
        (Decimal("1.00"), "1", "1 hour"),
        (Decimal("1.50"), "1.5", "1.5 hours"),
        (Decimal("20.50"), "20.5", "20.5 hours"),
        (Decimal("0.25"), "0.25", "0.25 hours"),
        (Decimal("0"), "0", "0 hours"),
        (15, "15", "15 hours"),
    ],
)
def test_hours_are_written_without_trailing_zeros_and_with_the_right_plural(
    value, figure, with_unit
):
    assert hours_figure(value) == figure
    assert hours(value) == with_unit


def test_no_hours_is_blank():
    assert hours(None) == "" and hours_figure("") == ""
