"""Reads for the public register: search, entry pages and verification.

"Currently registered" means listed (active or suspended) *and* in date: an
entry whose valid-until date has passed is not shown as registered, even in
the grace period before ``entries_lapse`` marks it lapsed.

Every query here loads only the fields the public may see, so a template
cannot leak an email address or an organisation by accident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Upper
from django.db.models.lookups import Contains, StartsWith
from django.utils import timezone

from imhcf.models import FrameworkVersion, Level
from register.folding import Fold
from register.models import RegisterEntry
from selfassess.models import region_label

PER_PAGE = 20
# Counting every match of a broad search (a common name, a region) costs a read of
# all of them. Beyond this many the page says "more than" and asks for a narrower one.
RESULT_CAP = 1000
# Enough words for any real name; more only adds LIKE conditions to the query.
MAX_NAME_WORDS = 5
# Shorter words match only at the start of a word of the name.
MIN_INFIX_LENGTH = 3

PUBLIC_FIELDS = (
    "registration_number",
    "display_name",
    "level",
    "region",
    "status",
    "restriction",
    "recognised_on",
    "valid_until",
)

# Phones type a curly apostrophe where a keyboard types a straight one; names
# are stored with whichever the practitioner typed.
_APOSTROPHES = re.compile(r"[\u2019\u2018\u02bc`\u00b4]")
# Hyphens and spaces separate the words of a name interchangeably
# ("Smith-Jones", "Smith Jones").
_WORD_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2013]+")


def currently_registered(today: date | None = None) -> QuerySet[RegisterEntry]:
    """Entries the public register lists: active and in date, or suspended.

    A suspended entry is listed whatever its date: it does not lapse while the
    suspension lasts, so the public can always see it.
    """
    return RegisterEntry.objects.filter(
        Q(status=RegisterEntry.Status.ACTIVE, valid_until__gte=today or timezone.localdate())
        | Q(status=RegisterEntry.Status.SUSPENDED)
    )


def is_currently_registered(entry: RegisterEntry, today: date | None = None) -> bool:
    if entry.status == RegisterEntry.Status.SUSPENDED:
        return True
    return entry.is_publicly_listed and entry.valid_until >= (today or timezone.localdate())


def is_awaiting_renewal(entry: RegisterEntry, today: date | None = None) -> bool:
    """Active but past its valid-until date: in the grace period, or a renewal is being decided."""
    today = today or timezone.localdate()
    return entry.status == RegisterEntry.Status.ACTIVE and entry.valid_until < today


def name_words(query: str) -> list[str]:
    """The words of a typed name, apostrophes made straight, duplicates dropped."""
    words = _WORD_SEPARATORS.split(_APOSTROPHES.sub("'", query))
    unique = list(dict.fromkeys(word for word in words if word))
    return unique[:MAX_NAME_WORDS]


def _word_condition(word: str) -> Q:
    """Names containing ``word``; a word of one or two letters only at the start of a word.

    "Li" should find Amy Li, not every Williams and Collins. It also keeps
    short words on the trigram index: trigrams need three characters, and a
    word start gives the two-letter word its padded ones, where a bare '%LI%'
    gives none and scans the whole table.

    Both sides are folded (``imhcf_fold``: upper case, accents removed): the
    entry's side is its stored ``folded_name``, the column the indexes are
    built on, so "sian" finds "Siân" and the index serves the search.
    """
    name = F("folded_name")
    condition = Q()
    for spelling in dict.fromkeys([word, word.replace("'", "\u2019")]):
        if len(word) < MIN_INFIX_LENGTH:
            condition |= (
                Q(StartsWith(name, Fold(Value(spelling))))
                | Q(Contains(name, Fold(Value(f" {spelling}"))))
                | Q(Contains(name, Fold(Value(f"-{spelling}"))))
            )
        else:
            condition |= Q(Contains(name, Fold(Value(spelling))))
    return condition


def search(
    *, name: str = "", region: str = "", level: int | None = None
) -> QuerySet[RegisterEntry]:
    """Currently registered entries whose name contains every word of ``name``, by name."""
    entries = currently_registered()
    for word in name_words(name):
        entries = entries.filter(_word_condition(word))
    if region:
        entries = entries.filter(region=region)
    if level:
        entries = entries.filter(level=level)
    return entries.only(*PUBLIC_FIELDS).order_by(Upper("display_name"), "id")


class CappedPaginator(Paginator):
    """A paginator that offers pages up to ``cap`` rows and stops counting there.

    The count is ``WITH matches AS MATERIALIZED (...) SELECT COUNT(*) FROM
    (SELECT 1 FROM matches LIMIT cap + 1)``: it stops after cap + 1 matches, so
    a common name ("son": 12,000 of 100,000) costs what a thousand rows cost.
    The CTE is there for the planner. A plain ``LIMIT`` tells PostgreSQL that
    only the first few matches are wanted, and it then prefers a sequential
    scan that "stops early", assuming the matches are spread evenly: for a rare
    name that reads the whole register. A materialised CTE is planned for all
    of its rows (the index, whatever the name) and still runs only as far as
    the LIMIT reads it. The ORM cannot write one, hence the SQL around its query.
    """

    def __init__(self, object_list, per_page, *, cap: int = RESULT_CAP):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _bounded_count(self) -> int:
        # No ORDER BY: a count need not sort the matches.
        query = self.object_list.order_by().values("pk").query
        sql, params = query.sql_with_params()
        with connections[self.object_list.db].cursor() as cursor:
            cursor.execute(
                f"WITH matches AS MATERIALIZED ({sql}) "  # noqa: S608 (the ORM's own SQL)
                "SELECT COUNT(*) FROM (SELECT 1 FROM matches LIMIT %s) AS capped",
                [*params, self.cap + 1],
            )
            return cursor.fetchone()[0]

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def truncated(self) -> bool:
        return self._bounded_count > self.cap


def search_page(
    *, name: str = "", region: str = "", level: int | None = None, page_number=None
) -> Page:
    """One page of results, in two queries: a count, then the page's rows."""
    entries = search(name=name, region=region, level=level)
    paginator = CappedPaginator(entries, PER_PAGE, cap=RESULT_CAP)
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.region_label = region_label(entry.region)
    return page


