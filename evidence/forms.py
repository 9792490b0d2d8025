"""Forms for evidence items, their files and statements, and the CPD period.

Forms check what a person typed and say where it is wrong. The rules that must
hold whatever the caller (the de-identification confirmation, end after start)
live in ``evidence.services``; a refusal from there is shown on the field it
concerns through ``EvidenceItemForm.add_service_error``.

Over 400 lines on purpose: the item form's fields and their checks are one concept; the file
and CPD forms are short.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from evidence.models import EvidenceItem
from evidence.services import ITEM_FIELDS
from evidence.uploads import safe_display_name
from imhcf.forms_text import RowsByIdField, typed_text

# Plain words for each kind, shown beside its radio button.
KIND_HELP = {
    EvidenceItem.Kind.TRAINING: _(
        "A seminar, workshop, course or conference session on infant mental health. "
        "Record the hours you attended."
    ),
    EvidenceItem.Kind.CLINICAL: _(
        "Direct work with babies and their parents or carers, such as casework or a placement. "
        "Describe what you did and learnt, not who the family are."
    ),
    EvidenceItem.Kind.SUPERVISION: _(
        "A record of reflective or clinical supervision, written by you or your supervisor."
    ),
    EvidenceItem.Kind.REFLECTIVE: _(
        "Your own written reflection on a piece of practice or learning, and what you will "
        "do differently."
    ),
    EvidenceItem.Kind.OTHER: _(
        "Anything else that shows your competence, such as a presentation you gave or a "
        "service you helped to develop."
    ),
}

DEIDENTIFY_MESSAGE = _(
    "Confirm that you have removed anything that could identify a client before saving a "
    "supervision report or clinical evidence."
)

# Dates earlier than this are almost always a typing slip (a two-digit year, say).
EARLIEST_DATE = date(1970, 1, 1)
# Planned activities may be logged ahead of time, but not years ahead.
FUTURE_LIMIT_DAYS = 366
MAX_HOURS = Decimal("2000")
# Hours beyond this many per calendar day of the activity cannot be real.
MAX_HOURS_PER_DAY = 24
MAX_FILES_PER_UPLOAD = 10
CPD_MAX_YEARS = 5


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28) + timedelta(days=1)


def _latest_allowed_date() -> date:
    return timezone.localdate() + timedelta(days=FUTURE_LIMIT_DAYS)


def _check_date_in_range(value: date | None) -> date | None:
    """Refuse dates no activity can have: before 1970, or more than a year ahead."""
    if value and value < EARLIEST_DATE:
        raise forms.ValidationError(
            _("Enter a date after %(date)s."), params={"date": EARLIEST_DATE.strftime("%Y")}
        )
    if value and value > _latest_allowed_date():
        raise forms.ValidationError(_("The date cannot be more than a year from today."))
    return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # ISO format is what <input type="date"> reads back.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class EvidenceFilterForm(forms.Form):
    """The evidence list's filters. Every field is optional; a bad one is ignored."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *EvidenceItem.Kind.choices]
    )
    domain = forms.TypedChoiceField(label=_("Domain"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, domains: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [
            ("", _("All domains")),
            *((number, f"{number}. {name}") for number, name in domains),
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The “to” date cannot be before the “from” date."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters, so one mistyped date never empties the whole list."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in ("kind", "domain", "date_from", "date_to")
            if name not in self.errors and self.cleaned_data.get(name)
        }


class EvidenceItemForm(forms.ModelForm):
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_HOURS,
        decimal_places=2,
        # A text box, not type="number": browsers silently drop what a number box cannot
        # parse, and a person should see exactly what they typed beside the error.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("For example 3 or 1.5. Leave empty where hours do not apply."),
        error_messages={
            "invalid": _("Enter hours as a number, for example 3 or 1.5."),
            "min_value": _("Hours cannot be negative."),
            "max_value": _("Hours must be %(limit_value)s or fewer."),
            "max_decimal_places": _("Use no more than two decimal places."),
        },
    )

    class Meta:
        model = EvidenceItem
        # The fields the services accept: one list, so the form cannot offer another.
        fields = list(ITEM_FIELDS)
        labels = {
            "kind": _("What kind of evidence is this?"),
            "start_date": _("Date (or first day)"),
            "end_date": _("Last day"),
            "deidentified": _("I have removed client-identifying details"),
        }
        help_texts = {
            "title": _(
                "A short name you will recognise, for example “Attachment in the first year”."
            ),
            "end_date": _("Only for activities over several days. Leave empty for one day."),
            "provider": _("Who ran the training, or who supervised you. Leave empty if neither."),
            "description": _(
                "What happened and what you learnt. For clinical work and supervision, "
                "describe families without names, dates of birth, addresses or anything else "
                "that could identify them."
            ),
            "deidentified": _(
                "Needed for supervision reports and clinical work experience: names, dates of "
                "birth, addresses and other details that could identify a family are removed "
                "from the description and from every file."
            ),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "start_date": DateInput,
            "end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "start_date": {"invalid": _("Enter a real date, for example 14 3 2026.")},
            "end_date": {"invalid": _("Enter a real date, for example 15 3 2026.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's blank choice makes no sense as a radio button.
        self.fields["kind"].choices = EvidenceItem.Kind.choices

    def kind_options(self) -> list[dict]:
        """Each kind with its explanation, for the hand-built radio group."""
        chosen = str(self["kind"].value() or "")
        return [
            {
                "value": value,
                "label": label,
                "help": KIND_HELP[value],
                "id": f"{self['kind'].auto_id}_{index}",
                "checked": value == chosen,
                "sensitive": value in EvidenceItem.SENSITIVE_KINDS,
            }
            for index, (value, label) in enumerate(EvidenceItem.Kind.choices)
        ]

    def clean_start_date(self):
        return _check_date_in_range(self.cleaned_data.get("start_date"))

    def clean_end_date(self):
        return _check_date_in_range(self.cleaned_data.get("end_date"))

    def clean(self):
        cleaned = super().clean()
        # The service refuses this too; asking here lists it with every other problem,
        # rather than after the person has fixed those and saved again.
        if cleaned.get("kind") in EvidenceItem.SENSITIVE_KINDS and not cleaned.get("deidentified"):
            self.add_error("deidentified", DEIDENTIFY_MESSAGE)
        start, end, hours = (cleaned.get(k) for k in ("start_date", "end_date", "hours"))
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
            return cleaned
        if start and hours:
            days = ((end or start) - start).days + 1
            if hours > days * MAX_HOURS_PER_DAY:
                self.add_error(
                    "hours",
                    ngettext(
                        "That is more hours than %(days)s day holds. Check the hours, or add "
                        "the last day for an activity over several days.",
                        "That is more hours than %(days)s days hold. Check the hours or the dates.",
                        days,
                    )
                    % {"days": days},
                )
        return cleaned

    def add_service_error(self, message: str) -> None:
        """Show a refusal from the service beside the field it concerns."""
        kind = self.cleaned_data.get("kind")
        if kind in EvidenceItem.SENSITIVE_KINDS and not self.cleaned_data.get("deidentified"):
            self.add_error("deidentified", message)
        else:
            self.add_error(None, message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        parts = data if isinstance(data, list | tuple) else [data] if data else []
        if not parts:
            return single(None, initial)  # "required" is checked here
        return [single(part, initial) for part in parts]


class EvidenceFileUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Add files"),
        error_messages={"required": _("Choose at least one file to upload.")},
    )

    def __init__(self, *args, oversized: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = oversized or []
        if self.oversized:
            # "Choose a file" would be wrong when they did and it was dropped for size.
            self.fields["files"].required = False
        self.fields["files"].help_text = _(
            "PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG, up to %(size)s each. "
            "You can choose several at once."
        ) % {"size": filesizeformat(settings.IMHCF_UPLOAD_MAX_BYTES)}
        self.fields["files"].widget.attrs["accept"] = (
            ".pdf,.docx,.odt,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
        )

    def clean_files(self):
        files = self.cleaned_data["files"] or []
        if len(files) + len(self.oversized) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("Upload at most %(n)s files at a time."), params={"n": MAX_FILES_PER_UPLOAD}
            )
        return files

    def refuse(self, name: str, reason: str, *, names_file: bool = False) -> None:
        """Say beside the upload field that one file was not added, and why."""
        self.add_error("files", reason if names_file else f"{reason} {self.not_added(name)}")

    def refuse_oversized(self, name: str) -> None:
        self.add_error(
            "files",
            gettext("“%(name)s” is larger than the %(size)s limit for one file.")
            % {
                "name": safe_display_name(name, ""),
                "size": filesizeformat(settings.IMHCF_UPLOAD_MAX_BYTES),
            }
            + " "
            + self.not_added(name),
        )

    @staticmethod
    def not_added(name: str) -> str:
        return gettext("“%(name)s” was not added.") % {"name": safe_display_name(name, "")}


class OversizeSkippingUploadHandler(FileUploadHandler):
    """Drops any uploaded file larger than the per-file limit while it streams in.

    Without it, a 2 GB file would be written to a temporary file in full before
    the content check refused it. The names dropped are kept so the page can say
    which file was too large.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.IMHCF_UPLOAD_MAX_BYTES
        self.oversized: list[str] = []
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.oversized.append(self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        # The next handler builds the file object.
        return None


class StatementLinksForm(forms.Form):
    """The item's chosen statements and a justification for each.

    ``allowed`` is every statement id of the published version; anything else in
    the request is refused rather than linked.
    """

    statement = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, allowed: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].choices = [(pk, pk) for pk in sorted(allowed)]
        self.fields["statement"].error_messages["invalid_choice"] = _(
            "One of the chosen statements is not in the current framework. Reload the page "
            "and choose again."
        )

    def clean(self):
        cleaned = super().clean()
        justifications: dict[int, str] = {}
        for pk in cleaned.get("statement", []):
            try:
                text = typed_text(self.data.get(f"justification-{pk}"))
            except forms.ValidationError as exc:
                self.add_error(
                    None,
                    gettext("The justification could not be saved: %(reason)s")
                    % {"reason": exc.messages[0]},
                )
                continue
            if len(text) > 500:
                self.add_error(None, _("Keep each justification to 500 characters or fewer."))
            justifications[pk] = text
        cleaned["justifications"] = justifications
        return cleaned


class AttachExistingForm(forms.Form):
    items = RowsByIdField(
        label=_("Your evidence"),
        queryset=EvidenceItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one item of evidence."),
            "invalid_choice": _("One of the chosen items is not yours or no longer exists."),
            "invalid_pk_value": _("One of the chosen items is not yours or no longer exists."),
        },
    )
    justification = forms.CharField(
        label=_("Why this is evidence (optional)"),
        max_length=500,
        required=False,
        help_text=_("A sentence a reviewer will read beside the statement."),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items

    def chosen_ids(self) -> set[str]:
        return {str(v) for v in (self["items"].value() or [])}


class CpdPeriodForm(forms.Form):
    LAST_12_MONTHS = "last12"
    THIS_YEAR = "year"
    CUSTOM = "custom"

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            (LAST_12_MONTHS, _("The last 12 months")),
            (THIS_YEAR, _("This year so far")),
            (CUSTOM, _("Dates I choose")),
        ],
        initial=LAST_12_MONTHS,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    @staticmethod
    def last_12_months(today: date) -> tuple[date, date]:
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return year_ago + timedelta(days=1), today

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        period = cleaned.get("period")
        if period == self.LAST_12_MONTHS:
            cleaned["start"], cleaned["end"] = self.last_12_months(today)
        elif period == self.THIS_YEAR:
            cleaned["start"], cleaned["end"] = today.replace(month=1, day=1), today
        elif period == self.CUSTOM:
            start, end = cleaned.get("date_from"), cleaned.get("date_to")
            if not start and "date_from" not in self.errors:
                self.add_error("date_from", _("Enter the first day of the period."))
            if not end and "date_to" not in self.errors:
                self.add_error("date_to", _("Enter the last day of the period."))
            # Checked only for the custom period, whose dates are the ones used. A date
            # near year 9999 would also overflow the five-year check below.
            for name, value in (("date_from", start), ("date_to", end)):
                try:
                    _check_date_in_range(value)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
                    start = end = None
            if start and end:
                if end < start:
                    self.add_error("date_to", _("The last day cannot be before the first day."))
                elif end >= _years_after(start, CPD_MAX_YEARS):
                    self.add_error("date_to", _("Choose a period of five years or less."))
                else:
                    cleaned["start"], cleaned["end"] = start, end
        return cleaned

    @property
    def period_dates(self) -> tuple[date, date] | None:
        if self.is_valid() and "start" in self.cleaned_data:
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return None
