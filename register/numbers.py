"""Registration numbers: ``IMH-`` then six digits and a Luhn check digit, e.g. IMH-100007-3.

The check digit catches a mistyped digit or two swapped neighbours, so a
verification page can tell "not a valid number" from "not registered".
"""

import re

PREFIX = "IMH"
FIRST_SERIAL = 100000
_PATTERN = re.compile(r"^\s*IMH[\s-]?(\d{6})[\s-]?(\d)\s*$", re.IGNORECASE)


def luhn_check_digit(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def format_number(serial: int) -> str:
    digits = f"{serial:06d}"
    if len(digits) != 6:
        raise ValueError("Registration serials have six digits.")
    return f"{PREFIX}-{digits}-{luhn_check_digit(digits)}"


def number_for_application(application_id: int) -> str:
    # One approval per application, so the application's id gives a unique serial.
    return format_number(FIRST_SERIAL + application_id)


def normalise(raw: str) -> str | None:
    """The canonical form of a typed number, or None when it cannot be one of ours."""
    match = _PATTERN.match(raw or "")
    if not match:
        return None
    digits, check = match.groups()
    if luhn_check_digit(digits) != int(check):
        return None
    return f"{PREFIX}-{digits}-{check}"
