"""Forms for the practitioner's side of the register: applying, withdrawing, resubmitting,
appealing and renewing.

Forms check what a person typed and say where it is wrong. Whether an action is allowed
at all (an open application already, a closed appeal window) is the services' call; a
refusal from there reaches the page as a message.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from imhcf.models import LevelNumber
from register.forms_fields import paragraph
from register.forms_references import RefereesMixin
from register.services.applying import DECLARATIONS, PUBLICATION_CONSENT_WORDING

# Short and plain: what each declaration commits the practitioner to.
DECLARATION_FIELDS = {
    "declared_accuracy": (
        _("The information in my application is accurate"),
        _(
            "My self-assessment ratings are honest, and my evidence is genuine and mine. "
            "Giving false information can lead to removal from the register."
        ),
    ),
    "declared_conduct": (
        _("I will follow the register's code of conduct"),
        _(
            "I will practise safely and ethically, keep the baby's experience in mind, and tell "
            "AIMH UK about anything that affects my fitness to practise."
        ),
    ),
    "consented_review": (
        _("I agree to two reviewers reading my application"),
        _(
            "Two experienced practitioners will read your self-assessment and evidence, including "
            "any files you attached. They will not be from your organisation."
        ),
    ),
    "consented_publication": PUBLICATION_CONSENT_WORDING,
}
# Renewal asks again, about the year's CPD rather than the application.
RENEWAL_DECLARATION_FIELDS = {
    "declared_accuracy": (
        _("The CPD I have logged is accurate"),
        _(
            "The activities, dates and hours in my evidence log are genuine and mine. Giving "
            "false information can lead to removal from the register."
        ),
    ),
    "declared_conduct": DECLARATION_FIELDS["declared_conduct"],
}
RENEWAL_DECLARATIONS = tuple(RENEWAL_DECLARATION_FIELDS)


def _declaration_field(name: str, wording: dict = DECLARATION_FIELDS) -> forms.BooleanField:
    label, help_text = wording[name]
    return forms.BooleanField(
        label=label,
        help_text=help_text,
        required=True,
        error_messages={"required": _("Tick this box to confirm.")},
    )


class LevelChoiceForm(forms.Form):
    """Which level to see the task list for: a GET form, so a bad value just falls back."""

    level = forms.TypedChoiceField(
        label=_("Which level are you applying for?"),
        choices=LevelNumber.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )

    def chosen_level(self, default: int) -> int:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["level"]
        return default


class DeclarationsForm(RefereesMixin, forms.Form):
    """The four declarations, and the referees, on the "check your answers" page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DECLARATIONS:
            self.fields[name] = _declaration_field(name)
        self.add_referee_fields()

    def declarations(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in DECLARATIONS}


class WithdrawForm(forms.Form):
    reason = paragraph(
        _("Why are you withdrawing? (optional)"),
        max_length=1000,
        rows=3,
        required=False,
        help_text=_("Only AIMH UK staff see this. It helps us improve the register."),
    )


class ResubmitForm(forms.Form):
    note = paragraph(
        _("What have you changed?"),
        max_length=2000,
        rows=5,
        help_text=_(
            "Tell the reviewers what you changed in response to their comments, for example "
            "which evidence you added or which ratings you revised."
        ),
        error_messages={"required": _("Tell the reviewers what you have changed.")},
    )


class AppealForm(forms.Form):
    statement = paragraph(
        _("Why should the decision be looked at again?"),
        max_length=10000,
        rows=8,
        min_length=20,
        help_text=_(
            "Explain which part of the decision you disagree with and why. You can refer to "
            "statements by their code, such as 2.03 Level 1."
        ),
        error_messages={
            "required": _("Write your appeal statement."),
            "min_length": _(
                "Explain in a few sentences why the decision should be looked at again."
            ),
        },
    )


class RenewalForm(forms.Form):
    explanation = paragraph(
        _("Why are your CPD hours below what renewal needs?"),
        max_length=5000,
        rows=5,
        required=False,
        help_text=_(
            "For example a period of leave or illness, or activities you have not logged yet. "
            "A reviewer will read this and decide."
        ),
    )

    def __init__(self, *args, meets_requirement: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.meets_requirement = meets_requirement
        for name in RENEWAL_DECLARATIONS:
            self.fields[name] = _declaration_field(name, RENEWAL_DECLARATION_FIELDS)
        # Declarations first, as on the application.
        self.order_fields([*RENEWAL_DECLARATIONS, "explanation"])
        if meets_requirement:
            del self.fields["explanation"]

    def clean_explanation(self) -> str:
        explanation = self.cleaned_data.get("explanation", "").strip()
        if not self.meets_requirement and not explanation:
            raise forms.ValidationError(
                _("Explain why your hours are below the requirement, so a reviewer can decide.")
            )
        return explanation

    def declarations(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in RENEWAL_DECLARATIONS}
