"""Organisations that employ or train practitioners, their teams, and who belongs to them.

Membership says who is in an organisation and in what role; it grants no sight
of anyone's data. What an organisation may see of a member is decided by the
member alone, as an ``accounts.Consent`` row (purpose "sharing with an
organisation", scope ``organisation:<id>``).

Over 400 lines on purpose: the workforce tables belong together: each points at the others and
their constraints name each other.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from imhcf.models import LevelNumber
from selfassess.models import REGION_CHOICES, Nation, region_errors
from selfassess.models import Role as ProfessionRole


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NHS = "nhs", _("NHS trust or health board")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        EARLY_YEARS = "early_years", _("Early years or nursery")
        VOLUNTARY = "voluntary", _("Voluntary sector")
        PRIVATE_PRACTICE = "private_practice", _("Private practice")
        EDUCATION = "education", _("Education and training")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=Kind.choices)
    nation = models.CharField(_("UK nation"), max_length=20, choices=Nation.choices)
    region = models.CharField(_("region"), max_length=30, choices=REGION_CHOICES)
    ods_code = models.CharField(
        _("ODS code"),
        max_length=10,
        blank=True,
        help_text=_("The NHS Organisation Data Service code, if it has one."),
    )
    verified = models.BooleanField(_("verified by staff"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=~Q(ods_code=""),
                name="organisation_ods_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("pk")),
                name="organisation_not_merged_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if errors := region_errors(self.region, self.nation):
            raise ValidationError(errors)

    @property
    def consent_scope(self) -> str:
        """The scope of the consents members give to share with this organisation."""
        return f"organisation:{self.pk}"


class Team(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        TEAM_LEAD = "team_lead", _("Team lead")
        ORGANISATION_ADMIN = "organisation_admin", _("Organisation admin")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        ACTIVE = "active", _("Member")
        LEFT = "left", _("Left")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("team"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    created_at = models.DateTimeField(_("asked or invited"), auto_now_add=True)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    invite = models.ForeignKey(
        "workforce.Invite",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("joined through"),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # Someone who left can join again: only the current membership is unique.
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=~Q(status="left"),
                name="membership_one_current_per_organisation",
            ),
        ]
        indexes = [
            # A team page: the active members of one team.
            models.Index(
                fields=["team", "status"],
                name="membership_team_status_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Invite(models.Model):
    """A link that lets people join an organisation (and a team) without asking.

    The link carries this row's id signed with the secret key (``workforce.invites``),
    so it cannot be guessed or altered; the row says until when it works and
    whether it was revoked, so a link already sent can be stopped at any moment.
    One link may be used by several people until it expires or is revoked.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invites",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invites",
        verbose_name=_("team"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    used_count = models.PositiveIntegerField(_("times used"), default=0)

    class Meta:
        verbose_name = _("invite link")
        verbose_name_plural = _("invite links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.team or '-'}) {self.get_role_display()}"


class RoleRequirement(models.Model):
    """The level one kind of team member should reach in one domain.

    A member's requirement in a domain is the highest level among the rows that
    match them: a blank ``job_role`` matches every profession and a blank
    ``team_role`` every role in the team. "Health visitors at Level 2 everywhere,
    the team lead at Level 3 in domain 6" is eight rows.
    """

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("team")
    )
    job_role = models.CharField(
        _("profession or role"),
        max_length=40,
        blank=True,
        choices=[(value, label) for value, label in ProfessionRole.choices],
    )
    team_role = models.CharField(
        _("role in the team"), max_length=20, blank=True, choices=Membership.Role.choices
    )
    domain_number = models.PositiveSmallIntegerField(_("domain"))
    level = models.PositiveSmallIntegerField(_("level"), choices=LevelNumber.choices)

    class Meta:
        verbose_name = _("role requirement")
        verbose_name_plural = _("role requirements")
        ordering = ["team", "job_role", "team_role", "domain_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "job_role", "team_role", "domain_number"],
                name="role_requirement_unique",
            ),
            models.CheckConstraint(
                condition=Q(domain_number__gte=1) & Q(domain_number__lte=7),
                name="role_requirement_domain_1_to_7",
            ),
        ]

    def __str__(self) -> str:
        who = f"{self.job_role or '*'}/{self.team_role or '*'}"
        return f"{self.team}: {who} D{self.domain_number} L{self.level}"


