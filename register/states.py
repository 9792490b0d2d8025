"""Every named set of the register's states, and their labels, in one place.

The statuses themselves are ``Application.Status`` and ``RegisterEntry.Status``.
The two sets a model's own methods need (``Application.OPEN_STATUSES``,
``RegisterEntry.PUBLIC_STATUSES``) stay on the model and are named here too;
every other set is defined only here. Which action may start from which state
is the transitions engine's table (``register/transitions.py``) for
applications and entries, and the rules below for references, concerns and
CPD audits, which ``subject_transition`` applies.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from register.models import Application, Concern, CpdAudit, Reference, RegisterEntry, Renewal

A = Application.Status
E = RegisterEntry.Status

# An applicant has at most one of these at a time.
OPEN = Application.OPEN_STATUSES
# Shown on the public register (while the valid-until date has not passed).
PUBLIC = RegisterEntry.PUBLIC_STATUSES
# In the queue, waiting for reviewers to claim them.
WAITING = (A.SUBMITTED, A.IN_REVIEW)
# Claims a reviewer still has something to do with, or is waiting on.
ONGOING = (A.SUBMITTED, A.IN_REVIEW, A.CHANGES_REQUESTED, A.MODERATION)
# Reviewers see a dossier while it is theirs to judge, not after it is decided:
# it holds the practitioner's evidence, which stays private once review ends.
REVIEWABLE = (A.IN_REVIEW, A.CHANGES_REQUESTED, A.MODERATION)
# Files go further only while a reviewer may still need them to reach a verdict.
FILE_READABLE = (A.IN_REVIEW, A.CHANGES_REQUESTED)
# Once the reviewers have finished with a round, the practitioner may read their feedback.
FEEDBACK = (A.CHANGES_REQUESTED, A.APPROVED, A.REJECTED, A.APPEALED)

R = Reference.Status
C = Concern.Status

# References (register.services.references): which step may start from which state.
REFERENCE_RULES: dict[str, frozenset[str]] = {
    "reference_respond": frozenset({R.REQUESTED}),
    "reference_decline": frozenset({R.REQUESTED}),
    "reference_replace": frozenset({R.REQUESTED, R.DECLINED}),
    "reference_waive": frozenset({R.REQUESTED, R.DECLINED}),
}
# A reference in one of these counts towards the application going to review.
REFERENCE_DONE = (R.RECEIVED, R.WAIVED)
# Still waiting on the referee: the health page counts these as outstanding.
REFERENCE_WAITING = (R.REQUESTED,)

# Concerns (register.services.concerns): the same, for a case's steps.
CONCERN_RULES: dict[str, frozenset[str]] = {
    "concern_triage": frozenset({C.RECEIVED}),
    "concern_invite": frozenset({C.INVESTIGATING}),
    "concern_response": frozenset({C.INVESTIGATING}),
    "concern_decide": frozenset({C.INVESTIGATING}),
    "concern_appeal": frozenset({C.DECIDED}),
    "concern_appeal_decide": frozenset({C.APPEALED}),
}
# A concern still being dealt with: the staff list and the health page.
CONCERN_OPEN = (C.RECEIVED, C.INVESTIGATING, C.APPEALED)

# Renewals still to be decided: they hold the entry from lapsing and bar a second renewal.
RENEWAL_WAITING = (Renewal.Status.NEEDS_JUDGEMENT, Renewal.Status.AUDIT)

# CPD audits (register.services.cpd_audits).
CA = CpdAudit.Status
CPD_AUDIT_RULES: dict[str, frozenset[str]] = {
    "cpd_audit_submit": frozenset({CA.REQUESTED}),
    "cpd_audit_claim": frozenset({CA.SUBMITTED}),
    "cpd_audit_decide": frozenset({CA.SUBMITTED}),
}
CPD_AUDIT_OPEN = (CA.REQUESTED, CA.SUBMITTED)

STATUS_LABELS = dict(Application.Status.choices) | dict(RegisterEntry.Status.choices)

# What each audited action is called in the audit trail.
ACTION_LABELS = {
    "submit": gettext_lazy("Submitted"),
    "claim": gettext_lazy("Claimed by a reviewer"),
    "release": gettext_lazy("Claim released"),
    "recommend": gettext_lazy("Recommendation"),
    "decide": gettext_lazy("Decision"),
    "withdraw": gettext_lazy("Withdrawn"),
    "resubmit": gettext_lazy("Resubmitted"),
    "appeal": gettext_lazy("Appealed"),
    "appeal_decide": gettext_lazy("Appeal decided"),
    "suspend": gettext_lazy("Suspended"),
    "remove": gettext_lazy("Removed"),
    "reinstate": gettext_lazy("Reinstated"),
    "lapse": gettext_lazy("Lapsed"),
    "renew": gettext_lazy("Renewal"),
    "renewal_decide": gettext_lazy("Renewal decided"),
    "conditions": gettext_lazy("Conditions on practice"),
    "conditions_end": gettext_lazy("Conditions ended"),
    "reference_request": gettext_lazy("Referee asked"),
    "reference_respond": gettext_lazy("Reference received"),
    "reference_decline": gettext_lazy("Referee declined"),
    "reference_replace": gettext_lazy("Referee replaced"),
    "reference_waive": gettext_lazy("Reference waived"),
    "references_complete": gettext_lazy("References complete"),
    "readmit": gettext_lazy("Allowed to apply again"),
    "concern_raise": gettext_lazy("Concern raised"),
    "concern_triage": gettext_lazy("Concern triaged"),
    "concern_invite": gettext_lazy("Registrant invited to respond"),
    "concern_response": gettext_lazy("Registrant's response recorded"),
    "concern_decide": gettext_lazy("Concern decided"),
    "concern_appeal": gettext_lazy("Outcome appealed"),
    "concern_appeal_decide": gettext_lazy("Appeal decided"),
    "cpd_audit_draw": gettext_lazy("CPD audit draw"),
    "cpd_audit_submit": gettext_lazy("CPD record sent for audit"),
    "cpd_audit_claim": gettext_lazy("CPD audit taken by a reviewer"),
    "cpd_audit_decide": gettext_lazy("CPD audit decided"),
}


def status_label(status: str) -> str:
    """An application's or entry's status in words; the empty state is "not started"."""
    return str(STATUS_LABELS.get(status, status or _("not started")))
