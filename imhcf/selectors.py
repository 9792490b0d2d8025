"""Reads of the framework that are more than one line."""

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from imhcf.models import Competency, Domain, FrameworkVersion, GlossaryTerm, Level, Statement


def get_published_version() -> FrameworkVersion:
    version = FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED).first()
    if version is None:
        raise Http404(_("No edition of the framework has been published yet."))
    return version


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


def get_domain_with_statements(version: FrameworkVersion, number: int) -> Domain:
    """A domain with its competencies and their statements: three queries."""
    domain = (
        Domain.objects.filter(version=version, number=number)
        .prefetch_related(_competencies_with_statements())
        .first()
    )
    if domain is None:
        raise Http404(_("There is no domain %(number)s.") % {"number": number})
    return domain


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