class DataView(models.Model):
    """One look by someone at data another person shared with their organisation.

    Append-only: the practitioner's "who has seen my data" page lists these.
    """

    class What(models.TextChoices):
        TEAM_PAGE = "team_page", _("Team page")
        MEMBER_PAGE = "member_page", _("Your shared self-assessment and CPD")
        EXPORT = "export", _("Team download")

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("seen by"),
    )
    viewer_name = models.CharField(_("seen by"), max_length=150)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shared_data_views",
        verbose_name=_("whose data"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("team")
    )
    what = models.CharField(_("what was seen"), max_length=20, choices=What.choices)
    viewed_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("view of shared data")
        verbose_name_plural = _("views of shared data")
        ordering = ["-viewed_at", "-pk"]
        indexes = [
            # "Who has seen my data": one person's views, newest first.
            models.Index(fields=["subject", "-viewed_at"], name="dataview_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_name} saw {self.subject_id} ({self.what})"


class CommissionerScope(models.Model):
    """A nation or region a commissioner may see area insight for; staff grant it.

    A blank region covers the whole nation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="commissioner_scopes",
        verbose_name=_("commissioner"),
    )
    nation = models.CharField(_("UK nation"), max_length=20, choices=Nation.choices)
    region = models.CharField(_("region"), max_length=30, blank=True, choices=REGION_CHOICES)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("commissioner's area")
        verbose_name_plural = _("commissioners' areas")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "nation", "region"], name="commissioner_scope_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.region or self.nation}"

    def clean(self) -> None:
        if errors := region_errors(self.region, self.nation):
            raise ValidationError(errors)


class PractitionerSummary(models.Model):
    """One practitioner's latest completed self-assessment, boiled down.

    Written by background work when a snapshot completes (and nightly), so team
    pages and area figures never read rating rows. Who may see it is decided
    when it is read, from the consents that stand at that moment.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="workforce_summary",
    )
    assessment = models.ForeignKey(
        "selfassess.Assessment", on_delete=models.CASCADE, related_name="+"
    )
    completed_at = models.DateTimeField()
    target_level = models.PositiveSmallIntegerField(null=True, blank=True)
    # Domain number (string) -> highest level achieved in it, 0 for none.
    highest_levels = models.JSONField(default=dict)
    # Statement keys ("1.01/2") rated anything but Achieved in the snapshot.
    not_achieved = models.JSONField(default=list)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("practitioner summary")
        verbose_name_plural = _("practitioner summaries")

    def __str__(self) -> str:
        return f"summary of {self.user_id}"


class AreaRefresh(models.Model):
    """One computation of the area figures; the newest finished one is what is read."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The disclosure rule the secondary suppression was worked out for.
    threshold = models.PositiveSmallIntegerField(default=5)
    population = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("area figures refresh")
        verbose_name_plural = _("area figures refreshes")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            # The selector: the newest finished refresh.
            models.Index(fields=["status", "-finished_at"], name="arearefresh_done_idx"),
        ]

    def __str__(self) -> str:
        return f"refresh {self.pk} {self.status}"


class AreaCell(models.Model):
    """One unrounded count of the area figures, with whether it must be hidden.

    ``geo`` is "uk", a nation or a region; ``dim``/``value`` one characteristic
    ("" for everyone); ``measure`` says which table ("level", "gap", "trend");
    ``key`` the cell within it (a domain and level band, a statement key, a
    quarter and band). Counts of zero are not stored.
    """

    refresh = models.ForeignKey(AreaRefresh, on_delete=models.CASCADE, related_name="cells")
    geo = models.CharField(max_length=30)
    dim = models.CharField(max_length=20, blank=True)
    value = models.CharField(max_length=40, blank=True)
    measure = models.CharField(max_length=10)
    key = models.CharField(max_length=30)
    count = models.PositiveIntegerField()
    hidden = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("area figure")
        verbose_name_plural = _("area figures")
        indexes = [
            # The insight page: one refresh, one geography, one characteristic, one table.
            models.Index(
                fields=["refresh", "geo", "dim", "value", "measure"], name="areacell_query_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.geo}/{self.dim}={self.value} {self.measure}:{self.key} {self.count}"
