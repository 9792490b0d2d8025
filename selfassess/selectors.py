"""Reads of self-assessments that are more than one line.

Every page here reads a fixed number of queries whatever the framework's size:
ratings come with their statement and competency in one joined query, and the
figures (progress per domain and level, highest level achieved, gaps,
strengths, what changed) are worked out in Python from those rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from imhcf.models import Competency, Domain, FrameworkVersion, LevelNumber, Statement
from imhcf.wording import restore_wording
from selfassess.matching import match_ratings, statement_key, wording_changed
from selfassess.models import VALUE_RANK, Assessment, Goal, Profile, Rating

LEVELS = tuple(LevelNumber.values)
ACHIEVED = Rating.Value.ACHIEVED
WORKING = Rating.Value.WORKING_TOWARDS


# --- Progress figures --------------------------------------------------------


@dataclass
class LevelCounts:
    level: int
    total: int = 0
    achieved: int = 0
    working: int = 0

    @property
    def not_started(self) -> int:
        return self.total - self.achieved - self.working

    @property
    def achieved_percent(self) -> int:
        return round(100 * self.achieved / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.achieved == self.total


@dataclass
class DomainProgress:
    number: int
    name: str = ""
    levels: dict[int, LevelCounts] = field(default_factory=dict)
    needs_review: int = 0

    def __post_init__(self) -> None:
        for level in LEVELS:
            self.levels.setdefault(level, LevelCounts(level))

    def add(self, level: int, value: str, count: int = 1) -> None:
        counts = self.levels[level]
        counts.total += count
        if value == ACHIEVED:
            counts.achieved += count
        elif value == WORKING:
            counts.working += count

    @property
    def level_list(self) -> list[LevelCounts]:
        return [self.levels[level] for level in LEVELS]

    @property
    def total(self) -> int:
        return sum(c.total for c in self.levels.values())

    @property
    def achieved(self) -> int:
        return sum(c.achieved for c in self.levels.values())

    @property
    def working(self) -> int:
        return sum(c.working for c in self.levels.values())

    @property
    def highest_level(self) -> int:
        """Levels are cumulative: a level counts only when it and all below are achieved."""
        highest = 0
        for level in LEVELS:
            if not self.levels[level].complete:
                break
            highest = level
        return highest

    def counts_up_to(self, target: int) -> LevelCounts:
        summed = LevelCounts(target)
        for level in LEVELS:
            if level <= target:
                summed.total += self.levels[level].total
                summed.achieved += self.levels[level].achieved
                summed.working += self.levels[level].working
        return summed


def highest_level_of(values_by_level: dict[int, str]) -> int:
    """Highest level fully achieved for one competency, cumulatively."""
    highest = 0
    for level in LEVELS:
        if level not in values_by_level:
            continue
        if values_by_level[level] != ACHIEVED:
            break
        highest = level
    return highest


def progress_from_rows(
    rows: Iterable[tuple[int, int, str, bool]], domains: Iterable[Domain] = ()
) -> list[DomainProgress]:
    """Progress per domain from (domain number, level, value, needs review) rows."""
    progress = {d.number: DomainProgress(d.number, d.name) for d in domains}
    for number, level, value, needs_review in rows:
        domain = progress.setdefault(number, DomainProgress(number))
        domain.add(level, value)
        domain.needs_review += bool(needs_review)
    return [progress[n] for n in sorted(progress)]


def _rating_rows(ratings: Iterable[Rating]):
    for r in ratings:
        yield (r.statement.competency.domain.number, r.statement.level, r.value, r.needs_review)


# --- Who and what --------------------------------------------------------------


def profile_for(user) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def published_version() -> FrameworkVersion | None:
    return FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED).first()


def last_completed(user) -> Assessment | None:
    """The newest snapshot; ``user`` may be a user or a user id."""
    qs = Assessment.objects.filter(user=user, status=Assessment.Status.COMPLETED)
    return qs.select_related("version").order_by("-completed_at").first()


def completed_assessments(user) -> list[Assessment]:
    return list(
        Assessment.objects.filter(user=user, status=Assessment.Status.COMPLETED)
        .select_related("version")
        .order_by("-completed_at")
    )


def ratings_with_statements(assessment: Assessment, *, domain: Domain | None = None):
    """One query: ratings joined to statement, competency and domain, in framework order."""
    qs = Rating.objects.filter(assessment=assessment).select_related(
        "statement__competency__domain"
    )
    if domain is not None:
        qs = qs.filter(statement__competency__domain=domain)
    return list(
        qs.order_by(
            "statement__competency__domain__number",
            "statement__competency__order",
            "statement__competency__code",
            "statement__level",
        )
    )


def version_domains(version: FrameworkVersion) -> list[Domain]:
    return list(Domain.objects.filter(version=version).order_by("number"))


# --- The grid -------------------------------------------------------------------


@dataclass
class GridRow:
    competency: Competency
    ratings: list[Rating]

    @property
    def highest_level(self) -> int:
        return highest_level_of({r.statement.level: r.value for r in self.ratings})

    @property
    def out_of_order(self) -> bool:
        """A higher level marked achieved while a lower one is not: worth a hint."""
        return any(
            r.value == ACHIEVED and r.statement.level > self.highest_level for r in self.ratings
        )


@dataclass
class DomainGrid:
    domain: Domain
    rows: list[GridRow]
    progress: list[DomainProgress]
    previous_number: int | None
    next_number: int | None

    @property
    def current(self) -> DomainProgress:
        return next(p for p in self.progress if p.number == self.domain.number)


def rows_from_ratings(ratings: list[Rating]) -> list[GridRow]:
    rows: list[GridRow] = []
    for rating in ratings:
        competency = rating.statement.competency
        if not rows or rows[-1].competency.pk != competency.pk:
            rows.append(GridRow(competency, []))
        rows[-1].ratings.append(rating)
    return rows


def domain_grid(assessment: Assessment, number: int) -> DomainGrid:
    """The grid of one domain with progress for all: three queries.

    Domains; this domain's ratings with statements and competencies; counts
    per domain, level and value for the progress list.
    """
    domains = version_domains(assessment.version)
    numbers = [d.number for d in domains]
    if number not in numbers:
        raise Http404(_("There is no domain %(number)s.") % {"number": number})
    domain = domains[numbers.index(number)]
    ratings = ratings_with_statements(assessment, domain=domain)
    index = numbers.index(number)
    return DomainGrid(
        domain=domain,
        rows=rows_from_ratings(ratings),
        progress=domain_progress(assessment, domains),
        previous_number=numbers[index - 1] if index > 0 else None,
        next_number=numbers[index + 1] if index + 1 < len(numbers) else None,
    )


def domain_progress(assessment: Assessment, domains: Iterable[Domain] = ()) -> list[DomainProgress]:
    """Progress per domain and level: one query, at most 7 x 3 x 3 x 2 rows."""
    rows = (
        Rating.objects.filter(assessment=assessment)
        .values_list(
            "statement__competency__domain__number", "statement__level", "value", "needs_review"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    progress = {d.number: DomainProgress(d.number, d.name) for d in domains}
    for number, level, value, needs_review, n in rows:
        domain = progress.setdefault(number, DomainProgress(number))
        domain.add(level, value, n)
        if needs_review:
            domain.needs_review += n
    return [progress[k] for k in sorted(progress)]


@dataclass
class SaveEcho:
    """What a rating save sends back besides the cell: the row and domain figures."""

    competency_highest: int
    competency_out_of_order: bool
    domain: DomainProgress


def save_echo(rating: Rating) -> SaveEcho:
    """Figures refreshed after one save: one query over the domain's ratings."""
    domain = rating.statement.competency.domain
    rows = Rating.objects.filter(
        assessment_id=rating.assessment_id, statement__competency__domain_id=domain.pk
    ).values_list("statement__competency_id", "statement__level", "value", "needs_review")
    progress = DomainProgress(domain.number, domain.name)
    competency_values: dict[int, str] = {}
    for competency_id, level, value, needs_review in rows:
        progress.add(level, value)
        progress.needs_review += bool(needs_review)
        if competency_id == rating.statement.competency_id:
            competency_values[level] = value
    highest = highest_level_of(competency_values)
    out_of_order = any(v == ACHIEVED and lvl > highest for lvl, v in competency_values.items())
    return SaveEcho(highest, out_of_order, progress)


