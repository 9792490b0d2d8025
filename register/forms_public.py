"""Forms for the public register: the search and the "verify a number" box.

Both are GET forms anyone can type anything into, so every odd input (a very
long query, a region that doesn't exist, half a registration number) becomes
a message on the field rather than an error page.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from imhcf.models import LevelNumber
from register.numbers import normalise
from selfassess.models import REGION_CHOICES

QUERY_MAX_LENGTH = 100
NUMBER_MAX_LENGTH = 40

# People copy the digits from a certificate and leave off the "IMH".
_DIGITS_ONLY = re.compile(r"^\s*(\d{6})[\s-]?(\d)\s*$")

INVALID_NUMBER = _(
    "This is not a valid registration number. Registration numbers look like IMH-123456-7: "
    "check each digit against the certificate."
)


def canonical_number(raw: str) -> str | None:
    """The canonical form of a typed registration number, or None if it cannot be one."""
    match = _DIGITS_ONLY.match(raw or "")
    if match:
        raw = f"IMH-{match[1]}-{match[2]}"
    return normalise(raw)


class RegisterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or registration number"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text=_("For example Jane Smith, or a number like IMH-123456-7."),
        error_messages={
            "max_length": _("Enter %(limit_value)d characters or fewer."),
        },
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("Any region")), *REGION_CHOICES],
        error_messages={"invalid_choice": _("Choose a region from the list.")},
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any level")), *LevelNumber.choices],
        error_messages={"invalid_choice": _("Choose a level from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def clean(self):
        cleaned = super().clean()
        query = " ".join((cleaned.get("q") or "").split())
        cleaned["name"] = ""
        cleaned["number"] = None
        # Names never contain digits, so a digit means someone typed a number.
        if any(char.isdigit() for char in query):
            number = canonical_number(query)
            if number is None:
                self.add_error("q", ValidationError(INVALID_NUMBER, code="invalid_number"))
            cleaned["number"] = number
        else:
            cleaned["name"] = query
        return cleaned

    @property
    def has_criteria(self) -> bool:
        data = self.cleaned_data
        return bool(
            data.get("name") or data.get("number") or data.get("region") or data.get("level")
        )


class VerifyForm(forms.Form):
    # Not "required": the form has one field, and crispy would star it.
    number = forms.CharField(
        label=_("Registration number"),
        required=False,
        max_length=NUMBER_MAX_LENGTH,
        help_text=_("As printed on the certificate, for example IMH-123456-7."),
        error_messages={"max_length": INVALID_NUMBER},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )

    def clean_number(self) -> str:
        if not self.cleaned_data["number"]:
            raise ValidationError(_("Enter a registration number."), code="required")
        number = canonical_number(self.cleaned_data["number"])
        if number is None:
            raise ValidationError(INVALID_NUMBER, code="invalid_number")
        return number
