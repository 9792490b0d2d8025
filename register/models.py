"""Applications for recognition, their review, and the public register.

A submitted application's dossier is a frozen copy: the statements' wording,
the practitioner's ratings, and each evidence item's content, links and file
hashes as they were at submission. Later edits to evidence never reach it,
and the evidence rows it points at are protected from deletion.

Every change of state goes through ``register.transitions`` and leaves an
``AuditEvent``, which nothing in the app can change or delete.

Over 400 lines on purpose: the register's tables belong together: each row points at the others
and their constraints name each other.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evidence.models import EvidenceFile, EvidenceItem
from imhcf.append_only import StepRecord
from imhcf.models import FrameworkVersion, LevelNumber, Statement
from imhcf.models_base import Timestamped
from register.folding import Fold


class Decided(models.Model):
    """Something staff decide: who decided it, when, and the reasons they gave.

    Applications, renewals and appeals; the decision itself is the row's status.
    """

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)

    class Meta:
        abstract = True


class Application(Decided):
    class Status(models.TextChoices):
        AWAITING_REFERENCES = "awaiting_references", _("Waiting for references")
        SUBMITTED = "submitted", _("Waiting for reviewers")
        IN_REVIEW = "in_review", _("Being reviewed")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        MODERATION = "moderation", _("With a moderator")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        APPEALED = "appealed", _("Appeal under consideration")

    OPEN_STATUSES = (
        Status.AWAITING_REFERENCES,
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
        Status.MODERATION,
        Status.APPEALED,
    )

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=LevelNumber.choices)
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    round = models.PositiveSmallIntegerField(
        default=1, help_text=_("Goes up by one each time the application is resubmitted.")
    )
    # Copied from the profile at submission: reviewers' conflict checks and the
    # register entry use what was true when the practitioner applied.
    applicant_name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=200)
    region = models.CharField(max_length=30)
    declared_accuracy = models.BooleanField(default=False)
    declared_conduct = models.BooleanField(default=False)
    consented_review = models.BooleanField(default=False)
    consented_publication = models.BooleanField(default=False)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(
                    status__in=[
                        "awaiting_references",
                        "submitted",
                        "in_review",
                        "changes_requested",
                        "moderation",
                        "appealed",
                    ]
                ),
                name="application_one_open_per_applicant",
            ),
        ]
        indexes = [
            # The review queue: open applications, oldest first.
            models.Index(fields=["status", "submitted_at"], name="application_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"Application {self.pk} ({self.applicant_name}, level {self.level})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class DossierStatement(models.Model):
    """One statement of the application as it was submitted in one round."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="dossier_statements"
    )
    round = models.PositiveSmallIntegerField()
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=10)
    domain_number = models.PositiveSmallIntegerField()
    domain_name = models.CharField(max_length=200)
    competency_code = models.CharField(max_length=5)
    competency_title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=LevelNumber.choices)
    text = models.TextField()
    # The Welsh wording frozen beside the English (imhcf.bilingual); blank where none was written.
    domain_name_cy = models.CharField(max_length=200, blank=True, default="")
    competency_title_cy = models.CharField(max_length=200, blank=True, default="")
    text_cy = models.TextField(blank=True, default="")
    rating = models.CharField(max_length=20)
    rating_note = models.CharField(max_length=280, blank=True)

    class Meta:
        ordering = ["application", "round", "domain_number", "competency_code", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "round", "statement"], name="dossier_statement_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class DossierEvidence(models.Model):
    """An evidence item's content as it was submitted."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="dossier_evidence"
    )
    round = models.PositiveSmallIntegerField()
    # PROTECT: evidence in a submitted application cannot be deleted.
    evidence_item = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="dossier_copies"
    )
    kind = models.CharField(max_length=20, choices=EvidenceItem.Kind.choices)
    title = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    # The training provider that confirmed attendance, as it stood at submission.
    attendance_confirmed_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["application", "round", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "round", "evidence_item"], name="dossier_evidence_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DossierLink(models.Model):
    statement = models.ForeignKey(DossierStatement, on_delete=models.CASCADE, related_name="links")
    evidence = models.ForeignKey(DossierEvidence, on_delete=models.CASCADE, related_name="links")
    justification = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "evidence"], name="dossier_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} <- {self.evidence_id}"


class DossierFile(models.Model):
    evidence = models.ForeignKey(DossierEvidence, on_delete=models.CASCADE, related_name="files")
    evidence_file = models.ForeignKey(
        EvidenceFile, on_delete=models.PROTECT, related_name="dossier_copies"
    )
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["evidence", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReviewAssignment(models.Model):
    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Approve")
        CHANGES = "changes", _("Request changes")
        REJECT = "reject", _("Reject")

    class ReleaseReason(models.TextChoices):
        CONFLICT = "conflict", _("Declared a conflict of interest")
        STALE = "stale", _("Not worked on in time")
        RELEASED = "released", _("Released by the reviewer")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    claimed_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=10, choices=ReleaseReason.choices, blank=True)
    conflict_note = models.CharField(max_length=500, blank=True)
    round = models.PositiveSmallIntegerField(default=1)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    recommendation_reasons = models.TextField(blank=True)
    recommended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claimed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                condition=Q(released_at__isnull=True),
                name="assignment_one_active_per_reviewer",
            ),
        ]
        indexes = [
            # A reviewer's current claims.
            models.Index(
                fields=["reviewer", "released_at"],
                name="assignment_reviewer_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.application_id}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class StatementReview(models.Model):
    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="statement_reviews"
    )
    dossier_statement = models.ForeignKey(
        DossierStatement, on_delete=models.CASCADE, related_name="reviews"
    )
    met = models.BooleanField(null=True)
    comment = models.TextField(blank=True, max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "dossier_statement"], name="statement_review_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_statement_id}: {self.met}"


class RegisterEntry(Timestamped):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Registered")
        SUSPENDED = "suspended", _("Suspended")
        LAPSED = "lapsed", _("Lapsed")
        REMOVED = "removed", _("Removed")

    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="register_entries"
    )
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="register_entry"
    )
    registration_number = models.CharField(max_length=20, unique=True)
    display_name = models.CharField(max_length=150)
    # What public name search compares: the name upper-cased, accents removed
    # (register.folding). Stored, so a search rechecks text instead of folding
    # every candidate again; the database keeps it in step with display_name,
    # whoever writes it (entry_build, erasure's pseudonym, bulk seeding).
    folded_name = models.GeneratedField(
        expression=Fold("display_name"), output_field=models.TextField(), db_persist=True
    )
    level = models.PositiveSmallIntegerField(choices=LevelNumber.choices)
    region = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    restriction = models.TextField(blank=True)
    # The same in Welsh, for readers of the Welsh register; blank shows the English.
    restriction_cy = models.TextField(blank=True)
    # A removed practitioner may apply again only once staff decide they may.
    readmission_allowed = models.BooleanField(default=False, db_default=False)
    recognised_on = models.DateField()
    valid_until = models.DateField()

    PUBLIC_STATUSES = (Status.ACTIVE, Status.SUSPENDED)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["display_name", "id"]
        indexes = [
            # Public search filtered by region and level among visible entries.
            models.Index(fields=["status", "region", "level"], name="entry_public_filter_idx"),
            # Renewal reminders and lapsing: entries by expiry date.
            models.Index(fields=["status", "valid_until"], name="entry_expiry_idx"),
        ]
        # Name search uses a trigram GIN index and a prefix btree on folded_name,
        # created in the PostgreSQL-only migration 0003_postgresql (operator classes SQLite lacks).

    def __str__(self) -> str:
        return f"{self.registration_number} {self.display_name}"

    @property
    def is_publicly_listed(self) -> bool:
        return self.status in self.PUBLIC_STATUSES


class Renewal(Decided):
    class Status(models.TextChoices):
        APPROVED = "approved", _("Renewed")
        NEEDS_JUDGEMENT = "needs_judgement", _("Waiting for a reviewer")
        # Chosen at random for a CPD audit: decided by the audit's reviewer.
        AUDIT = "audit", _("Selected for a CPD audit")
        REFUSED = "refused", _("Not renewed")

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="renewals")
    submitted_at = models.DateTimeField()
    period_start = models.DateField()
    period_end = models.DateField()
    cpd_hours = models.DecimalField(max_digits=7, decimal_places=2)
    equality_hours = models.DecimalField(max_digits=7, decimal_places=2)
    explanation = models.TextField(blank=True)
    declared_accuracy = models.BooleanField(default=False)
    declared_conduct = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Renewal of {self.entry_id} ({self.status})"


class CpdAudit(models.Model):
    """A renewal chosen at random for a check of the CPD behind it (issue 14, part 3).

    The draw that chose it (``draw`` below ``threshold`` out of ``out_of``, from
    ``secrets``) is kept here and in the audit trail, so anyone can check the
    choice. The practitioner sends their CPD log for the renewal's period; it is
    frozen here (``record``, with the files as ``CpdAuditFile`` rows, which also
    keep them from deletion). A reviewer claims the audit, checks the record and
    passes or fails it; that decides the renewal.
    """

    AUDIT_SUBJECT = "cpd_audit"

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the practitioner's CPD record")
        SUBMITTED = "submitted", _("Waiting for a reviewer")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Not passed")

    renewal = models.OneToOneField(Renewal, on_delete=models.PROTECT, related_name="cpd_audit")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    draw = models.PositiveIntegerField()
    threshold = models.PositiveIntegerField()
    out_of = models.PositiveIntegerField()
    requested_at = models.DateTimeField()
    due_on = models.DateField()
    # The practitioner's covering note.
    statement = models.TextField(
        _("anything the reviewer should know"), blank=True, max_length=5000
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The CPD log of the renewal's period as it was sent: one dict per activity.
    record = models.JSONField(default=list, blank=True)
    # The CPD record PDF for the same period, made by the document pipeline.
    record_document = models.ForeignKey(
        "evidence.DocumentJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True, max_length=10000)

    class Meta:
        verbose_name = _("CPD audit")
        verbose_name_plural = _("CPD audits")
        ordering = ["requested_at", "id"]
        indexes = [
            # The review queue and the health page: audits by status, oldest first.
            models.Index(fields=["status", "requested_at"], name="cpd_audit_status_idx"),
        ]

    def __str__(self) -> str:
        return f"CPD audit of renewal {self.renewal_id} ({self.status})"

    @property
    def audit_entry_id(self) -> int:
        return self.renewal.entry_id

    @property
    def audit_application_id(self) -> None:
        return None


class CpdAuditFile(models.Model):
    """An evidence file sent with a CPD audit: its reviewer may read it while checking."""

    audit = models.ForeignKey(CpdAudit, on_delete=models.CASCADE, related_name="files")
    # PROTECT: a file sent for an audit cannot be deleted.
    evidence_file = models.ForeignKey(
        EvidenceFile, on_delete=models.PROTECT, related_name="cpd_audit_copies"
    )
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["audit", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "evidence_file"], name="cpd_audit_file_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class Appeal(Decided):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="appeal")
    statement = models.TextField(max_length=10000)
    submitted_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)

    def __str__(self) -> str:
        return f"Appeal on {self.application_id} ({self.status})"


class Notification(models.Model):
    """A message to a person: shown in the app and sent by email after commit.

    The row is written in the same transaction as the decision it reports, so
    the decision and its message stand or fall together; sending happens after
    commit and is retried, and a failed send never undoes anything.
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Waiting to send")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")
        # The recipient chose one email a day for notices of work; the digest sends it.
        HELD = "held", _("Kept for the daily digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # For people without an account (a referee, someone who raised a concern).
    to_email = models.EmailField(blank=True)
    # A referee's email gets a fresh link to the reference form when it is sent.
    reference = models.ForeignKey(
        "Reference", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    # Identifies what this message is about, so a retried step never sends it twice.
    dedupe_key = models.CharField(max_length=120, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(to_email=""),
                name="notification_has_an_address",
            ),
        ]
        indexes = [
            # The sweeper: emails still waiting to go.
            models.Index(
                fields=["email_status", "created_at"],
                name="notification_pending_idx",
                condition=Q(email_status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def address(self) -> str:
        return self.recipient.email if self.recipient_id else self.to_email


class Reference(models.Model):
    """A referee's account of the applicant's work, asked for through a link by email.

    The link's token is signed and single-use; only its SHA-256 is kept. What the
    referee says is written once (by the referee) and never changed: reviewers
    read it beside the frozen dossier, the applicant sees only its status.
    """

    AUDIT_SUBJECT = "reference"

    class Kind(models.TextChoices):
        LINE_MANAGER = "line_manager", _("Line manager")
        SUPERVISOR = "supervisor", _("Clinical or reflective supervisor")
        COLLEAGUE = "colleague", _("Senior colleague")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the referee")
        RECEIVED = "received", _("Received")
        DECLINED = "declined", _("Declined")
        REPLACED = "replaced", _("Replaced")
        WAIVED = "waived", _("Waived by staff")

    class Answer(models.TextChoices):
        YES = "yes", _("Yes, in my experience")
        NO = "no", _("No, not in my experience")
        CANT_SAY = "cant_say", _("I can't say")

    class KnownFor(models.TextChoices):
        UNDER_ONE = "under_1", _("Less than a year")
        ONE_TO_TWO = "1_2", _("One to two years")
        THREE_TO_FIVE = "3_5", _("Three to five years")
        OVER_FIVE = "over_5", _("More than five years")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="references"
    )
    kind = models.CharField(_("kind of referee"), max_length=20, choices=Kind.choices)
    # Named by the applicant.
    name = models.CharField(_("referee's name"), max_length=150)
    role = models.CharField(_("their job title"), max_length=150)
    email = models.EmailField(_("their email address"))
    relationship = models.CharField(_("how they know your work"), max_length=500)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField()
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    # Written by the referee, once.
    responded_at = models.DateTimeField(null=True, blank=True)
    identity_confirmed = models.BooleanField(default=False)
    known_capacity = models.CharField(max_length=500, blank=True)
    known_for = models.CharField(max_length=10, choices=KnownFor.choices, blank=True)
    # [{"domain": 1, "name": "...", "answer": "yes"}, ...] for each domain at the level applied for.
    answers = models.JSONField(default=list, blank=True)
    comments = models.TextField(blank=True, max_length=5000)
    decline_reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["application", "requested_at", "id"]
        indexes = [
            # Reminders: links still waiting, by when they were sent.
            models.Index(
                fields=["status", "requested_at"],
                name="reference_waiting_idx",
                condition=Q(status="requested"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for application {self.application_id}"

    @property
    def audit_application_id(self) -> int:
        return self.application_id

    @property
    def is_current(self) -> bool:
        return self.status != self.Status.REPLACED


class ReferenceLink(models.Model):
    """One emailed link to a reference form. Only the SHA-256 of its token is kept.

    Each email (the request and each reminder) carries a link of its own, made
    when the email is sent, so the token never rests in the database, not even
    inside a stored email. Every link of a reference dies once it is answered.
    """

    reference = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Link {self.pk} for reference {self.reference_id}"


class Concern(models.Model):
    """A concern about a registrant's fitness to practise, raised by anyone.

    Staff triage it and give it to a case handler (staff with MFA), who invites
    the registrant's response and decides an outcome with reasons. The
    registrant may appeal to someone who took no part. Each step goes through
    the transition engine (``register.services.concerns.CONCERN_RULES``).
    """

    AUDIT_SUBJECT = "concern"

    class Status(models.TextChoices):
        RECEIVED = "received", _("Waiting for triage")
        CLOSED = "closed", _("Not taken forward")
        INVESTIGATING = "investigating", _("Being investigated")
        DECIDED = "decided", _("Decided")
        APPEALED = "appealed", _("Appeal under consideration")
        APPEAL_DECIDED = "appeal_decided", _("Appeal decided")

    class Outcome(models.TextChoices):
        NO_CASE = "no_case", _("No case to answer")
        ADVICE = "advice", _("Advice")
        CONDITIONS = "conditions", _("Conditions on practice")
        SUSPENSION = "suspension", _("Suspension")
        REMOVAL = "removal", _("Removal from the register")

    # Outcomes the public register shows, for IMHCF_CONCERN_PUBLISH_YEARS.
    PUBLISHED_OUTCOMES = (Outcome.CONDITIONS, Outcome.SUSPENSION, Outcome.REMOVAL)

    reference = models.CharField(max_length=20, unique=True)
    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    # As the person raising it typed them.
    registrant_named = models.CharField(_("who the concern is about"), max_length=200)
    raiser_name = models.CharField(_("your name"), max_length=150)
    raiser_email = models.EmailField(_("your email address"))
    raiser_relationship = models.CharField(_("how you know them"), max_length=200)
    description = models.TextField(_("your concern"), max_length=10000)
    received_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_invited_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True, max_length=10000)
    response_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reasons = models.TextField(blank=True, max_length=10000)
    # What the public register says, for conditions and suspension.
    public_text = models.TextField(blank=True, max_length=2000)
    public_text_cy = models.TextField(blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    appeal_statement = models.TextField(blank=True, max_length=10000)
    appealed_at = models.DateTimeField(null=True, blank=True)
    appeal_upheld = models.BooleanField(null=True)
    appeal_reasons = models.TextField(blank=True, max_length=10000)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appeal_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # The staff list of open concerns by age, and the health page.
            models.Index(fields=["status", "received_at"], name="concern_status_idx"),
            # The public entry's past outcomes.
            models.Index(fields=["entry", "decided_at"], name="concern_entry_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_entry_id(self) -> int | None:
        return self.entry_id

    @property
    def audit_application_id(self) -> int | None:
        return None


class NotificationPreference(models.Model):
    """How a reviewer or administrator hears of work: each notice at once, or a daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    daily_digest = models.BooleanField(
        _("one email a day"),
        default=False,
        help_text=_("Notices of new work come together in one email each morning."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {'digest' if self.daily_digest else 'each'}"


class AuditEvent(StepRecord):
    """Append-only: who did what, when, from which state to which, and why."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    # What else the step was about, when it is not the application or entry itself:
    # "reference:12", "concern:3", "cpd_audit:7", "audit_draw:2".
    subject = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=30)

    class Meta(StepRecord.Meta):
        indexes = [
            # A reference's, concern's or audit's own trail.
            models.Index(fields=["subject", "created_at"], name="audit_subject_idx"),
        ]
