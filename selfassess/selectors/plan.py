"""The development plan: goals, and the gaps no goal covers yet."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from imhcf.bilingual import localised
from imhcf.models import Statement
from selfassess.matching import statement_key
from selfassess.models import Assessment, Goal, Rating
from selfassess.selectors.assessments import latest_assessment, ratings_with_statements
from selfassess.selectors.progress import ACHIEVED


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
        "text": localised(statement, "text"),
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
            groups.setdefault(f"{domain.number}. {localised(domain, 'name')}", []).append(
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
