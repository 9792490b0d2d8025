"""Forms for providers' courses, sessions, attendance, the review, and attendees' choices.

Forms check what a person typed and say where it is wrong; the rules that
must hold whatever the caller live in ``training.services``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from imhcf.form_helper import form_helper
from imhcf.forms_text import typed_text
from selfassess.models import REGION_CHOICES
from training.models import COMMENT_MAX_LENGTH, NOTE_MAX_LENGTH, Course, CourseSession
from training.services import MAX_CODES_AT_ONCE

EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def _check_date(value: date | None) -> date | None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise forms.ValidationError(_("Enter a real date, for example 14 3 2027."))
    return value


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "summary", "mode", "hours"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "mode": forms.RadioSelect,
        }
        help_texts = {
            "summary": _("What the course teaches and who it is for, in plain words."),
            "hours": _("Hours of learning an attendee can record as CPD."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = Course.Mode.choices
        self.fields["hours"].min_value = Decimal("0")
        self.helper = form_helper()

    def clean_title(self):
        return typed_text(self.cleaned_data["title"])

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and not Decimal("0") < hours <= Decimal("2000"):
            raise forms.ValidationError(_("Enter the hours, between 0.25 and 2000."))
        return hours


class SessionForm(forms.ModelForm):
    class Meta:
        model = CourseSession
        fields = ["starts_on", "ends_on", "place", "region"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"ends_on": _("Only for sessions over several days.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Online, or no single region")), *REGION_CHOICES]
        self.helper = form_helper()

    def clean_starts_on(self):
        return _check_date(self.cleaned_data["starts_on"])

    def clean_ends_on(self):
        return _check_date(self.cleaned_data["ends_on"])

    def clean_place(self):
        return typed_text(self.cleaned_data["place"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return cleaned


class MappingForm(forms.Form):
    """The statements a course covers, each with a note on how.

    ``allowed`` is every published statement's id: anything else posted is refused.
    """

    statement = forms.TypedMultipleChoiceField(
        coerce=int,
        required=True,
        error_messages={"required": _("Choose at least one statement the course covers.")},
    )

    def __init__(self, *args, allowed: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].choices = [(pk, pk) for pk in sorted(allowed)]
        self.fields["statement"].error_messages["invalid_choice"] = _(
            "One of the chosen statements is not in the current framework. Reload the page."
        )

    def clean(self):
        cleaned = super().clean()
        notes: dict[int, str] = {}
        for pk in cleaned.get("statement", []):
            try:
                note = typed_text(self.data.get(f"note-{pk}"))
            except forms.ValidationError as exc:
                self.add_error(None, exc.messages[0])
                continue
            if not note:
                self.add_error(None, _("Say in a few words how the course covers each statement."))
                break
            if len(note) > NOTE_MAX_LENGTH:
                self.add_error(
                    None,
                    _("Keep each note to %(n)s characters or fewer.") % {"n": NOTE_MAX_LENGTH},
                )
                break
            notes[pk] = note
        cleaned["notes"] = notes
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            ("accept", _("Accept the mapping")),
            ("request_changes", _("Ask the provider for changes")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the provider"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you ask for changes: say which statements and why."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "request_changes" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what needs to change."))
        return cleaned


class AttendanceEmailsForm(forms.Form):
    emails = forms.CharField(
        label=_("Attendees' email addresses"),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        help_text=_(
            "One per line, or separated by commas. Each attendee can then add the course "
            "to their evidence, marked as confirmed by you."
        ),
        max_length=60000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"),
        min_value=1,
        max_value=MAX_CODES_AT_ONCE,
        initial=10,
        help_text=_("Hand one to each attendee; each works once."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class RedeemForm(forms.Form):
    code = forms.CharField(
        label=_("Attendance code"),
        max_length=40,
        help_text=_("The code the course provider gave you, for example KX7P-M2QR-9T."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class EvidenceFromCourseForm(forms.Form):
    statement = forms.TypedMultipleChoiceField(
        label=_("Statements this evidences"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The statements the course is mapped to. Untick any your learning did not reach."
        ),
    )
    reflection = forms.CharField(
        label=_("Your reflection"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you learnt and what you will do differently. You can add it later."),
    )

    def __init__(self, *args, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].choices = [
            (s.pk, f"{s.competency.code} L{s.level}: {s.text}") for s in statements
        ]
        self.fields["statement"].initial = [s.pk for s in statements]
        self.helper = form_helper()


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the course for your practice?"),
        coerce=int,
        choices=[
            (5, _("5: very useful")),
            (4, _("4")),
            (3, _("3")),
            (2, _("2")),
            (1, _("1: not useful")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like the provider to know"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional. Your name is not kept with it: don't write anything that "
            "identifies you or a family."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    domain = forms.TypedChoiceField(label=_("Domain"), required=False, coerce=int, empty_value=None)
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any level")), (1, _("Level 1")), (2, _("Level 2")), (3, _("Level 3"))],
    )
    statement = forms.CharField(
        label=_("Statement code"),
        required=False,
        max_length=12,
        help_text=_("For example 1.01 or 1.01/L2."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    mode = forms.ChoiceField(
        label=_("Delivery"), required=False, choices=[("", _("Any")), *Course.Mode.choices]
    )
    starts_after = forms.DateField(
        label=_("Starting from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_before = forms.DateField(
        label=_("Starting by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [
            ("", _("Any domain")),
            *[(d.number, f"{d.number}. {d.name}") for d in domains],
        ]
        self.fields["region"].choices = [("", _("Anywhere")), *REGION_CHOICES]

    def clean_q(self):
        return typed_text(self.cleaned_data["q"])

    def clean_statement(self):
        return typed_text(self.cleaned_data["statement"])

    def clean_starts_after(self):
        return _check_date(self.cleaned_data["starts_after"])

    def clean_starts_before(self):
        return _check_date(self.cleaned_data["starts_before"])
