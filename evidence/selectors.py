"""Reads of evidence: lists, counts per statement and the CPD summary."""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from evidence.models import DocumentJob, EvidenceFile, EvidenceItem, EvidenceLink
from imhcf.bilingual import numbered_names, pick
from imhcf.models import Domain, FrameworkVersion, framework_order
from imhcf.selectors import framework_tree

ZERO = Decimal("0")


def items_for_owner(owner) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.filter(owner=owner)


def evidence_list(
    owner,
    *,
    kind: str | None = None,
    domain: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[EvidenceItem]:
    """The evidence list: filtered items with their links and file counts prefetched."""
    items = items_for_owner(owner)
    if kind:
        items = items.filter(kind=kind)
    if domain:
        items = items.filter(links__statement__competency__domain__number=domain).distinct()
    if date_from:
        items = items.filter(Q(end_date__gte=date_from) | Q(start_date__gte=date_from))
    if date_to:
        items = items.filter(start_date__lte=date_to)
    # Ordered explicitly: Meta.ordering is dropped from GROUP BY queries, and pages need an order.
    # Only the columns the list shows (evidence/list_html.py): descriptions can run to 20,000
    # characters. The statements each item supports: ``statement_codes`` for the page shown.
    return (
        items.annotate(file_count=Count("files", distinct=True))
        .only("kind", "title", "start_date", "end_date", "hours")
        .order_by("-start_date", "-id")
    )


def statement_codes(items) -> dict[int, list[tuple[str, int]]]:
    """(competency code, level) of each statement each of ``items`` supports, in code order.

    One query, read as values: a page of 20 items has some 60 links, and model
    instances of each link, statement and competency cost more than the page's markup.
    """
    codes: dict[int, list[tuple[str, int]]] = {item.pk: [] for item in items}
    for item_id, code, level in (
        EvidenceLink.objects.filter(item_id__in=list(codes))
        .order_by("statement__competency__code", "statement__level")
        .values_list("item_id", "statement__competency__code", "statement__level")
    ):
        codes[item_id].append((code, level))
    return codes


def hours_total(items: QuerySet[EvidenceItem]) -> Decimal:
    # Summed over distinct items: an item counts once however many statements it evidences.
    return (
        EvidenceItem.objects.filter(pk__in=items.values("pk")).aggregate(t=Sum("hours"))["t"]
        or ZERO
    )


def evidence_counts_by_statement_key(owner) -> dict[tuple[str, int], int]:
    """How many items evidence each statement, keyed by (competency code, level).

    Keyed by the stable key, so evidence linked under an older framework version
    still counts for the same statement in the current one.
    """
    rows = (
        EvidenceLink.objects.filter(item__owner=owner)
        .values("statement__competency__code", "statement__level")
        .annotate(n=Count("item", distinct=True))
    )
    return {(r["statement__competency__code"], r["statement__level"]): r["n"] for r in rows}


def files_for_item(item: EvidenceItem) -> QuerySet[EvidenceFile]:
    return item.files.all()


def recent_documents(owner, kind: str, limit: int = 5) -> list[DocumentJob]:
    return list(DocumentJob.objects.filter(owner=owner, kind=kind)[:limit])


@dataclass
class CompetencyCovered:
    code: str
    title: str
    domain_number: int
    levels: set[int] = field(default_factory=set)

    @property
    def levels_label(self) -> str:
        return ", ".join(str(n) for n in sorted(self.levels))


@dataclass
class CpdSummary:
    start: date
    end: date
    items: list[EvidenceItem]
    total_hours: Decimal
    equality_hours: Decimal
    hours_by_kind: list[tuple[str, Decimal]]
    hours_by_domain: list[tuple[int, str, Decimal]]
    hours_by_month: list[tuple[date, Decimal]]
    competencies: list[CompetencyCovered]

    @property
    def hours_by_kind_rows(self) -> list[dict]:
        return _bar_rows([(label, hours) for label, hours in self.hours_by_kind])

    @property
    def hours_by_domain_rows(self) -> list[dict]:
        return _bar_rows([(f"{n}. {name}", hours) for n, name, hours in self.hours_by_domain])

    @property
    def hours_by_month_rows(self) -> list[dict]:
        # The label stays a date so templates format it in the reader's language.
        return _bar_rows(self.hours_by_month)


def _bar_rows(pairs: list[tuple[str, Decimal]]) -> list[dict]:
    """Rows for a bar chart: each bar's length as a share of the longest."""
    longest = max((hours for _, hours in pairs), default=ZERO)
    return [
        {
            "label": label,
            "hours": hours,
            "percent": int(hours * 100 / longest) if longest else 0,
        }
        for label, hours in pairs
    ]


def _months(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (
            current.replace(year=current.year + 1, month=1)
            if current.month == 12
            else current.replace(month=current.month + 1)
        )
    return months


# What the summary reads of each link: (item id, competency code, title, Welsh title,
# domain number, name, Welsh name, level).
LINK_COLUMNS = (
    "item_id",
    "statement__competency__code",
    "statement__competency__title",
    "statement__competency__title_cy",
    "statement__competency__domain__number",
    "statement__competency__domain__name",
    "statement__competency__domain__name_cy",
    "statement__level",
)


def cpd_summary(owner, start: date, end: date, *, links: bool = True) -> CpdSummary:
    """Hours and coverage for activities that started within [start, end]: two queries.

    With ``links`` each item comes with its links, statements and competencies (the
    CPD record and the audit show them); without, the links are read as values only,
    which is all the summary's figures need.
    """
    in_period = EvidenceItem.objects.filter(
        owner=owner, start_date__gte=start, start_date__lte=end
    ).order_by("start_date", "id")
    if links:
        items = list(
            in_period.prefetch_related(
                Prefetch(
                    "links",
                    queryset=EvidenceLink.objects.select_related(
                        "statement__competency__domain"
                    ).order_by("statement__competency__code", "statement__level"),
                )
            )
        )
        link_rows = [
            (
                item.pk,
                link.statement.competency.code,
                link.statement.competency.title,
                link.statement.competency.title_cy,
                link.statement.competency.domain.number,
                link.statement.competency.domain.name,
                link.statement.competency.domain.name_cy,
                link.statement.level,
            )
            for item in items
            for link in item.links.all()
        ]
    else:
        items = list(in_period)
        link_rows = (
            EvidenceLink.objects.filter(
                item__owner=owner, item__start_date__gte=start, item__start_date__lte=end
            )
            .order_by("statement__competency__code", "statement__level")
            .values_list(*LINK_COLUMNS)
        )
    links_of: dict[int, list[tuple]] = defaultdict(list)
    for row in link_rows:
        links_of[row[0]].append(row)
    kind_labels = dict(EvidenceItem.Kind.choices)
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_domain: dict[int, Decimal] = defaultdict(lambda: ZERO)
    domain_names: dict[int, str] = {}
    by_month: dict[date, Decimal] = OrderedDict((m, ZERO) for m in _months(start, end))
    covered: dict[str, CompetencyCovered] = {}
    total = equality = ZERO
    for item in items:
        hours = item.hours or ZERO
        total += hours
        if item.equality_inclusion:
            equality += hours
        by_kind[item.kind] += hours
        by_month[item.start_date.replace(day=1)] = (
            by_month.get(item.start_date.replace(day=1), ZERO) + hours
        )
        domains_of_item = set()
        for _item, code, title, title_cy, number, name, name_cy, level in links_of[item.pk]:
            domain_names[number] = pick(name, name_cy)
            domains_of_item.add(number)
            entry = covered.setdefault(code, CompetencyCovered(code, pick(title, title_cy), number))
            entry.levels.add(level)
        # An item's hours count once per domain it touches, never once per statement.
        for number in domains_of_item:
            by_domain[number] += hours
    return CpdSummary(
        start=start,
        end=end,
        items=items,
        total_hours=total,
        equality_hours=equality,
        hours_by_kind=[(kind_labels[k], by_kind[k]) for k in kind_labels if k in by_kind],
        hours_by_domain=[(n, domain_names[n], by_domain[n]) for n in sorted(by_domain)],
        hours_by_month=list(by_month.items()),
        competencies=sorted(covered.values(), key=lambda c: tuple(map(int, c.code.split(".")))),
    )


# Pages of the evidence user interface -------------------------------------------------------


def domain_choices() -> list[tuple[int, str]]:
    """The published version's domains for a filter; none when nothing is published."""
    return numbered_names(
        Domain.objects.filter(version__status=FrameworkVersion.Status.PUBLISHED).order_by("number")
    )


def item_links(item: EvidenceItem) -> list[EvidenceLink]:
    """The statements an item evidences, in framework order, with their version."""
    return list(
        item.links.select_related("statement__competency__domain__version").order_by(
            *framework_order("statement__")
        )
    )


def statement_search_text(statement, competency) -> str:
    """What the picker's search looks in: "c:3.04 l:2 d:3 | title and wording", casefolded.

    The part before the bar is matched exactly (code, level, domain), the part
    after word by word; the same string drives the JS filter (evidence.js), which
    reads queries by the same rules as ``parse_search``.
    """
    meta = f"c:{competency.code} l:{statement.level} d:{competency.code.split('.')[0]}"
    words = f"{competency.title} {statement.text} {competency.title_cy} {statement.text_cy}"
    return f"{meta} | {words}".casefold()


_LEVEL = re.compile(r"l([123])")
_DOMAIN = re.compile(r"d([1-7])")
_CODE = re.compile(r"([1-7]\.\d{2})(?:/l([123]))?")


@dataclass
class Search:
    levels: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    words: list[str] = field(default_factory=list)


def parse_search(query: str) -> Search:
    """A picker query: "L1" or "level 1", "D3" or "domain 3", codes like 3.04 or 3.04/L2 are
    exact; every other word must appear in the competency title or the statement's wording.
    """
    found = Search()
    words = query.casefold().split()
    skip = False
    for index, word in enumerate(words):
        if skip:
            skip = False
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        if word == "level" and following in {"1", "2", "3"}:
            found.levels.add(following)
            skip = True
        elif word == "domain" and following in {str(n) for n in range(1, 8)}:
            found.domains.add(following)
            skip = True
        elif m := _LEVEL.fullmatch(word):
            found.levels.add(m.group(1))
        elif m := _DOMAIN.fullmatch(word):
            found.domains.add(m.group(1))
        elif m := _CODE.fullmatch(word):
            found.codes.add(m.group(1))
            if m.group(2):
                found.levels.add(m.group(2))
        else:
            found.words.append(word)
    return found


def search_matches(search_text: str, query: str) -> bool:
    meta, _bar, text = search_text.partition(" | ")
    fields = dict(part.split(":", 1) for part in meta.split())
    wanted = parse_search(query)
    return (
        (not wanted.levels or fields.get("l") in wanted.levels)
        and (not wanted.domains or fields.get("d") in wanted.domains)
        and (not wanted.codes or fields.get("c") in wanted.codes)
        and all(word in text for word in wanted.words)
    )


def statement_picker(version, query: str = "") -> list:
    """The published tree for choosing statements, each marked as matching ``query`` or not.

    Non-matching statements stay in the tree (hidden on the page), so saving a
    filtered page never unlinks what the filter happened to hide. Three queries.
    """
    domains = framework_tree(version)
    for domain in domains:
        domain.match_count = 0
        for competency in domain.competencies.all():
            competency.match_count = 0
            for statement in competency.statements.all():
                statement.search_text = statement_search_text(statement, competency)
                statement.matches = search_matches(statement.search_text, query)
                competency.match_count += statement.matches
            domain.match_count += competency.match_count
    return domains


def item_ids_linked_to(owner, statement) -> set[int]:
    return set(
        EvidenceLink.objects.filter(item__owner=owner, statement=statement).values_list(
            "item_id", flat=True
        )
    )


def mark_chosen(domains: list, chosen: dict[int, str]) -> None:
    """Mark the picker's statements as ticked, with their justification, and count per domain."""
    for domain in domains:
        domain.chosen_count = 0
        for competency in domain.competencies.all():
            for statement in competency.statements.all():
                statement.checked = statement.pk in chosen
                statement.justification = chosen.get(statement.pk, "")
                domain.chosen_count += statement.checked
