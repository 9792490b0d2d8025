"""A framework version's domains, competencies and statements, loaded once per wording revision.

The overview and the grid used to join every rating to its statement, competency
and domain, which built four model instances per rating (about 1,500 for the
overview's two rating sets). Here each version's statements are loaded once per
process, with their competency and domain attached and shared, and reused until
the version's ``content_revision`` moves (every wording change moves it, see
``imhcf.services.wording``). Ratings are then read without joins and pointed at
these statements.

The shared instances are read-only: nothing may change them. Pages that put old
wording back on statements (``imhcf.wording.restore_wording``: history,
snapshots) load their own through ``ratings_with_statements``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from imhcf.models import Competency, Domain, FrameworkVersion, Statement, framework_order
from selfassess.models import Assessment, Rating
from selfassess.selectors.assessments import ratings_with_statements

# A few versions per process: the published one, a draft being previewed, and the
# versions older snapshots were rated against.
MEMO_SIZE = 8
_memo: OrderedDict[tuple, Frame] = OrderedDict()
_lock = threading.Lock()

# Every field of a rating, in the order ``frame_rating_rows`` reads them.
RATING_FIELDS = tuple(f.attname for f in Rating._meta.concrete_fields)
# What the pages show of a rating; a cache key names these (a datetime's repr is slow).
SHOWN_FIELDS = ("id", "statement_id", "value", "note", "revision", "needs_review", "previous_text")
_SHOWN = [RATING_FIELDS.index(name) for name in SHOWN_FIELDS]
# Where a row holds what the pages' figures read.
STATEMENT_AT = RATING_FIELDS.index("statement_id")
VALUE_AT = RATING_FIELDS.index("value")
NEEDS_REVIEW_AT = RATING_FIELDS.index("needs_review")


def shown_parts(rows: list[tuple]) -> tuple:
    """What of each rating row the overview and the grid show, for their cache keys."""
    return tuple(tuple(row[i] for i in _SHOWN) for row in rows)


@dataclass(frozen=True)
class Frame:
    version_id: int
    domains: list[Domain]
    statements: dict[int, Statement]
    # Statement id -> its place in framework order (domain, competency, level).
    order: dict[int, int]

    def domain(self, number: int) -> Domain | None:
        return next((d for d in self.domains if d.number == number), None)

    def statement_ids_of(self, domain: Domain) -> list[int]:
        return [pk for pk, s in self.statements.items() if s.competency.domain_id == domain.pk]


def frame_key(version: FrameworkVersion) -> tuple:
    # created_at as well: a test database that is rolled back can give a new
    # version the id (and revision) of an old one, never its creation time.
    return (version.pk, version.content_revision, version.created_at)


def version_stamp(version: FrameworkVersion) -> tuple:
    """What a page shows of a version: its wording (by revision), name and status."""
    return (*frame_key(version), version.status, version.name)


def version_frame(version: FrameworkVersion) -> Frame:
    """The version's framework, from this process's memo or in two queries."""
    key = frame_key(version)
    frame = _memo.get(key)
    if frame is not None:
        return frame
    frame = _load(version)
    with _lock:
        _memo[key] = frame
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return frame


def _load(version: FrameworkVersion) -> Frame:
    domains = list(Domain.objects.filter(version=version).order_by("number"))
    by_id = {d.pk: d for d in domains}
    competencies: dict[int, Competency] = {}
    statements = list(
        Statement.objects.filter(competency__domain__version=version)
        .select_related("competency")
        .order_by(*framework_order())
    )
    for statement in statements:
        # One instance per competency, shared by its statements.
        competency = competencies.setdefault(statement.competency_id, statement.competency)
        competency.domain = by_id[competency.domain_id]
        statement.competency = competency
    return Frame(
        version_id=version.pk,
        domains=domains,
        statements={s.pk: s for s in statements},
        order={s.pk: n for n, s in enumerate(statements)},
    )


def frame_rating_rows(assessment, frame: Frame, *, domain: Domain | None = None) -> list[tuple]:
    """The assessment's ratings as rows of ``RATING_FIELDS``, in framework order: one query.

    No joins: a domain's ratings are picked by its statement ids.
    """
    qs = Rating.objects.filter(assessment=assessment)
    if domain is not None:
        qs = qs.filter(statement_id__in=frame.statement_ids_of(domain))
    rows = list(qs.order_by().values_list(*RATING_FIELDS))
    last = len(frame.order)
    rows.sort(key=lambda row: frame.order.get(row[STATEMENT_AT], last))
    return rows


def ratings_from_rows(rows: list[tuple], frame: Frame, assessment=None) -> list[Rating]:
    """Rating instances from ``frame_rating_rows``, each given the frame's shared statement."""
    ratings = []
    cache_statement = Rating.statement.field.set_cached_value
    for row in rows:
        rating = Rating.from_db("default", RATING_FIELDS, row)
        statement = frame.statements.get(rating.statement_id)
        if statement is None:  # not of this version: never expected, but stay correct
            return ratings_with_statements(assessment)
        cache_statement(rating, statement)
        ratings.append(rating)
    return ratings


def framed_ratings(assessment, frame: Frame | None = None) -> list[Rating]:
    frame = frame or version_frame(assessment.version)
    return ratings_from_rows(frame_rating_rows(assessment, frame), frame, assessment)


@dataclass
class FramedRows:
    """An assessment's rating rows (``frame_rating_rows``) read against its version's frame.

    What the grid and the overview are worked out from: cheap enough to key a cache
    on, with rating instances built from the rows only when a page is worked out.
    """

    assessment: Assessment
    frame: Frame
    rows: list[tuple]

    def statement_of(self, row: tuple) -> Statement | None:
        return self.frame.statements.get(row[STATEMENT_AT])

    def ratings_of(self, rows: list[tuple]) -> list[Rating]:
        return ratings_from_rows(rows, self.frame, self.assessment)
