"""The framework's wording and structure: edits, additions and removals.

Practitioners' ratings and applications point at statements of one version, so
every change here checks the version's state first:

- a *draft* may be changed in any way;
- the *published* version takes editorial wording edits only (each recorded as
  a ``WordingRevision``), plus new glossary terms, which explain wording but
  change no statement's meaning;
- a *retired* version is frozen.

Substantive changes go into a draft started from the published version and
reach practitioners when that draft is published. Each function checks state
under a row lock on the version, so a concurrent publish cannot slip between
the check and the write.
"""

from typing import TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models, transaction
from django.db.models import F, ProtectedError
from django.utils.translation import gettext as _

from imhcf.bilingual import TRANSLATED, welsh_field
from imhcf.errors import FrameworkError
from imhcf.models import (
    Competency,
    Domain,
    FrameworkVersion,
    GlossaryTerm,
    Level,
    LevelNumber,
    Statement,
    WordingRevision,
    competency_code_validator,
)
from imhcf.wording import check_published_edit

M = TypeVar("M", bound=models.Model)

Status = FrameworkVersion.Status

# Every version has these levels and domains; a draft cannot add or remove one.
DOMAIN_NUMBERS = tuple(range(1, 8))
LEVEL_NUMBERS = tuple(LevelNumber.values)

# The fields each model may change through ``wording_update``. Keys such as a
# competency's code, a statement's level or a term's slug are absent on
# purpose: they are how other versions, ratings and links find the row.
_ENGLISH_WORDING: dict[type[models.Model], tuple[str, ...]] = {
    FrameworkVersion: ("name", "core_competency_name", "core_competency_text", "notes"),
    Level: ("name", "meaning", "audience"),
    Domain: ("name", "summary"),
    Competency: ("title",),
    Statement: ("text",),
    GlossaryTerm: ("term", "definition", "forms"),
}
# Each field's Welsh sibling (imhcf.bilingual) is wording too, with the same history.
WORDING_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    model: (*fields, *map(welsh_field, TRANSLATED[model._meta.model_name]))
    for model, fields in _ENGLISH_WORDING.items()
}


def version_id_of(obj: models.Model) -> int:
    """The id of the version that owns ``obj``."""
    if isinstance(obj, FrameworkVersion):
        return obj.pk
    if isinstance(obj, Level | Domain | GlossaryTerm):
        return obj.version_id
    if isinstance(obj, Competency):
        return obj.domain.version_id
    if isinstance(obj, Statement):
        return obj.competency.domain.version_id
    raise TypeError(f"{type(obj).__name__} does not belong to a framework version.")


def forms_normalised(value: str) -> str:
    """A glossary term's other forms, one per line, without blanks or stray spaces."""
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


