"""What a wording change means, and what the wording was at a given moment.

Two questions every "frozen" record asks of the framework:

- *Did this edit change the meaning?* ``wording_key`` reduces text to its
  words; case, spacing and punctuation are not substance. The version
  carry-over flags a rating for re-checking when the keys differ, and an
  in-place editorial edit to the published version is refused when they do.
- *What did it say then?* Completed snapshots point at statement rows, whose
  wording an editorial edit may still tidy. ``wording_as_of`` reads the
  append-only ``WordingRevision`` history back to the text current at the
  moment the snapshot was made, so a frozen record shows its own words.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from imhcf.bilingual import localised
from imhcf.errors import FrameworkError
from imhcf.models import Competency, Domain, Statement, WordingRevision

_NOT_WORDS = re.compile(r"[^\w]+")


def wording_key(text: str) -> str:
    """Text reduced to its words: case, spacing and punctuation are not substance."""
    return " ".join(_NOT_WORDS.sub(" ", text.casefold()).split())


def wording_changed(before: str, after: str) -> bool:
    return wording_key(before) != wording_key(after)


def wording_as_of(
    model: type[models.Model], field: str, ids: Iterable[int], when: datetime.datetime
) -> dict[int, str]:
    """``field`` of each row in ``ids`` as it read at ``when``, for rows edited since.

    One query. Rows not edited after ``when`` are absent: their current text
    is the text of that moment. For an edited row, the "before" of its first
    revision after ``when`` is what it said then.
    """
    ids = list(ids)
    if not ids:
        return {}
    then: dict[int, str] = {}
    revisions = (
        WordingRevision.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=ids,
            field=field,
            changed_at__gt=when,
        )
        .order_by("object_id", "changed_at", "id")
        .values_list("object_id", "before")
    )
    for object_id, before in revisions:
        then.setdefault(object_id, before)
    return then


def restore_wording(ratings: Iterable, when: datetime.datetime) -> dict[int, str]:
    """Put the wording current at ``when`` back on each rating's statement, competency and domain.

    ``ratings`` need ``statement__competency__domain`` loaded; the loaded
    instances are changed in memory only. Returns the restored statement texts (in the
    active language) by id, so callers can mark their
    glossary terms afresh rather than use the cached marking of today's text.
    """
    ratings = list(ratings)
    # select_related gives each rating its own competency and domain instances.
    statement_ids = {r.statement.pk for r in ratings}
    competency_ids = {r.statement.competency.pk for r in ratings}
    domain_ids = {r.statement.competency.domain.pk for r in ratings}
    restored: dict[int, str] = {}
    # English and Welsh alike (imhcf.bilingual): six queries.
    for suffix in ("", "_cy"):
        texts = wording_as_of(Statement, f"text{suffix}", statement_ids, when)
        titles = wording_as_of(Competency, f"title{suffix}", competency_ids, when)
        names = wording_as_of(Domain, f"name{suffix}", domain_ids, when)
        for rating in ratings:
            statement = rating.statement
            _restore(statement, f"text{suffix}", texts)
            _restore(statement.competency, f"title{suffix}", titles)
            _restore(statement.competency.domain, f"name{suffix}", names)
        restored.update(
            {
                r.statement.pk: localised(r.statement, "text")
                for r in ratings
                if r.statement.pk in texts
            }
        )
    return restored


def _restore(obj, field: str, then: dict[int, str]) -> None:
    if obj.pk in then:
        setattr(obj, field, then[obj.pk])


# Wording a practitioner rates against: on the published version these take
# editorial edits that leave the words alone, and nothing else.
MEANING_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Statement: ("text", "text_cy"),
    Competency: ("title", "title_cy"),
}


def check_published_edit(
    *, model: type[models.Model], field: str, before: str, after: str, kind: str
) -> None:
    """Refuse an in-place edit of the published version that would change what is asked.

    The editor says which kind of change it is. A substantive change, or one
    given no kind, must go into a draft version. An "editorial" change is held
    to its word: if the words themselves differ (judged as the carry-over of
    ratings judges them, ``wording_changed``), it is refused too.
    """
    if field not in MEANING_FIELDS.get(model, ()):
        return
    if field.endswith("_cy") and not before.strip():
        # The first Welsh for wording that had none translates what is already asked.
        return
    if kind != WordingRevision.Kind.EDITORIAL:
        raise FrameworkError(
            _(
                "The published version takes editorial changes only. Start a draft version "
                "for a change of meaning, so practitioners are asked to re-check their ratings."
            )
        )
    if wording_changed(before, after):
        raise FrameworkError(
            _(
                "This is not an editorial change: the words differ, not only their "
                "capitals, punctuation or spacing. “%(before)s” would become “%(after)s”. "
                "Make this change in a draft version."
            )
            % {"before": before, "after": after}
        )
