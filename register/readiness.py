"""What an application at a level needs, and what is still missing.

The apply page's task list and the submit service use the same checks, so
the page never says "ready" when submitting would be refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evidence.selectors import evidence_counts_by_statement_key
from imhcf.models import FrameworkVersion, Statement
from imhcf.selectors import published_version
from selfassess import selectors as sa_selectors
from selfassess.models import Assessment, Rating
from selfassess.selectors.assessments import profile_for


@dataclass
class Task:
    key: str
    title: str
    done: bool
    missing: list[str] = field(default_factory=list)
    link: str = ""
    link_text: str = ""


@dataclass
class Readiness:
    level: int
    version: FrameworkVersion | None
    assessment: Assessment | None
    statements: list[Statement]
    ratings: dict[int, Rating]
    tasks: list[Task]

    @property
    def ready(self) -> bool:
        return all(task.done for task in self.tasks)


MAX_LISTED = 12


def _listed(codes: list[str]) -> list[str]:
    if len(codes) <= MAX_LISTED:
        return codes
    extra = len(codes) - MAX_LISTED
    return [*codes[:MAX_LISTED], ngettext("and %d more", "and %d more", extra) % extra]


def application_readiness(user, level: int) -> Readiness:
    """The task list for applying at ``level``: a fixed handful of queries."""
    version = published_version()
    profile = profile_for(user)
    assessment = sa_selectors.latest_assessment(user)
    tasks = [
        Task(
            key="profile",
            title=_("Complete your profile"),
            done=profile is not None,
            missing=[] if profile else [_("Your profile has not been filled in.")],
            link=reverse("selfassess:profile"),
            link_text=_("Fill in your profile"),
        )
    ]
    statements: list[Statement] = []
    ratings: dict[int, Rating] = {}
    if version is None:
        tasks.append(
            Task("framework", _("A published framework"), False, [_("No framework is published.")])
        )
        return Readiness(level, None, assessment, [], {}, tasks)

    statements = list(
        Statement.objects.filter(competency__domain__version=version, level__lte=level)
        .select_related("competency__domain")
        .order_by("competency__domain__number", "competency__order", "competency__code", "level")
    )
    if assessment is not None and assessment.version_id == version.pk:
        ratings = {
            r.statement_id: r
            for r in Rating.objects.filter(assessment=assessment, statement__in=statements)
        }
    not_achieved = [
        f"{s.competency.code} L{s.level}"
        for s in statements
        if s.pk not in ratings
        or ratings[s.pk].value != Rating.Value.ACHIEVED
        or ratings[s.pk].needs_review
    ]
    if assessment is None or assessment.version_id != version.pk:
        rating_missing = [_("Start a self-assessment against the current framework.")]
    elif not_achieved:
        rating_missing = [
            ngettext(
                "%(n)d statement is not rated Achieved (or needs re-confirming):",
                "%(n)d statements are not rated Achieved (or need re-confirming):",
                len(not_achieved),
            )
            % {"n": len(not_achieved)},
            *_listed(not_achieved),
        ]
    else:
        rating_missing = []
    tasks.append(
        Task(
            key="ratings",
            title=_("Rate every statement up to Level %(level)d as Achieved") % {"level": level},
            done=not rating_missing,
            missing=rating_missing,
            link=reverse("selfassess:overview"),
            link_text=_("Go to your self-assessment"),
        )
    )
    counts = evidence_counts_by_statement_key(user)
    unevidenced = [
        f"{s.competency.code} L{s.level}"
        for s in statements
        if not counts.get((s.competency.code, s.level))
    ]
    tasks.append(
        Task(
            key="evidence",
            title=_("Link evidence to each of those statements"),
            done=not unevidenced,
            missing=(
                [
                    ngettext(
                        "%(n)d statement has no evidence linked:",
                        "%(n)d statements have no evidence linked:",
                        len(unevidenced),
                    )
                    % {"n": len(unevidenced)},
                    *_listed(unevidenced),
                ]
                if unevidenced
                else []
            ),
            link=reverse("evidence:list"),
            link_text=_("Go to your evidence"),
        )
    )
    return Readiness(level, version, assessment, statements, ratings, tasks)


# Readiness names a statement "2.03 L1"; the grid shows its competency at #c-2.03.
STATEMENT_CODE = re.compile(r"^(?P<domain>\d+)\.\d+ L\d$")


def page_tasks(readiness: Readiness, *, return_to: str) -> list[Task]:
    """The readiness tasks as a page shows them.

    Each statement a task names links to its place in the self-assessment grid,
    where it can be rated or have evidence attached; fixing the profile comes
    back to ``return_to``.
    """
    for task in readiness.tasks:
        if task.key == "profile" and task.link:
            task.link = task.link + "?" + urlencode({"next": return_to})
        task.details = []
        for line in task.missing[1:]:
            match = STATEMENT_CODE.match(line)
            url = (
                reverse("selfassess:grid", args=[int(match["domain"])]) + f"#c-{line.split()[0]}"
                if match and readiness.assessment is not None
                else ""
            )
            task.details.append((line, url))
    return readiness.tasks
