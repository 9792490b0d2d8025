"""Forms for the reviewers' and admins' pages.

They check what a person typed and say where it is wrong; the rules that must
hold whoever calls (every statement judged before recommending, a note with a
conflict, an admin who reviewed never hears the appeal) live in the services,
and a refusal from there is shown through ``add_error``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from register.forms_fields import paragraph
from register.models import Application, RegisterEntry, ReviewAssignment

Rec = ReviewAssignment.Recommendation
Release = ReviewAssignment.ReleaseReason

MET = "met"
NOT_MET = "not_met"


class StatementReviewForm(forms.Form):
    met = forms.ChoiceField(
        label=_("Your verdict"),
        choices=[(MET, _("Met")), (NOT_MET, _("Not met"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose met or not met.")},
    )
    comment = paragraph(_("Comment"), max_length=2000, rows=2, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("met") == NOT_MET and not (cleaned.get("comment") or "").strip():
            self.add_error(
                "comment",
                _("Say why the statement is not met: the practitioner reads this feedback."),
            )
        return cleaned

    @property
    def met_value(self) -> bool:
        return self.cleaned_data["met"] == MET


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Your recommendation"),
        choices=Rec.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose approve, request changes or reject.")},
    )
    reasons = paragraph(
        _("Reasons"),
        max_length=5000,
        rows=4,
        required=False,
        help_text=_(
            "Needed when you ask for changes or recommend rejection. The practitioner reads them."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        recommendation = cleaned.get("recommendation")
        if (
            recommendation
            and recommendation != Rec.APPROVE
            and not cleaned.get("reasons", "").strip()
        ):
            self.add_error("reasons", _("Give your reasons when you do not recommend approval."))
        return cleaned


class ReleaseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you giving this application back?"),
        choices=[
            (Release.RELEASED, _("I cannot review it after all")),
            (Release.CONFLICT, _("I have a conflict of interest")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you are giving the application back.")},
    )
    note = paragraph(
        _("Note"),
        max_length=500,
        rows=2,
        required=False,
        help_text=_(
            "Needed for a conflict of interest: say briefly what it is, for example "
            "“I supervised the applicant last year”. Only administrators see it."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Release.CONFLICT and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say briefly what the conflict of interest is."))
        return cleaned


class _ReasonsMixin(forms.Form):
    reasons = paragraph(
        _("Reasons"),
        max_length=5000,
        rows=4,
        error_messages={"required": _("Give the reasons; they are kept in the audit trail.")},
    )


class RenewalDecisionForm(_ReasonsMixin):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Renew for another year")), ("refuse", _("Do not renew"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to renew.")},
    )
    field_order = ["decision", "reasons"]

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class ModerationForm(_ReasonsMixin):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Rec.APPROVE, _("Approve")),
            (Rec.CHANGES, _("Request changes")),
            (Rec.REJECT, _("Reject")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose approve, request changes or reject.")},
    )
    field_order = ["outcome", "reasons"]


class AppealDecisionForm(_ReasonsMixin):
    decision = forms.ChoiceField(
        label=_("Appeal decision"),
        choices=[
            ("uphold", _("Uphold the appeal: approve the application")),
            ("dismiss", _("Dismiss the appeal: the rejection stands")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to uphold or dismiss the appeal.")},
    )
    field_order = ["decision", "reasons"]

    @property
    def upheld(self) -> bool:
        return self.cleaned_data["decision"] == "uphold"


class EntryReasonForm(forms.Form):
    reason = paragraph(
        _("Reason"),
        max_length=5000,
        rows=3,
        help_text=_("Kept in the audit trail and sent to the practitioner."),
        error_messages={"required": _("Give a reason; it is kept in the audit trail.")},
    )


class SuspendForm(EntryReasonForm):
    restriction = paragraph(
        _("Restriction shown on the public register"),
        max_length=2000,
        rows=2,
        help_text=_("Anyone looking the practitioner up reads this. Keep private details out."),
        error_messages={"required": _("Say what the restriction is.")},
    )
    restriction_cy = paragraph(
        _("The same in Welsh"),
        max_length=2000,
        rows=2,
        lang="cy",
        required=False,
        help_text=_(
            "Shown to people reading the register in Welsh. Left blank, they see the English."
        ),
    )
    field_order = ["restriction", "restriction_cy", "reason"]


ENTRY_ACTION_FORMS = {
    "suspend": SuspendForm,
    "remove": EntryReasonForm,
    "reinstate": EntryReasonForm,
    "readmit": EntryReasonForm,
}


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Application.Status.choices],
    )


class EntrySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Registration number or name"),
        required=False,
        max_length=150,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *RegisterEntry.Status.choices],
    )