def _published_level(field: str) -> Subquery:
    return Subquery(
        Level.objects.filter(
            version__status=FrameworkVersion.Status.PUBLISHED, number=OuterRef("level")
        ).values(field)[:1]
    )


def get_entry(number: str) -> RegisterEntry | None:
    """The entry with this canonical number, whatever its status, in one query.

    Carries the published framework's name and meaning of its level as
    ``level_name`` and ``level_meaning`` (None before a framework is published).
    """
    entry = (
        RegisterEntry.objects.filter(registration_number=number)
        .only(*PUBLIC_FIELDS)
        .annotate(level_name=_published_level("name"), level_meaning=_published_level("meaning"))
        .first()
    )
    if entry is not None:
        entry.region_label = region_label(entry.region)
    return entry


@dataclass(frozen=True)
class Verdict:
    """What the verify page says about a number, at a glance."""

    REGISTERED = "registered"
    RESTRICTED = "restricted"
    # Past the valid-until date, not yet lapsed: the practitioner can still renew.
    EXPIRED = "expired"
    NOT_REGISTERED = "not_registered"
    UNKNOWN = "unknown"
    INVALID = "invalid"

    state: str
    number: str
    entry: RegisterEntry | None = None

    @property
    def is_registered(self) -> bool:
        return self.state in (self.REGISTERED, self.RESTRICTED)

    @property
    def renewal_closes(self) -> date | None:
        if self.state != self.EXPIRED or self.entry is None:
            return None
        return self.entry.valid_until + timedelta(days=settings.IMHCF_LAPSE_GRACE_DAYS)

    @property
    def renewal_being_decided(self) -> bool:
        # Past the grace period, an active entry has a renewal with a reviewer:
        # otherwise the daily run would have lapsed it.
        closes = self.renewal_closes
        return closes is not None and closes < timezone.localdate()


def verdict_for(number: str | None, raw: str = "") -> Verdict:
    """The verify page's answer for a canonical number (None when it is not a valid one)."""
    if number is None:
        return Verdict(Verdict.INVALID, raw)
    return verdict_of(get_entry(number), number)


def verdict_of(entry: RegisterEntry | None, number: str) -> Verdict:
    """The verdict for an entry already loaded by ``get_entry`` (None: no such number)."""
    if entry is None:
        return Verdict(Verdict.UNKNOWN, number)
    if is_awaiting_renewal(entry):
        # Only the dates: the person is not shown as registered, nor named.
        return Verdict(Verdict.EXPIRED, number, entry)
    if not is_currently_registered(entry):
        # Nothing about the person: not their name, not why they are off the register.
        return Verdict(Verdict.NOT_REGISTERED, number)
    if entry.status == RegisterEntry.Status.SUSPENDED or entry.restriction:
        # Suspended, or registered with conditions on practice.
        return Verdict(Verdict.RESTRICTED, number, entry)
    return Verdict(Verdict.REGISTERED, number, entry)