# --- Comparison -------------------------------------------------------------------


@dataclass
class Change:
    key: tuple[str, int]
    earlier: Rating | None
    later: Rating | None

    @property
    def statement(self) -> Statement:
        return (self.later or self.earlier).statement

    @property
    def competency(self) -> Competency:
        return self.statement.competency

    @property
    def code(self) -> str:
        return self.key[0]

    @property
    def level(self) -> int:
        return self.key[1]

    @property
    def direction(self) -> str:
        if self.earlier is None or self.later is None:
            return "unmatched"
        delta = VALUE_RANK[self.later.value] - VALUE_RANK[self.earlier.value]
        return "improved" if delta > 0 else "slipped" if delta < 0 else "unchanged"

    @property
    def wording_changed(self) -> bool:
        return bool(
            self.earlier
            and self.later
            and wording_changed(self.earlier.statement.text, self.later.statement.text)
        )

    @property
    def note_changed(self) -> bool:
        return bool(self.earlier and self.later and self.earlier.note != self.later.note)


@dataclass
class Comparison:
    earlier: Assessment
    later: Assessment
    improved: list[Change]
    slipped: list[Change]
    unchanged: list[Change]
    only_earlier: list[Change]
    only_later: list[Change]

    @property
    def across_versions(self) -> bool:
        return self.earlier.version_id != self.later.version_id

    @property
    def changed(self) -> list[Change]:
        return sorted(self.improved + self.slipped, key=lambda c: _key_order(c.key))


