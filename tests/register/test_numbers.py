import pytest
from hypothesis import given
from hypothesis import strategies as st

from register.numbers import format_number, luhn_check_digit, normalise, number_for_application


def test_numbers_have_a_stable_format_with_a_check_digit():
    assert number_for_application(7) == format_number(100007)
    number = format_number(100007)
    assert number.startswith("IMH-100007-")
    assert normalise(number) == number


@pytest.mark.parametrize("typed", ["imh 100007 {d}", "IMH100007{d}", " IMH-100007-{d} "])
def test_typed_variants_normalise_to_the_canonical_form(typed):
    digit = luhn_check_digit("100007")
    assert normalise(typed.format(d=digit)) == f"IMH-100007-{digit}"


@given(st.integers(min_value=100000, max_value=999999), st.integers(min_value=0, max_value=5))
def test_one_mistyped_digit_is_always_caught(serial, position):
    number = format_number(serial)
    digits = list(number[4:10])
    digits[position] = str((int(digits[position]) + 1) % 10)
    assert normalise(f"IMH-{''.join(digits)}-{number[-1]}") is None


@given(st.integers(min_value=100000, max_value=999999), st.integers(min_value=0, max_value=4))
def test_swapping_two_neighbouring_digits_is_caught_unless_they_are_equal(serial, position):
    number = format_number(serial)
    digits = list(number[4:10])
    if digits[position] == digits[position + 1] or {digits[position], digits[position + 1]} == {
        "0",
        "9",
    }:
        return  # Luhn's known blind spots: equal digits and 09/90
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    assert normalise(f"IMH-{''.join(digits)}-{number[-1]}") is None


@pytest.mark.parametrize(
    "raw", ["", "IMH-12345-1", "XYZ-100007-3", "IMH-100007", "<script>", "9" * 500]
)
def test_anything_else_is_not_a_number(raw):
    assert normalise(raw) is None
