"""Reads of the framework that are more than one line."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from imhcf.extensions import impact_of
from imhcf.models import Competency, Domain, FrameworkVersion, GlossaryTerm, Level, Statement
from imhcf.wording import wording_changed


def published_version() -> FrameworkVersion | None:
    """The edition practitioners rate against now; ``None`` before the first is published."""
    return FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED).first()


def version_levels(version: FrameworkVersion) -> list[Level]:
    return list(Level.objects.filter(version=version).order_by("number"))


def domains_with_counts(version: FrameworkVersion) -> list[Domain]:
    return list(
        Domain.objects.filter(version=version)
        .annotate(competency_count=Count("competencies"))
        .order_by("number")
    )


def _competencies_with_statements():
    return Prefetch(
        "competencies",
        queryset=Competency.objects.order_by("order", "code").prefetch_related(
            Prefetch("statements", queryset=Statement.objects.order_by("level"))
        ),
    )


def domain_with_statements(version: FrameworkVersion, number: int) -> Domain | None:
    """A domain with its competencies and their statements: three queries."""
    return (
        Domain.objects.filter(version=version, number=number)
        .prefetch_related(_competencies_with_statements())
        .first()
    )


def domain_numbers(version: FrameworkVersion) -> list[int]:
    return list(
        Domain.objects.filter(version=version).order_by("number").values_list("number", flat=True)
    )


def framework_tree(version: FrameworkVersion) -> list[Domain]:
    """Every domain with competencies and statements, in order: three queries."""
    return list(
        Domain.objects.filter(version=version)
        .order_by("number")
        .prefetch_related(_competencies_with_statements())
    )


def glossary_terms(version: FrameworkVersion) -> list[GlossaryTerm]:
    return sorted(GlossaryTerm.objects.filter(version=version), key=lambda t: t.term.casefold())


@dataclass
class Reworded:
    key: str
    before: str
    after: str


@dataclass
class PublishChanges:
    """What publishing a draft changes for practitioners, against the version it replaces."""

    reworded: list[Reworded] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # One sentence per app that counts who is affected (see ``imhcf.extensions``).
    affected: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.reworded or self.added or self.removed)


def version_publish_changes(draft: FrameworkVersion) -> PublishChanges:
    """Statements reworded (in meaning), added and removed, and who that reaches.

    A statement is matched to the one it was copied from, else by its key
    (code and level), as the carry-over of ratings matches them; "reworded"
    uses the same test of meaning the carry-over uses, so the figures say
    exactly which ratings will be flagged for checking. One query here, plus
    one per registered impact counter.
    """
    changes = PublishChanges()
    if draft.based_on_id is None:
        return changes
    rows = (
        Statement.objects.filter(competency__domain__version_id__in=[draft.pk, draft.based_on_id])
        .select_related("competency__domain")
        .order_by(*Statement._meta.ordering)
    )
    old: dict[int, Statement] = {}
    new: list[Statement] = []
    for statement in rows:
        if statement.competency.domain.version_id == draft.pk:
            new.append(statement)
        else:
            old[statement.pk] = statement
    old_by_key = {s.key: s for s in old.values()}
    matched: set[int] = set()
    reworded_ids: list[int] = []
    for statement in new:
        earlier = old.get(statement.predecessor_id) or old_by_key.get(statement.key)
        if earlier is None or earlier.pk in matched:
            changes.added.append(statement.key)
            continue
        matched.add(earlier.pk)
        if wording_changed(earlier.text, statement.text):
            changes.reworded.append(Reworded(statement.key, earlier.text, statement.text))
            reworded_ids.append(earlier.pk)
    changes.removed = [s.key for s in old.values() if s.pk not in matched]
    changes.affected = impact_of(reworded_ids)
    return changes