def _key_order(key: tuple[str, int]) -> tuple[int, int, int]:
    domain, number = key[0].split(".")
    return (int(domain), int(number), key[1])


def compare_ratings(
    earlier: Assessment,
    later: Assessment,
    earlier_ratings: list[Rating],
    later_ratings: list[Rating],
) -> Comparison:
    """Statement by statement, later against earlier, matched as ``matching`` explains."""
    matched = match_ratings(earlier_ratings, [r.statement for r in later_ratings])
    used = {r.pk for r in matched.values()}
    buckets: dict[str, list[Change]] = defaultdict(list)
    for rating in later_ratings:
        change = Change(statement_key(rating.statement), matched.get(rating.statement_id), rating)
        buckets[change.direction if change.earlier else "only_later"].append(change)
    for rating in earlier_ratings:
        if rating.pk not in used:
            buckets["only_earlier"].append(Change(statement_key(rating.statement), rating, None))
    return Comparison(
        earlier=earlier,
        later=later,
        improved=buckets["improved"],
        slipped=buckets["slipped"],
        unchanged=buckets["unchanged"],
        only_earlier=buckets["only_earlier"],
        only_later=buckets["only_later"],
    )


def compare_assessments(first: Assessment, second: Assessment) -> Comparison:
    """Two snapshots in date order, each in its own words: eight queries, four per side."""
    earlier, later = sorted((first, second), key=lambda a: a.completed_at or a.started_at)
    sides = []
    for assessment in (earlier, later):
        ratings = ratings_with_statements(assessment)
        if assessment.completed_at:
            restore_wording(ratings, assessment.completed_at)
        sides.append(ratings)
    return compare_ratings(earlier, later, *sides)


# --- The overview --------------------------------------------------------------------


@dataclass
class CompetencyStrength:
    competency: Competency
    highest_level: int


@dataclass
class Overview:
    assessment: Assessment
    target_level: int
    domains: list[DomainProgress]
    strength_domains: list[DomainProgress]
    strength_competencies: list[tuple[DomainProgress, list[CompetencyStrength]]]
    gaps: list[tuple[DomainProgress, list[Rating]]]
    needs_review: list[Rating]
    target: LevelCounts
    changes: Comparison | None
    last_completed: Assessment | None
    # Rated Achieved with no evidence linked: an application would be refused on these.
    unevidenced: list[Rating] = field(default_factory=list)

    @property
    def gap_count(self) -> int:
        return sum(len(items) for _d, items in self.gaps)


def assessment_overview(
    assessment: Assessment,
    target_level: int,
    evidence_counts: dict[tuple[str, int], int] | None = None,
) -> Overview:
    """Map, strengths, gaps and changes: four queries (two without an earlier snapshot).

    Domains; all ratings with statements; the last completed assessment; its
    ratings with statements.
    """
    domains = version_domains(assessment.version)
    ratings = ratings_with_statements(assessment)
    progress = progress_from_rows(_rating_rows(ratings), domains)
    target = LevelCounts(target_level)
    for domain in progress:
        counts = domain.counts_up_to(target_level)
        target.total += counts.total
        target.achieved += counts.achieved
        target.working += counts.working

    strong_domains = {p.number for p in progress if p.highest_level >= target_level}
    strengths: dict[int, list[CompetencyStrength]] = defaultdict(list)
    gaps: dict[int, list[Rating]] = defaultdict(list)
    for row in rows_from_ratings(ratings):
        number = row.competency.domain.number
        if row.highest_level >= target_level and number not in strong_domains:
            strengths[number].append(CompetencyStrength(row.competency, row.highest_level))
        for rating in row.ratings:
            if rating.statement.level <= target_level and rating.value != ACHIEVED:
                gaps[number].append(rating)

    previous = last_completed(assessment.user_id)
    changes = None
    if previous is not None:
        changes = compare_ratings(previous, assessment, ratings_with_statements(previous), ratings)
    return Overview(
        assessment=assessment,
        target_level=target_level,
        domains=progress,
        strength_domains=[p for p in progress if p.number in strong_domains],
        strength_competencies=[(p, strengths[p.number]) for p in progress if strengths[p.number]],
        gaps=[(p, gaps[p.number]) for p in progress if gaps[p.number]],
        needs_review=[r for r in ratings if r.needs_review],
        target=target,
        changes=changes,
        last_completed=previous,
        unevidenced=[
            r
            for r in ratings
            if r.value == ACHIEVED
            and not (evidence_counts or {}).get((r.statement.competency.code, r.statement.level))
        ],
    )


