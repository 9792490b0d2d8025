from __future__ import annotations

import datetime

from crispy_forms.layout import Field, Fieldset
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from imhcf.form_helper import form_helper
from selfassess.models import NOTE_MAX_LENGTH, Goal, Profile, Rating


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "role",
            "role_other",
            "service_setting",
            "sector",
            "organisation",
            "nation",
            "region",
            "target_level",
        ]
        widgets = {
            "service_setting": forms.RadioSelect,
            "sector": forms.RadioSelect,
            "target_level": forms.RadioSelect,
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        help_texts = {
            "role_other": _("Only if you chose “Other”."),
            "target_level": _("Each level includes the ones below it. You can change this later."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("role", "nation", "region"):
            self.fields[name].choices = [("", _("Choose…")), *self.fields[name].choices[1:]]
        self.fields["target_level"].choices = [
            (1, _("Level 1: I know and understand the knowledge base")),
            (2, _("Level 2: I apply it in practice with families")),
            (3, _("Level 3: I supervise, manage and lead")),
        ]
        for name in ("service_setting", "sector"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
        self.helper = form_helper(
            Fieldset(_("Your work"), "role", "role_other", "service_setting", "sector"),
            Fieldset(_("Where you work"), "organisation", "nation", "region"),
            Fieldset(_("What you are aiming for"), Field("target_level")),
        )


class RatingForm(forms.Form):
    """Validates one posted rating; the grid renders its own markup for speed."""

    value = forms.ChoiceField(
        choices=Rating.Value.choices,
        error_messages={
            "required": _("Choose Not started, Working towards or Achieved."),
            "invalid_choice": _("Choose Not started, Working towards or Achieved."),
        },
    )
    note = forms.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        error_messages={"max_length": _("Keep the note to %(limit_value)d characters or fewer.")},
    )
    # Only a tampered or very old page gets this wrong: reloading fixes it.
    revision = forms.IntegerField(
        min_value=0,
        error_messages={
            "required": _("This page is out of date. Reload it and try again."),
            "invalid": _("This page is out of date. Reload it and try again."),
            "min_value": _("This page is out of date. Reload it and try again."),
        },
    )


class GoalForm(forms.Form):
    description = forms.CharField(
        label=_("What you will do"),
        max_length=300,
        help_text=_("For example: “Attend the attachment and bonding course run by my trust”."),
    )
    activity = forms.ChoiceField(
        label=_("Type of activity"), choices=Goal.Activity.choices, widget=forms.RadioSelect
    )
    due_date = forms.DateField(
        label=_("By when"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For example 31/03/2027."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    progress = forms.ChoiceField(
        label=_("Progress"), choices=Goal.Progress.choices, widget=forms.RadioSelect
    )
    statements = forms.TypedMultipleChoiceField(
        label=_("Statements this goal works towards"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one statement.")},
    )

    def __init__(self, *args, statement_choices=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["statements"].choices = statement_choices
        layout = ["description", "activity", "due_date"]
        if editing:
            layout.append("progress")
        else:
            del self.fields["progress"]
        # The statements are drawn by the template: the chosen ones first, the
        # rest folded away behind a search (goal_form.html).
        self.helper = form_helper(*layout)

    def statement_options(self) -> tuple[list, list]:
        """(chosen, others): chosen as (id, label) pairs; others grouped by domain."""
        picked = {str(v) for v in (self["statements"].value() or [])}
        chosen, others = [], []
        for group, options in self.fields["statements"].choices:
            rest = []
            for pk, label in options:
                (chosen if str(pk) in picked else rest).append((pk, label))
            if rest:
                others.append((group, rest))
        return chosen, others

    def clean_due_date(self) -> datetime.date:
        due = self.cleaned_data["due_date"]
        today = timezone.localdate()
        if not self.editing and due < today:
            raise forms.ValidationError(
                _("Choose today or a later date, for example %(date)s.")
                % {"date": date_format(today + datetime.timedelta(days=90), "d/m/Y")}
            )
        return due


class GoalProgressForm(forms.Form):
    progress = forms.ChoiceField(label=_("Progress"), choices=Goal.Progress.choices)


class CompareForm(forms.Form):
    earlier = forms.TypedChoiceField(
        label=_("Compare"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    later = forms.TypedChoiceField(
        label=_("with"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, snapshots=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (
                a.pk,
                _("%(date)s (%(edition)s)")
                % {
                    "date": date_format(timezone.localtime(a.completed_at), "j M Y, H:i"),
                    "edition": a.version.name,
                },
            )
            for a in snapshots
        ]
        self.fields["earlier"].choices = choices
        self.fields["later"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("earlier") and cleaned.get("earlier") == cleaned.get("later"):
            raise forms.ValidationError(_("Choose two different self-assessments."))
        return cleaned
