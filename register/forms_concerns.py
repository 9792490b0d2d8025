"""Forms for concerns: the public form, and each step staff and the registrant take."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from register.forms_fields import paragraph
from register.forms_public import canonical_number
from register.models import Concern

HONEYPOT = "website"


class ConcernForm(forms.Form):
    registrant_named = forms.CharField(
        label=_("Who is your concern about?"),
        max_length=200,
        help_text=_(
            "Their registration number (like IMH-123456-7) if you have it, or their full name."
        ),
        error_messages={"required": _("Tell us who the concern is about.")},
    )
    description = paragraph(
        _("What is your concern?"),
        max_length=10000,
        rows=8,
        help_text=_("What happened, when and where, and anything that would help us understand."),
        error_messages={"required": _("Describe your concern.")},
    )
    raiser_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        error_messages={"required": _("Enter your name.")},
    )
    raiser_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send your acknowledgement and our decisions here."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
    raiser_relationship = forms.CharField(
        label=_("How do you know them?"),
        max_length=200,
        help_text=_(
            "For example: a parent of a family they worked with, a colleague, an employer."
        ),
        error_messages={"required": _("Say how you know them.")},
    )
    # Left empty by people; filled in by scripts that fill in every field.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = [
        "registrant_named",
        "description",
        "raiser_name",
        "raiser_email",
        "raiser_relationship",
        HONEYPOT,
    ]

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))

    def visible(self) -> list:
        return [field for field in self if field.name != HONEYPOT]


def _staff_with_mfa():
    with_mfa = Authenticator.objects.values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, pk__in=with_mfa)
        .order_by("full_name")
    )


class TriageForm(forms.Form):
    take_forward = forms.ChoiceField(
        label=_("Triage decision"),
        choices=[
            ("yes", _("Take it forward: a case handler investigates")),
            ("no", _("Do not take it forward")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to take the concern forward.")},
    )
    handler = forms.ModelChoiceField(
        label=_("Case handler"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("AIMH UK staff who use two-factor authentication."),
    )
    entry_number = forms.CharField(
        label=_("Registration number, if the concern did not find the entry"),
        max_length=20,
        required=False,
    )
    reasons = paragraph(
        _("Reasons"),
        max_length=5000,
        rows=3,
        help_text=_(
            "Kept in the audit trail; sent to the person who raised it if not taken forward."
        ),
        error_messages={"required": _("Give the reasons for the triage decision.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = _staff_with_mfa()
        self.fields["handler"].label_from_instance = lambda user: user.full_name or user.email

    def clean_entry_number(self) -> str:
        raw = self.cleaned_data["entry_number"].strip()
        if raw and canonical_number(raw) is None:
            raise forms.ValidationError(_("Enter a registration number like IMH-123456-7."))
        return canonical_number(raw) or ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("take_forward") == "yes" and not cleaned.get("handler"):
            self.add_error("handler", _("Choose a case handler."))
        return cleaned


class ResponseForm(forms.Form):
    response = paragraph(
        _("The registrant's response"),
        max_length=10000,
        rows=6,
        help_text=_("As they gave it, in writing or on a call."),
        error_messages={"required": _("Enter the registrant's response.")},
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Concern.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an outcome.")},
    )
    reasons = paragraph(
        _("Reasons"),
        max_length=10000,
        rows=5,
        help_text=_("Sent to the registrant and kept in the audit trail."),
        error_messages={"required": _("Give the reasons for the outcome.")},
    )
    public_text = paragraph(
        _("What the public register shows (conditions or suspension)"),
        max_length=2000,
        rows=3,
        required=False,
    )
    public_text_cy = paragraph(
        _("The same in Welsh"),
        max_length=2000,
        rows=3,
        lang="cy",
        required=False,
        help_text=_(
            "Shown to people reading the register in Welsh. Left blank, they see the English."
        ),
    )


class ConcernAppealForm(forms.Form):
    statement = paragraph(
        _("Why should the outcome be looked at again?"),
        max_length=10000,
        rows=6,
        min_length=20,
        error_messages={"required": _("Explain why the outcome should be looked at again.")},
    )


class RegistrantResponseForm(forms.Form):
    """The registrant's own answer to a concern, on their page."""

    response = paragraph(
        _("Your response"),
        max_length=10000,
        rows=8,
        help_text=_(
            "Say what happened as you see it, and anything the case handler should know. "
            "They read it before anything is decided."
        ),
        error_messages={"required": _("Write your response.")},
    )


class ConcernAppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Appeal decision"),
        choices=[
            ("uphold", _("Uphold the appeal: lift what the outcome put on the register")),
            ("dismiss", _("Dismiss the appeal: the outcome stands")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to uphold or dismiss the appeal.")},
    )
    reasons = paragraph(
        _("Reasons"),
        max_length=5000,
        rows=4,
        error_messages={"required": _("Give the reasons for the appeal decision.")},
    )


STAFF_ACTION_FORMS = {
    "triage": TriageForm,
    "response": ResponseForm,
    "decide": OutcomeForm,
    "appeal": ConcernAppealDecisionForm,
}
