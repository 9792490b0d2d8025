from django import forms
from django.utils.translation import gettext_lazy as _

# A credential with every Level 3 statement is about 100 KB; far more is not one of ours.
CREDENTIAL_MAX_CHARS = 400_000


class VerifyCredentialForm(forms.Form):
    credential = forms.CharField(
        label=_("Paste the credential"),
        help_text=_("The contents of the .jwt file (or the .json file)."),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        required=False,
        max_length=CREDENTIAL_MAX_CHARS,
    )
    upload = forms.FileField(
        label=_("Or upload the file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jwt,.json,application/json,text/plain"}),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None:
            if upload.size > CREDENTIAL_MAX_CHARS:
                raise forms.ValidationError(_("That file is too large to be a credential."))
            try:
                cleaned["credential"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("That file is not a credential.")) from exc
        if not (cleaned.get("credential") or "").strip():
            raise forms.ValidationError(_("Paste a credential or choose its file."))
        return cleaned
