"""Organisations that employ or train practitioners, their teams, and who belongs to them.

Membership says who is in an organisation and in what role; it grants no sight
of anyone's data. What an organisation may see of a member is decided by the
member alone, as an ``accounts.Consent`` row (purpose "sharing with an
organisation", scope ``organisation:<id>``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from selfassess.models import REGION_CHOICES, REGION_NATION, Nation


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
        if self.region and self.nation and REGION_NATION.get(self.region) != self.nation:
            raise ValidationError({"region": _("Choose a region in the nation you chose.")})

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
