"""Forms for the CPD audit at renewal: the practitioner's sending, the reviewer's decision.

What must hold whoever calls (only the audited practitioner sends, only the
reviewer who took the audit decides) is in ``register.services.cpd_audits``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from register.forms_fields import paragraph


class CpdAuditSubmitForm(forms.Form):
    statement = paragraph(
        _("Anything the reviewer should know (optional)"),
        max_length=5000,
        rows=5,
        help_text=_(
            "For example, where evidence of an activity is held if it is not attached, "
            "or how your CPD this year connects to your practice."
        ),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_(
            "The activities listed are a true record of my CPD in the renewal period, "
            "and a reviewer may read them and the files attached to them."
        ),
        error_messages={"required": _("Confirm that the record is true before you send it.")},
    )


class CpdAuditDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            ("pass", _("Pass: the CPD is as declared, so renew for another year")),
            ("fail", _("Fail: the CPD does not bear out the renewal, so do not renew")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose pass or fail.")},
    )
    reasons = paragraph(
        _("Reasons"),
        max_length=10000,
        rows=4,
        help_text=_("The practitioner reads these."),
        error_messages={"required": _("Give the reasons for the audit's outcome.")},
    )

    @property
    def passed(self) -> bool:
        return self.cleaned_data["decision"] == "pass"
