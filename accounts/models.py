from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. The email address is the login; there is no username."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    # The language pages, emails and documents reach this person in; blank until they
    # choose one or sign up (then the language they signed up in). Choices come from
    # settings.LANGUAGES, checked where it is set (accounts.services.user_language_set).
    language = models.CharField(_("language"), max_length=10, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Email addresses differ only in case for the same mailbox.
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    @property
    def preferred_language(self) -> str:
        """The language to write to this person in: their choice, else the site's default."""
        return self.language or settings.LANGUAGE_CODE

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Consent(models.Model):
    """One person's agreement to one use of their data, kept after it is withdrawn.

    A consent is never edited or deleted: changing what was agreed withdraws the
    old row and adds a new one, so the record always shows what was agreed, when,
    and until when. ``scope`` names what the consent is for inside its purpose
    (for example ``organisation:12`` for sharing with one organisation); it is
    empty where the purpose has a single scope, such as anonymised statistics.
    """

    class Purpose(models.TextChoices):
        REGISTER_PUBLICATION = "register_publication", _("Publication on the public register")
        ORGANISATION_SHARING = "organisation_sharing", _("Sharing with an organisation")
        ANONYMISED_STATISTICS = "anonymised_statistics", _("Anonymised workforce statistics")
        COURSE_EFFECTIVENESS = "course_effectiveness", _("Course effectiveness")
        REFERENCES = "references", _("Contacting my referees")

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    scope = models.CharField(_("scope"), max_length=80, blank=True)
    terms = models.JSONField(_("what was agreed"), default=dict, blank=True)
    wording = models.TextField(_("wording shown"))
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose", "scope"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_scope",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]
        indexes = [
            # consent_active() and every read of shared data: the active consent
            # of one person for one purpose and scope; also "who shares with
            # organisation N" (purpose and scope, active only).
            models.Index(
                fields=["purpose", "scope", "user"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_purpose_display()} {self.scope}".strip()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
