"""Forms for references: naming referees, the referee's answer, replacing and waiving."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from register.forms_fields import paragraph
from register.models import Reference
from register.services.references import CONSENT_WORDING, Referee, referee_kinds

REFEREE_FIELDS = ("name", "role", "email", "relationship")


def _referee_fields() -> dict[str, forms.Field]:
    return {
        "name": forms.CharField(
            label=_("Full name"),
            max_length=150,
            error_messages={"required": _("Enter the referee's name.")},
        ),
        "role": forms.CharField(
            label=_("Job title"),
            max_length=150,
            error_messages={"required": _("Enter the referee's job title.")},
        ),
        "email": forms.EmailField(
            label=_("Email address"),
            help_text=_("Their work address, if they have one. We send the request here."),
            error_messages={
                "required": _("Enter the referee's email address."),
                "invalid": _("Enter an email address like name@example.org."),
            },
        ),
        "relationship": paragraph(
            _("How they know your work"),
            max_length=500,
            rows=2,
            help_text=_("For example: “my line manager in the health visiting team since 2021”."),
            error_messages={"required": _("Say how this referee knows your work.")},
        ),
    }


class RefereesMixin:
    """Adds one group of referee fields per kind in ``IMHCF_REFEREE_KINDS``, and the consent."""

    def add_referee_fields(self) -> None:
        self.referee_kinds = referee_kinds()
        for kind in self.referee_kinds:
            for name, field in _referee_fields().items():
                self.fields[f"{kind}-{name}"] = field
        if self.referee_kinds:
            self.fields["consent_references"] = forms.BooleanField(
                label=_("My referees may be contacted"),
                help_text=CONSENT_WORDING,
                error_messages={"required": _("Tick this box so we can contact your referees.")},
            )

    def referee_groups(self) -> list[tuple[str, str, list]]:
        labels = dict(Reference.Kind.choices)
        return [
            (kind, labels[kind], [self[f"{kind}-{name}"] for name in REFEREE_FIELDS])
            for kind in self.referee_kinds
        ]

    def other_fields(self) -> list:
        return [
            field
            for field in self
            if field.name.split("-")[0] not in self.referee_kinds
            and field.name != "consent_references"
        ]

    def referees(self) -> list[Referee]:
        data = self.cleaned_data
        return [
            Referee(kind=kind, **{name: data[f"{kind}-{name}"] for name in REFEREE_FIELDS})
            for kind in self.referee_kinds
        ]


class ReplaceRefereeForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_referee_fields())

    def referee(self, kind: str) -> Referee:
        return Referee(kind=kind, **{name: self.cleaned_data[name] for name in REFEREE_FIELDS})


class ReferenceResponseForm(forms.Form):
    """What the referee says: who they are, how long they have known the work, each domain."""

    identity_confirmed = forms.BooleanField(
        label=_("I am the person this request was sent to"),
        help_text=_(
            "I agree that what I write here is read by the reviewers of this application and "
            "kept with it. It is not shown to the applicant."
        ),
        error_messages={"required": _("Tick this box to confirm who you are.")},
    )
    known_capacity = paragraph(
        _("How do you know the applicant's work?"),
        max_length=500,
        rows=2,
        help_text=_("For example: “I have been their clinical supervisor, monthly, since 2022”."),
        error_messages={"required": _("Say how you know the applicant's work.")},
    )
    known_for = forms.ChoiceField(
        label=_("For how long?"),
        choices=Reference.KnownFor.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how long you have known their work.")},
    )
    comments = paragraph(
        _("Anything else the reviewers should know (optional)"),
        max_length=5000,
        rows=5,
        required=False,
    )

    def __init__(self, *args, domains: list[tuple[int, str]], level: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain_numbers = [number for number, _name in domains]
        for number, name in domains:
            self.fields[f"domain_{number}"] = forms.ChoiceField(
                label=_("Domain %(number)d: %(name)s") % {"number": number, "name": name},
                help_text=_(
                    "In your experience, does the applicant show this domain's competencies "
                    "at Level %(level)d?"
                )
                % {"level": level},
                choices=Reference.Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose yes, no or can't say.")},
            )

    def domain_fields(self) -> list:
        return [self[f"domain_{number}"] for number in self.domain_numbers]

    def answers(self) -> dict[int, str]:
        return {number: self.cleaned_data[f"domain_{number}"] for number in self.domain_numbers}


class ReferenceDeclineForm(forms.Form):
    reason = paragraph(
        _("Why are you declining? (optional)"),
        max_length=2000,
        rows=3,
        required=False,
        help_text=_("Only AIMH UK staff read this. The applicant is told only that you declined."),
    )


class WaiveReferenceForm(forms.Form):
    reason = paragraph(
        _("Why can the application go to review without this reference?"),
        max_length=2000,
        rows=3,
        help_text=_("Kept in the audit trail."),
        error_messages={"required": _("Give a reason; it is kept in the audit trail.")},
    )
