"""Forms for the framework's admin pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imhcf.csv_io import MAX_IMPORT_BYTES
from imhcf.models import FrameworkVersion, Statement, WordingRevision
from imhcf.services import WORDING_FIELDS


class FrameworkAdminForm(forms.ModelForm):
    """Every framework change form: the model's fields, what kind of change, and why."""

    change_kind = forms.ChoiceField(
        label=_("Kind of change"),
        choices=WordingRevision.Kind.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "The published version takes editorial changes only: punctuation, capitals or "
            "spacing. A change to the words of a statement or a competency title goes into a "
            "draft version, so practitioners are asked to re-check their ratings."
        ),
    )
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        required=False,
        help_text=_("Optional. Kept in the history beside each wording change you save."),
    )

    def clean(self):
        cleaned = super().clean()
        # Only a change to wording needs its kind; an unchanged form saves nothing.
        wording = set(WORDING_FIELDS.get(type(self.instance), ()))
        if self.instance.pk and wording & set(self.changed_data) and not cleaned.get("change_kind"):
            self.add_error("change_kind", _("Say what kind of change this is."))
        return cleaned


class StatementInlineForm(forms.ModelForm):
    """A statement under its competency: the level is fixed once it exists."""

    class Meta:
        model = Statement
        fields = ["level", "text", "text_cy"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "text_cy": forms.Textarea(attrs={"rows": 3, "cols": 60, "lang": "cy"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "level" in self.fields:
            # Code and level are the statement's key across versions; changing
            # the level would silently move practitioners' ratings.
            self.fields["level"].disabled = True


class StartDraftForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new draft"),
        max_length=FrameworkVersion._meta.get_field("name").max_length,
        help_text=_("For example “IMHCF 2026”. It must differ from every other version."),
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV with the same columns as the export."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB."),
                params={"size": MAX_IMPORT_BYTES // (1024 * 1024)},
            )
        return upload.read()
