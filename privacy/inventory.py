"""Every record about a person, model by model, and what the export does with each.

``EXPORTED`` names each model holding data about a person and how to find that
person's rows. ``EXCLUDED`` names models that point at a user but are left out
of the export, each with the reason. ``tests/privacy/test_inventory.py`` fails
for any foreign key to the user model that neither names: a new model must
decide, here, before it lands.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class Exported:
    """A model's rows about a person: those where any of ``via`` is the person.

    ``via`` are lookups from the model to the user (``"owner"``,
    ``"application__applicant"``); ``omit`` are fields never written out
    (secrets, hashes). ``title`` heads the section in the summary.
    """

    label: str
    title: str
    via: tuple[str, ...]
    omit: tuple[str, ...] = ()

    @property
    def model(self):
        return apps.get_model(self.label)

    def rows(self, user) -> QuerySet:
        condition = Q()
        for lookup in self.via:
            condition |= Q(**{lookup: user.pk if lookup == "pk" else user})
        return self.model.objects.filter(condition).distinct().order_by("pk")

    def user_fields(self) -> set[str]:
        """The direct foreign keys to the user this entry accounts for."""
        return {lookup for lookup in self.via if "__" not in lookup}


EXPORTED: tuple[Exported, ...] = (
    Exported("accounts.User", "Account", via=("pk",), omit=("password",)),
    Exported("account.EmailAddress", "Email addresses", via=("user",)),
    # The authenticator's secret is never written out: only that it exists and when.
    Exported("mfa.Authenticator", "Two-factor authentication", via=("user",), omit=("data",)),
    Exported("accounts.Consent", "Consents", via=("user",)),
    Exported("selfassess.Profile", "Profile", via=("user",)),
    Exported("selfassess.Assessment", "Self-assessments and snapshots", via=("user",)),
    Exported("selfassess.Rating", "Ratings", via=("assessment__user",)),
    Exported("selfassess.Goal", "Development plan", via=("user",)),
    Exported("evidence.EvidenceItem", "Evidence and CPD", via=("owner",)),
    Exported("evidence.EvidenceLink", "Evidence linked to statements", via=("item__owner",)),
    Exported("evidence.EvidenceFile", "Evidence files", via=("item__owner",)),
    Exported("evidence.DocumentJob", "Documents made for you", via=("owner",)),
    Exported(
        "register.Application",
        "Applications and decisions",
        via=("applicant", "decided_by"),
    ),
    Exported(
        "register.DossierStatement",
        "Application dossiers: statements",
        via=("application__applicant",),
    ),
    Exported(
        "register.DossierEvidence",
        "Application dossiers: evidence",
        via=("application__applicant",),
    ),
    Exported(
        "register.DossierLink",
        "Application dossiers: links",
        via=("statement__application__applicant",),
    ),
    Exported(
        "register.DossierFile",
        "Application dossiers: files",
        via=("evidence__application__applicant",),
    ),
    # Reviewers' verdicts and comments on the person's applications are about them;
    # which reviewer wrote each is not (it is the reviewer's data), so the assignment
    # that names the reviewer is exported only to the reviewer.
    Exported(
        "register.StatementReview",
        "Reviewers' verdicts on your statements",
        via=("dossier_statement__application__applicant", "assignment__reviewer"),
        omit=("assignment",),
    ),
    Exported("register.ReviewAssignment", "Applications you reviewed", via=("reviewer",)),
    Exported("register.RegisterEntry", "Register entries", via=("practitioner",)),
    Exported("register.Renewal", "Renewals", via=("entry__practitioner", "decided_by")),
    Exported("register.Appeal", "Appeals", via=("application__applicant", "decided_by")),
    Exported("register.Notification", "Messages", via=("recipient",)),
    Exported(
        "register.AuditEvent",
        "Audit trail",
        via=("actor", "application__applicant", "entry__practitioner"),
    ),
    Exported("credentials.IssuedCredential", "Digital credentials", via=("entry__practitioner",)),
    Exported("workforce.Membership", "Organisation memberships", via=("user",)),
    Exported("workforce.Invite", "Invite links you created", via=("created_by",)),
    Exported(
        "workforce.DataView",
        "Who has seen the data you shared, and what you saw of others'",
        via=("subject", "viewer"),
    ),
    Exported("workforce.CommissionerScope", "Commissioner access", via=("user",)),
    Exported("workforce.PractitionerSummary", "Shared summary", via=("user",)),
    Exported("admin.LogEntry", "Changes you made in the administration", via=("user",)),
    Exported("imhcf.WordingRevision", "Framework wording you edited", via=("changed_by",)),
    Exported(
        "privacy.DataRequest",
        "Your requests about your data",
        via=("subject",),
    ),
    Exported("training.Attendance", "Courses you attended", via=("user",)),
    Exported("training.Course", "Courses you added for a training provider", via=("created_by",)),
    Exported("training.CourseEvent", "Course mapping reviews you took part in", via=("actor",)),
)

# "app.Model.field" -> why that foreign key to the user does not put rows in the export.
EXCLUDED: dict[str, str] = {
    "register.Concern.triaged_by": (
        "The member of staff who handled a concern about someone else: their work on another "
        "person's case, not data about them. A concern about the person themselves is theirs "
        "to read on their own concern page."
    ),
    "register.Concern.handler": "As register.Concern.triaged_by.",
    "register.Concern.decided_by": "As register.Concern.triaged_by.",
    "register.Concern.appeal_decided_by": "As register.Concern.triaged_by.",
    "register.CpdAudit.reviewer": (
        "The reviewer who checked someone else's CPD audit: their work on another person's "
        "renewal, not data about them."
    ),
    "register.NotificationPreference.user": (
        "Only a choice of how often work notices are emailed; it says nothing about the person."
    ),
    "privacy.DataRequest.requested_by": (
        "The member of staff who entered someone else's request: a record of the staff "
        "member's work on another person's data, not data about the staff member."
    ),
    "privacy.DataRequest.downloaded_by": (
        "The member of staff who handed over someone else's export; as above."
    ),
    "training.Attendance.confirmed_by": (
        "The provider's staff member who confirmed someone else's attendance: a record of "
        "their work for the provider about another person, exported to the attendee."
    ),
    "training.AttendanceCode.issued_by": (
        "The provider's staff member who issued attendance codes: single-use codes that "
        "belong to the session and whoever redeems them, not data about the issuer."
    ),
}


def exported_by_label() -> dict[str, Exported]:
    return {entry.label: entry for entry in EXPORTED}