def _actor(user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    # Anonymous users and management commands run without a person to credit.
    return user if getattr(user, "pk", None) else None


def lock_version(pk: int) -> FrameworkVersion:
    return FrameworkVersion.objects.select_for_update().get(pk=pk)


def _require_editable(version: FrameworkVersion) -> None:
    if version.status == Status.RETIRED:
        raise FrameworkError(
            _("“%(name)s” is retired, so it can no longer be changed.") % {"name": version.name}
        )


def _require_draft(version: FrameworkVersion, message: str) -> None:
    _require_editable(version)
    if version.status != Status.DRAFT:
        raise FrameworkError(message)


def _bump_content_revision(version: FrameworkVersion) -> None:
    # An F() update so two editors saving at once both count; readers cache
    # glossary marking under this number, so any change must move it.
    FrameworkVersion.objects.filter(pk=version.pk).update(
        content_revision=F("content_revision") + 1
    )


def normalise_wording(model: type[models.Model], field: str, value: str) -> str:
    """Text as it would be stored: trimmed, LF line endings, tidy term forms."""
    # Browsers send CRLF from text areas; storing it would make an unchanged
    # resubmission look like an edit.
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if model is GlossaryTerm and field in ("forms", "forms_cy"):
        text = forms_normalised(text)
    return text


def clean_field(model: type[models.Model], name: str, value: str, instance) -> str:
    field = model._meta.get_field(name)
    try:
        return field.clean(value, instance)
    except ValidationError as exc:
        raise FrameworkError(
            _("%(field)s: %(errors)s")
            % {"field": str(field.verbose_name).capitalize(), "errors": " ".join(exc.messages)}
        ) from exc


def _cleaned(model: type[models.Model], name: str, value: str) -> str:
    return clean_field(model, name, normalise_wording(model, name, value), None)


def _added(version: FrameworkVersion, obj: M, user) -> M:
    """Save a new row of ``version``, with its history and a new content revision."""
    obj.save()
    _record_creation(version, obj, user)
    _bump_content_revision(version)
    return obj


def _record_creation(version: FrameworkVersion, obj: models.Model, user) -> None:
    """History for an added row: every wording field, from nothing to its text."""
    content_type = ContentType.objects.get_for_model(obj)
    WordingRevision.objects.bulk_create(
        WordingRevision(
            version=version,
            content_type=content_type,
            object_id=obj.pk,
            field=name,
            before="",
            after=getattr(obj, name),
            changed_by=_actor(user),
            reason=_("Added"),
        )
        for name in WORDING_FIELDS[type(obj)]
        if getattr(obj, name)
    )


# --- Wording ----------------------------------------------------------------


@transaction.atomic
def wording_update(
    *,
    obj: models.Model,
    changes: dict[str, str],
    user: AbstractBaseUser | None,
    reason: str = "",
    kind: str = "",
) -> list[WordingRevision]:
    """Change wording fields of one framework row and record each change.

    ``kind`` is the editor's word for the change (``WordingRevision.Kind``).
    On the published version, statement text and competency titles take only
    an editorial change that leaves the words alone (``check_published_edit``).

    Writes one ``WordingRevision`` per field whose value differs from the
    database, saves only those fields, and moves the owning version's
    ``content_revision`` on. Unchanged values write nothing. The "before" text
    is read from the locked database row, not from ``obj``, because admin forms
    have already copied the new values onto the instance they hand over.
    """
    model = type(obj)
    allowed = WORDING_FIELDS.get(model)
    if allowed is None:
        raise TypeError(f"{model.__name__} has no framework wording.")
    not_wording = sorted(set(changes) - set(allowed))
    if not_wording:
        raise FrameworkError(
            _("These fields are not wording and cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(not_wording)}
        )

    version = lock_version(version_id_of(obj))
    _require_editable(version)
    current = (
        version if model is FrameworkVersion else model.objects.select_for_update().get(pk=obj.pk)
    )

    content_type = ContentType.objects.get_for_model(model)
    revisions: list[WordingRevision] = []
    changed_fields: list[str] = []
    for name, raw in changes.items():
        value = normalise_wording(model, name, raw)
        before = getattr(current, name)
        if value == before:
            continue
        value = clean_field(model, name, value, current)
        if version.status == Status.PUBLISHED:
            check_published_edit(model=model, field=name, before=before, after=value, kind=kind)
        if (
            model is FrameworkVersion
            and name == "name"
            and FrameworkVersion.objects.exclude(pk=current.pk).filter(name=value).exists()
        ):
            raise FrameworkError(
                _("Another version is already called “%(name)s”.") % {"name": value}
            )
        setattr(current, name, value)
        changed_fields.append(name)
        revisions.append(
            WordingRevision(
                version=version,
                content_type=content_type,
                object_id=current.pk,
                field=name,
                before=before,
                after=value,
                changed_by=_actor(user),
                reason=reason[:200],
                kind=kind,
            )
        )

    # Keep the caller's instance in step with what is now stored.
    for name in changes:
        setattr(obj, name, getattr(current, name))
    if not revisions:
        return []

    current.save(update_fields=changed_fields)
    created = WordingRevision.objects.bulk_create(revisions)
    _bump_content_revision(version)
    if model is FrameworkVersion:
        obj.refresh_from_db(fields=["content_revision"])
    return created


# --- Structure: adding and removing rows ------------------------------------


@transaction.atomic
def competency_create(
    *, domain: Domain, code: str, title: str, user: AbstractBaseUser | None, title_cy: str = ""
) -> Competency:
    """Add a competency to a domain of a draft version."""
    version = lock_version(domain.version_id)
    _require_draft(
        version,
        _("Competencies can only be added to a draft version; “%(name)s” is %(status)s.")
        % {"name": version.name, "status": version.get_status_display().lower()},
    )
    code = code.strip()
    try:
        competency_code_validator(code)
    except ValidationError as exc:
        raise FrameworkError(" ".join(exc.messages)) from exc
    if int(code.split(".")[0]) != domain.number:
        raise FrameworkError(
            _("Competency %(code)s does not belong in domain %(number)s.")
            % {"code": code, "number": domain.number}
        )
    if Competency.objects.filter(domain=domain, code=code).exists():
        raise FrameworkError(_("Competency %(code)s already exists.") % {"code": code})
    competency = Competency(
        domain=domain,
        code=code,
        title=_cleaned(Competency, "title", title),
        title_cy=_cleaned(Competency, "title_cy", title_cy),
        # The number after the dot is the competency's place in its domain.
        order=int(code.split(".")[1]),
    )
    return _added(version, competency, user)


@transaction.atomic
def statement_create(
    *, competency: Competency, level: int, text: str, user: AbstractBaseUser | None, text_cy=""
) -> Statement:
    """Describe a competency of a draft version at one level."""
    version = lock_version(competency.domain.version_id)
    _require_draft(
        version,
        _("Statements can only be added to a draft version; “%(name)s” is %(status)s.")
        % {"name": version.name, "status": version.get_status_display().lower()},
    )
    if level not in LEVEL_NUMBERS:
        raise FrameworkError(_("There is no level %(level)s.") % {"level": level})
    if Statement.objects.filter(competency=competency, level=level).exists():
        raise FrameworkError(
            _("Competency %(code)s already has a level %(level)s statement.")
            % {"code": competency.code, "level": level}
        )
    statement = Statement(
        competency=competency,
        level=level,
        text=_cleaned(Statement, "text", text),
        text_cy=_cleaned(Statement, "text_cy", text_cy),
    )
    return _added(version, statement, user)


@transaction.atomic
def glossary_term_create(
    *,
    version: FrameworkVersion,
    term: str,
    slug: str,
    definition: str,
    forms: str = "",
    user: AbstractBaseUser | None,
    term_cy: str = "",
    definition_cy: str = "",
    forms_cy: str = "",
) -> GlossaryTerm:
    """Add a glossary term to a draft or the published version.

    A new term explains existing wording without changing what any statement
    asks of a practitioner, so the published version may take one.
    """
    version = lock_version(version.pk)
    _require_editable(version)
    slug = slug.strip()
    try:
        validate_slug(slug)
    except ValidationError as exc:
        raise FrameworkError(" ".join(exc.messages)) from exc
    if GlossaryTerm.objects.filter(version=version, slug=slug).exists():
        raise FrameworkError(
            _("The glossary already has a term with the anchor “%(slug)s”.") % {"slug": slug}
        )
    glossary_term = GlossaryTerm(version=version, slug=slug)
    values = {"term": term, "definition": definition, "forms": forms, "term_cy": term_cy}
    for name, value in {**values, "definition_cy": definition_cy, "forms_cy": forms_cy}.items():
        setattr(glossary_term, name, _cleaned(GlossaryTerm, name, value))
    return _added(version, glossary_term, user)


def _delete_from_draft(obj: models.Model, what: str) -> None:
    version = lock_version(version_id_of(obj))
    _require_draft(
        version,
        _("%(what)s can only be removed from a draft version; “%(name)s” is %(status)s.")
        % {"what": what, "name": version.name, "status": version.get_status_display().lower()},
    )
    delete_or_explain(obj)
    _bump_content_revision(version)


def delete_or_explain(obj: models.Model) -> None:
    try:
        obj.delete()
    except ProtectedError as exc:
        # Someone has already rated or cited it; removing it would break their record.
        raise FrameworkError(
            _("“%(obj)s” is already in use and cannot be removed.") % {"obj": obj}
        ) from exc


@transaction.atomic
def competency_delete(*, competency: Competency, user: AbstractBaseUser | None) -> None:
    """Remove a competency, and its statements, from a draft version."""
    _delete_from_draft(competency, _("Competencies"))


@transaction.atomic
def statement_delete(*, statement: Statement, user: AbstractBaseUser | None) -> None:
    """Remove one statement from a draft version."""
    _delete_from_draft(statement, _("Statements"))


@transaction.atomic
def glossary_term_delete(*, glossary_term: GlossaryTerm, user: AbstractBaseUser | None) -> None:
    """Remove a glossary term from a draft version.

    Terms stay in the published version: pages and PDFs already rendered link
    to their anchors.
    """
    _delete_from_draft(glossary_term, _("Glossary terms"))
