"""Framework versions: start a draft from the published one, publish it, or discard it.

Each function locks the version row first, so two editors acting at once are
applied one after the other (see ``imhcf.services.wording`` for the rules).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imhcf import extensions
from imhcf.bilingual import TRANSLATED, welsh_field
from imhcf.errors import FrameworkError
from imhcf.models import Competency, Domain, FrameworkVersion, GlossaryTerm, Level, Statement
from imhcf.services.wording import (
    DOMAIN_NUMBERS,
    LEVEL_NUMBERS,
    clean_field,
    delete_or_explain,
    lock_version,
)

Status = FrameworkVersion.Status


def version_check_start_draft(*, source: FrameworkVersion) -> None:
    """Raise ``FrameworkError`` unless a draft may be started from ``source`` now."""
    if source.status != Status.PUBLISHED:
        raise FrameworkError(
            _(
                "A new draft can only be started from the published version; "
                "“%(name)s” is %(status)s."
            )
            % {"name": source.name, "status": source.get_status_display().lower()}
        )
    existing = FrameworkVersion.objects.filter(status=Status.DRAFT).first()
    if existing is not None:
        raise FrameworkError(
            _("“%(name)s” is already a draft. Publish or discard it before starting another.")
            % {"name": existing.name}
        )


@transaction.atomic
def version_start_draft(
    *, source: FrameworkVersion, name: str, user: AbstractBaseUser | None
) -> FrameworkVersion:
    """Copy the published version into a new draft, keeping each statement's lineage.

    Each copied statement points at the one it came from (``predecessor``), and
    keeps its competency code and level, the stable key later code uses to carry
    ratings across versions.
    """
    # Locking the published row serialises two editors starting drafts at once.
    source = lock_version(source.pk)
    version_check_start_draft(source=source)
    name = name.strip()
    if not name:
        raise FrameworkError(_("Give the new draft a name."))
    if FrameworkVersion.objects.filter(name=name).exists():
        raise FrameworkError(_("Another version is already called “%(name)s”.") % {"name": name})

    draft = FrameworkVersion.objects.create(
        name=clean_field(FrameworkVersion, "name", name, None),
        status=Status.DRAFT,
        based_on=source,
        core_competency_name=source.core_competency_name,
        core_competency_text=source.core_competency_text,
        **_welsh_of(source),
        notes=source.notes,
    )
    Level.objects.bulk_create(
        _copy(level, ("number", "name", "meaning", "audience"), version=draft)
        for level in source.levels.all()
    )
    new_domain = _copy_rows(
        Domain,
        source.domains.all(),
        lambda d: _copy(d, ("number", "name", "summary"), version=draft),
    )
    new_competency = _copy_rows(
        Competency,
        Competency.objects.filter(domain__version=source),
        lambda c: _copy(c, ("code", "title", "order"), domain=new_domain[c.domain_id]),
    )
    Statement.objects.bulk_create(
        _copy(s, ("level", "text"), competency=new_competency[s.competency_id], predecessor=s)
        for s in Statement.objects.filter(competency__domain__version=source)
    )
    GlossaryTerm.objects.bulk_create(
        _copy(t, ("term", "slug", "definition", "forms"), version=draft)
        for t in source.glossary_terms.all()
    )
    return draft


def _welsh_of(row: models.Model) -> dict[str, str]:
    """The row's Welsh fields, carried into the draft with the English beside them.

    Not a version's name: the draft is given a new one, in English only until edited.
    """
    return {
        welsh_field(name): getattr(row, welsh_field(name))
        for name in TRANSLATED[row._meta.model_name]
        if not (isinstance(row, FrameworkVersion) and name == "name")
    }


def _copy(row: models.Model, fields: tuple[str, ...], **placed) -> models.Model:
    """An unsaved copy of ``row``: the named fields and its Welsh, placed in the draft."""
    values = {name: getattr(row, name) for name in fields}
    return type(row)(**values, **_welsh_of(row), **placed)


def _copy_rows(
    model: type[models.Model], rows: Iterable[models.Model], make
) -> dict[int, models.Model]:
    """Bulk-create copies and map each source row's id to its copy."""
    sources = list(rows)
    # bulk_create sets primary keys on PostgreSQL and SQLite >= 3.35, which the
    # next level of copies needs for its foreign keys.
    copies = model.objects.bulk_create([make(row) for row in sources])
    return {row.pk: copy for row, copy in zip(sources, copies, strict=True)}


def _blank(value: str | None) -> bool:
    return not (value or "").strip()


