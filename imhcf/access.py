"""Fetch-and-authorise helpers for the framework's public pages: 404 when there is none."""

from django.http import Http404
from django.utils.translation import gettext as _

from imhcf.forms_text import parse_id
from imhcf.models import Domain, FrameworkVersion
from imhcf.selectors import domain_with_statements, published_version


def get_published_version() -> FrameworkVersion:
    version = published_version()
    if version is None:
        raise Http404(_("No edition of the framework has been published yet."))
    return version


def pk_or_404(value) -> int:
    """An id from a URL, form or query string, or 404: what cannot be a row's id names nothing.

    ``parse_id`` refuses signs, odd digits and numbers beyond a 64-bit key, which
    SQLite cannot even be asked about (a 500 where 404 is right).
    """
    pk = parse_id(value)
    if pk is None:
        raise Http404
    return pk


def get_or_404(rows, pk, *conditions, **filters):
    """The one row of ``rows`` (a manager or queryset) with id ``pk`` that meets the conditions.

    Anything else is a bare 404: an id that cannot be one, a row that is not there, and a row
    this person may not know exists all look the same, and the page never names the model.
    """
    try:
        return rows.get(*conditions, pk=pk_or_404(pk), **filters)
    except rows.model.DoesNotExist:
        raise Http404 from None


def get_domain_with_statements(version: FrameworkVersion, number: int) -> Domain:
    domain = domain_with_statements(version, number)
    if domain is None:
        raise Http404(_("There is no domain %(number)s.") % {"number": number})
    return domain
