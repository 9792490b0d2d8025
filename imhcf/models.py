"""The Infant Mental Health Competency Framework held as data.

A ``FrameworkVersion`` owns everything that has wording: the core competency,
its levels, domains, competencies, statements and glossary. Ratings and
applications point at statements of one version, so a published version's
meaning never changes silently: editorial edits are recorded as
``WordingRevision`` rows, and substantive changes go into a new draft version.
A statement's stable key (competency code + level) links it across versions.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LevelNumber(models.IntegerChoices):
    ONE = 1, _("Level 1")
    TWO = 2, _("Level 2")
    THREE = 3, _("Level 3")


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    name = models.CharField(_("name"), max_length=100, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
    )
    core_competency_name = models.CharField(_("core competency name"), max_length=200)
    core_competency_text = models.TextField(_("core competency description"))
    # Welsh beside English: every worded field has a ``_cy`` sibling, blank until written
    # (pages then show the English, marked lang="en"); see imhcf/bilingual.py.
    name_cy = models.CharField(_("name (Welsh)"), max_length=100, blank=True)
    core_competency_name_cy = models.CharField(
        _("core competency name (Welsh)"), max_length=200, blank=True
    )
    core_competency_text_cy = models.TextField(_("core competency description (Welsh)"), blank=True)
    notes = models.TextField(_("notes for editors"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    # Bumped by every wording change; part of the cache key for glossary marking.
    content_revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="framework_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.RETIRED


class Level(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("number"), choices=LevelNumber.choices)
    name = models.CharField(_("name"), max_length=100)
    meaning = models.TextField(_("what it means"))
    audience = models.TextField(_("who it is for"))
    name_cy = models.CharField(_("name (Welsh)"), max_length=100, blank=True)
    meaning_cy = models.TextField(_("what it means (Welsh)"), blank=True)
    audience_cy = models.TextField(_("who it is for (Welsh)"), blank=True)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="level_unique_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Domain(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="domains")
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"))
    name_cy = models.CharField(_("name (Welsh)"), max_length=200, blank=True)
    summary_cy = models.TextField(_("summary (Welsh)"), blank=True)
    revisions = GenericRelation("WordingRevision")

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="domain_unique_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


competency_code_validator = RegexValidator(
    r"^[1-7]\.\d{2}$", _("Use the form domain.number, for example 1.01.")
)


class Competency(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(_("code"), max_length=5, validators=[competency_code_validator])
    title = models.CharField(_("short title"), max_length=200)
    title_cy = models.CharField(_("short title (Welsh)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    revisions = GenericRelation("WordingRevision")

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["domain__number", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "code"], name="competency_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


# A statement's place in the framework: domain, competency, level. Statements are kept in it,
# and so is any list of rows that point at statements: ``framework_order("statement__")``.
FRAMEWORK_ORDER = ("competency__domain__number", "competency__order", "competency__code", "level")


def framework_order(via: str = "") -> list[str]:
    """``order_by`` arguments for framework order, reaching statements through ``via``."""
    return [via + name for name in FRAMEWORK_ORDER]


class Statement(models.Model):
    """One competency described at one level: the unit a practitioner rates."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="statements")
    level = models.PositiveSmallIntegerField(_("level"), choices=LevelNumber.choices)
    text = models.TextField(_("descriptor"))
    text_cy = models.TextField(_("descriptor (Welsh)"), blank=True)
    # The statement this one was copied from when a draft was started; lets the
    # next version tell carried-over wording from changed wording.
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        editable=False,
    )
    revisions = GenericRelation("WordingRevision")

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = framework_order()
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="statement_one_per_level"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        """Stable across versions: the competency code and the level, e.g. ``1.01/L2``."""
        return f"{self.competency.code}/L{self.level}"


class GlossaryTerm(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="glossary_terms"
    )
    term = models.CharField(_("term"), max_length=100)
    slug = models.SlugField(_("anchor"), max_length=100)
    definition = models.TextField(_("definition"))
    forms = models.TextField(
        _("other forms"),
        blank=True,
        help_text=_("One per line: plurals and variants that should also be explained."),
    )
    term_cy = models.CharField(_("term (Welsh)"), max_length=100, blank=True)
    definition_cy = models.TextField(_("definition (Welsh)"), blank=True)
    forms_cy = models.TextField(
        _("other forms (Welsh)"),
        blank=True,
        help_text=_(
            "One per line: plurals, variants and mutated forms (for example hymlyniad, "
            "nymlyniad) that should also be explained."
        ),
    )
    revisions = GenericRelation("WordingRevision")

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["version", "term"]
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="glossary_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.term

    @property
    def all_forms(self) -> list[str]:
        return _forms(self.term, self.forms)

    @property
    def all_forms_cy(self) -> list[str]:
        """The Welsh term and its forms; none until the term has Welsh."""
        return _forms(self.term_cy, self.forms_cy) if self.term_cy else []


def _forms(term: str, forms: str) -> list[str]:
    extra = [line.strip() for line in forms.splitlines() if line.strip()]
    seen: dict[str, str] = {}
    for form in [term, *extra]:
        seen.setdefault(form.casefold(), form)
    return list(seen.values())


class WordingRevision(models.Model):
    """Append-only record of one field's wording before and after an edit."""

    class Kind(models.TextChoices):
        # Chosen by the editor. The published version takes editorial edits
        # only, and only those that leave the words themselves alone
        # (``imhcf.wording.wording_changed``); a change of meaning goes into a
        # draft, so ratings made against the old words are flagged on carry-over.
        EDITORIAL = "editorial", _("Editorial: punctuation, capitals or spacing only")
        SUBSTANTIVE = "substantive", _("Substantive: changes what is asked")

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="wording_revisions"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=50)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=200, blank=True)
    # Blank for additions and for edits recorded before editors chose a kind.
    kind = models.CharField(_("kind of change"), max_length=12, choices=Kind.choices, blank=True)

    class Meta:
        verbose_name = _("wording revision")
        verbose_name_plural = _("wording revisions")
        ordering = ["-changed_at", "-id"]
        indexes = [
            # The change form's history inline: revisions of one object, newest first.
            models.Index(fields=["content_type", "object_id", "-changed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.field} changed {self.changed_at:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """When each Celery worker last ran its heartbeat task.

    The task is scheduled by beat and goes through the broker like any job, so a recent
    row means the whole path works: scheduler, broker, worker and database.
    """

    hostname = models.CharField(max_length=255, unique=True)
    last_seen = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname} {self.last_seen:%Y-%m-%d %H:%M:%S}"
