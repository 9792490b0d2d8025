from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.models import DataRequest


class PostalRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("They ask for"),
        choices=DataRequest.Kind.choices,
        initial=DataRequest.Kind.EXPORT,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("The person's email address"),
        help_text=_("The address of their account on the register."),
    )
    reference = forms.CharField(
        label=_("Letter or reference"),
        max_length=DataRequest._meta.get_field("reference").max_length,
        help_text=_("For example: letter dated 1 December 2026, their reference AB12."),
    )


class CloseAccountForm(forms.Form):
    understood = forms.BooleanField(
        label=_("I understand that my data will be erased and cannot be recovered"),
        required=True,
    )