def completion_figures(assessment: Assessment, target_level: int | None) -> dict:
    """The headline figures frozen onto an assessment when it is completed: one query."""
    rows = Rating.objects.filter(assessment=assessment).values_list(
        "statement__competency__domain__number", "statement__level", "value", "needs_review"
    )
    progress = progress_from_rows(rows)
    target = target_level or max(LEVELS)
    up_to = [p.counts_up_to(target) for p in progress]
    return {
        "target_level": target_level,
        "statement_count": sum(p.total for p in progress),
        "achieved_count": sum(p.achieved for p in progress),
        "working_count": sum(p.working for p in progress),
        "target_statement_count": sum(c.total for c in up_to),
        "target_achieved_count": sum(c.achieved for c in up_to),
        "highest_levels": {str(p.number): p.highest_level for p in progress},
        "needs_review": sum(p.needs_review for p in progress),
    }


# --- The development plan ---------------------------------------------------------


@dataclass
class Plan:
    goals: list[Goal]
    suggestions: dict[int, list[Rating]]
    source: Assessment | None
    target_level: int

    @property
    def suggestion_count(self) -> int:
        return sum(len(s) for s in self.suggestions.values())


def goals_for(user) -> list[Goal]:
    """A user's goals with their statements: two queries."""
    goals = (
        Goal.objects.filter(user=user)
        .prefetch_related(
            Prefetch(
                "statements",
                queryset=Statement.objects.select_related("competency").order_by(
                    "competency__domain__number", "competency__order", "level"
                ),
            )
        )
        .order_by("due_date", "pk")
    )
    # Finished goals go to the end: the plan is read for what is still to do.
    return sorted(goals, key=lambda g: g.progress == Goal.Progress.DONE)


def latest_assessment(user) -> Assessment | None:
    """The assessment in progress, else the last completed one."""
    in_progress = (
        Assessment.objects.filter(user=user, status=Assessment.Status.IN_PROGRESS)
        .select_related("version")
        .first()
    )
    return in_progress or last_completed(user)


def development_plan(user, target_level: int) -> Plan:
    """Goals, and target-level gaps that no goal covers yet (matched by stable key)."""
    goals = goals_for(user)
    covered = {statement_key(s) for goal in goals for s in goal.statements.all()}
    source = latest_assessment(user)
    suggestions: dict[int, list[Rating]] = defaultdict(list)
    if source is not None:
        for rating in ratings_with_statements(source):
            statement = rating.statement
            if (
                statement.level <= target_level
                and rating.value != ACHIEVED
                and statement_key(statement) not in covered
            ):
                suggestions[statement.competency.domain.number].append(rating)
    return Plan(goals, dict(suggestions), source, target_level)


def statements_by_ids(ids: Iterable[int]) -> list[Statement]:
    return list(Statement.objects.filter(pk__in=list(ids)))


def _statement_label(statement: Statement) -> str:
    return _("%(code)s Level %(level)s: %(text)s") % {
        "code": statement.competency.code,
        "level": statement.level,
        "text": statement.text,
    }


def goal_statement_choices(user, extra_ids: Iterable[int] = ()) -> list:
    """Statements a goal may aim at, grouped by domain for the form.

    The not-yet-achieved statements of the latest assessment, plus any named in
    ``extra_ids`` (already on the goal, or picked from a suggestion) that the
    user could see: only statements of a version they have assessed against.
    """
    source = latest_assessment(user)
    extra = set(extra_ids)
    offered: set[int] = set()
    groups: dict[str, list[tuple[int, str]]] = {}
    if source is not None:
        for rating in ratings_with_statements(source):
            statement = rating.statement
            if rating.value == ACHIEVED and statement.pk not in extra:
                continue
            domain = statement.competency.domain
            groups.setdefault(f"{domain.number}. {domain.name}", []).append(
                (statement.pk, _statement_label(statement))
            )
            offered.add(statement.pk)
    older = extra - offered
    if older:
        # Goals set against an earlier edition keep the statements they named.
        links = Goal.statements.through.objects.filter(goal__user=user, statement_id__in=older)
        for statement in Statement.objects.filter(
            pk__in=links.values("statement_id")
        ).select_related("competency"):
            groups.setdefault(_("From an earlier edition"), []).append(
                (statement.pk, _statement_label(statement))
            )
    return list(groups.items())