def _label(model: type[models.Model], field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def _numbered_problems(rows, numbers, fields, *, missing: str, empty: str) -> list[str]:
    """What is wrong with a version's levels or domains: one of each number, none blank."""
    rows = list(rows)
    problems = []
    found = sorted(row.number for row in rows)
    if found != list(numbers):
        problems.append(missing % {"found": ", ".join(map(str, found)) or _("none")})
    for row in rows:
        for field in fields:
            if _blank(getattr(row, field)):
                problems.append(empty % {"number": row.number, "field": _label(type(row), field)})
    return problems


def version_publish_problems(version: FrameworkVersion) -> list[str]:
    """Everything that stops ``version`` being published, or an empty list."""
    problems: list[str] = []
    for field in ("core_competency_name", "core_competency_text"):
        if _blank(getattr(version, field)):
            problems.append(
                _("The %(field)s is empty.") % {"field": _label(FrameworkVersion, field)}
            )

    problems += _numbered_problems(
        version.levels.all(),
        LEVEL_NUMBERS,
        ("name", "meaning", "audience"),
        missing=_("A version needs levels 1, 2 and 3; this one has %(found)s."),
        empty=_("Level %(number)s: “%(field)s” is empty."),
    )
    domains = list(version.domains.all())
    problems += _numbered_problems(
        domains,
        DOMAIN_NUMBERS,
        ("name", "summary"),
        missing=_("A version needs domains 1 to 7; this one has %(found)s."),
        empty=_("Domain %(number)s: “%(field)s” is empty."),
    )

    statements: dict[int, dict[int, str]] = defaultdict(dict)
    for competency_id, level, text in Statement.objects.filter(
        competency__domain__version=version
    ).values_list("competency_id", "level", "text"):
        statements[competency_id][level] = text

    competencies = Competency.objects.filter(domain__version=version).select_related("domain")
    domains_with_competencies = set()
    for competency in competencies:
        domains_with_competencies.add(competency.domain.number)
        if not competency.code.startswith(f"{competency.domain.number}."):
            problems.append(
                _("Competency %(code)s is filed under domain %(number)s.")
                % {"code": competency.code, "number": competency.domain.number}
            )
        if _blank(competency.title):
            problems.append(_("Competency %(code)s has no title.") % {"code": competency.code})
        for level in LEVEL_NUMBERS:
            text = statements[competency.pk].get(level)
            if text is None:
                problems.append(
                    _("Competency %(code)s has no statement at level %(level)s.")
                    % {"code": competency.code, "level": level}
                )
            elif _blank(text):
                problems.append(
                    _("The level %(level)s statement of competency %(code)s is empty.")
                    % {"code": competency.code, "level": level}
                )
    for domain in domains:
        if domain.number not in domains_with_competencies:
            problems.append(_("Domain %(number)s has no competencies.") % {"number": domain.number})

    for term in version.glossary_terms.all():
        for field in ("term", "definition"):
            if _blank(getattr(term, field)):
                problems.append(
                    _("Glossary term “%(slug)s”: “%(field)s” is empty.")
                    % {"slug": term.slug, "field": _label(GlossaryTerm, field)}
                )
    return problems


@transaction.atomic
def version_publish(
    *, version: FrameworkVersion, user: AbstractBaseUser | None
) -> FrameworkVersion:
    """Publish a complete draft and retire the version it replaces, in one step.

    Two editors publishing different drafts at once must not both win. Each
    locks its draft, then locks the currently published row by id; the second
    to get that lock finds it already retired and stops. When nothing was
    published, the partial unique constraint settles it.
    """
    draft = lock_version(version.pk)
    if draft.status != Status.DRAFT:
        raise FrameworkError(
            _("Only a draft can be published; “%(name)s” is %(status)s.")
            % {"name": draft.name, "status": draft.get_status_display().lower()}
        )
    problems = version_publish_problems(draft)
    if problems:
        raise FrameworkError(
            _("“%(name)s” cannot be published until these are put right:") % {"name": draft.name},
            problems,
        )

    raced = FrameworkError(
        _(
            "Another version was published at the same moment, so “%(name)s” was not. "
            "Check which version is now published before trying again."
        )
        % {"name": draft.name}
    )
    now = timezone.now()
    current_pk = (
        FrameworkVersion.objects.filter(status=Status.PUBLISHED)
        .values_list("pk", flat=True)
        .first()
    )
    if current_pk is not None:
        current = lock_version(current_pk)
        if current.status != Status.PUBLISHED:
            raise raced
        current.status = Status.RETIRED
        current.retired_at = now
        current.save(update_fields=["status", "retired_at"])

    draft.status = Status.PUBLISHED
    draft.published_at = now
    try:
        with transaction.atomic():
            draft.save(update_fields=["status", "published_at"])
    except IntegrityError as exc:
        raise raced from exc
    version.status, version.published_at = draft.status, draft.published_at
    extensions.version_published(draft.pk)
    return draft


@transaction.atomic
def version_discard(*, version: FrameworkVersion, user: AbstractBaseUser | None) -> None:
    """Delete a draft and everything in it, so another can be started."""
    draft = lock_version(version.pk)
    if draft.status != Status.DRAFT:
        raise FrameworkError(
            _("Only a draft can be discarded; “%(name)s” is %(status)s.")
            % {"name": draft.name, "status": draft.get_status_display().lower()}
        )
    delete_or_explain(draft)
