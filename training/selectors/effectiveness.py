"""Effectiveness figures and feedback as a provider may see them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from imhcf.models import Statement
from training import disclosure
from training.models import (
    Course,
    CourseSession,
    EffectivenessCohort,
    EffectivenessSummary,
    Feedback,
)

# --- Effectiveness, with disclosure control -----------------------------------------------------


@dataclass
class EffectRow:
    key: str
    text: str
    people: int | None  # None: hidden
    before: list[int] = field(default_factory=list)
    after: list[int] = field(default_factory=list)
    moved_up: int = 0
    moved_down: int = 0

    @property
    def shown(self) -> bool:
        return self.people is not None

    @property
    def achieved_before(self) -> int:
        return self.before[2] if self.before else 0

    @property
    def achieved_after(self) -> int:
        return self.after[2] if self.after else 0


@dataclass
class Cohort:
    session: CourseSession
    people: int | None
    rows: list[EffectRow]


@dataclass
class Effectiveness:
    total_people: int | None
    rows: list[EffectRow]
    cohorts: list[Cohort]
    threshold: int
    refreshed_at: object = None


def effectiveness_for(course: Course) -> Effectiveness:
    """The course's before-and-after figures as a provider may see them: four queries.

    The one place the disclosure rule is applied to them: cohorts (sessions)
    and per-statement figures from fewer people than the threshold are hidden,
    with secondary suppression so no hidden group can be recovered by
    subtracting shown ones from the course total.
    """
    minimum = disclosure.threshold()
    sessions = list(course.sessions.all())
    cohorts = {c.session_id: c for c in EffectivenessCohort.objects.filter(session__course=course)}
    summaries: dict[str, dict[int, EffectivenessSummary]] = defaultdict(dict)
    for row in EffectivenessSummary.objects.filter(session__course=course):
        summaries[row.statement_key][row.session_id] = row
    texts = {
        s.key: s.text
        for s in Statement.objects.filter(
            pk__in=course.mappings.values("statement_id")
        ).select_related("competency")
    }

    headcounts = {s.pk: cohorts[s.pk].people if s.pk in cohorts else 0 for s in sessions}
    hidden_sessions = disclosure.hidden_groups(headcounts, minimum)
    total = sum(headcounts.values())

    rows: list[EffectRow] = []
    per_session: dict[int, list[EffectRow]] = defaultdict(list)
    for key in sorted(summaries, key=_key_order):
        by_session = summaries[key]
        people = {pk: by_session[pk].people if pk in by_session else 0 for pk in headcounts}
        hidden = disclosure.hidden_groups(people, minimum) | hidden_sessions
        key_total = sum(people.values())
        combined = EffectRow(key, texts.get(key, ""), key_total, [0, 0, 0], [0, 0, 0])
        for summary in by_session.values():
            combined.before = [a + b for a, b in zip(combined.before, summary.before, strict=True)]
            combined.after = [a + b for a, b in zip(combined.after, summary.after, strict=True)]
            combined.moved_up += summary.moved_up
            combined.moved_down += summary.moved_down
        if not key_total or not disclosure.total_shown(key_total, minimum):
            combined = EffectRow(key, texts.get(key, ""), None)
        rows.append(combined)
        for pk in headcounts:
            summary = by_session.get(pk)
            if summary is None or pk in hidden or not summary.people:
                per_session[pk].append(EffectRow(key, texts.get(key, ""), None))
            else:
                per_session[pk].append(
                    EffectRow(
                        key,
                        texts.get(key, ""),
                        summary.people,
                        summary.before,
                        summary.after,
                        summary.moved_up,
                        summary.moved_down,
                    )
                )
    refreshed = max((c.refreshed_at for c in cohorts.values()), default=None)
    return Effectiveness(
        total_people=total if disclosure.total_shown(total, minimum) else None,
        rows=rows,
        cohorts=[
            Cohort(
                s,
                None if s.pk in hidden_sessions else headcounts[s.pk],
                per_session[s.pk],
            )
            for s in sessions
        ],
        threshold=minimum,
        refreshed_at=refreshed,
    )


def _key_order(key: str) -> tuple[int, int, int]:
    code, level = key.split("/L")
    domain, number = code.split(".")
    return int(domain), int(number), int(level)


@dataclass
class FeedbackSummary:
    count: int
    average: float | None
    comments: list[str]
    threshold: int

    @property
    def shown(self) -> bool:
        return self.average is not None


def feedback_for(course: Course) -> FeedbackSummary:
    """Anonymous feedback, shown only once enough people have given it that none stands out."""
    minimum = disclosure.threshold()
    rows = list(Feedback.objects.filter(session__course=course).values_list("rating", "comment"))
    if len(rows) < minimum:
        return FeedbackSummary(len(rows), None, [], minimum)
    comments = sorted(c for _r, c in rows if c)
    return FeedbackSummary(len(rows), sum(r for r, _c in rows) / len(rows), comments, minimum)
