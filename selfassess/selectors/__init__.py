"""Reads of self-assessments that are more than one line.

Every page here reads a fixed number of queries whatever the framework's size:
ratings come with their statement and competency in one joined query, and the
figures (progress per domain and level, highest level achieved, gaps,
strengths, what changed) are worked out in Python from those rows.

Each name below is defined once, in its module (``assessments``, ``progress``,
``grid``, ``history``, ``overview``, ``plan``); this list is the package's front
door, so callers write ``selectors.domain_grid(...)``.
"""

from selfassess.selectors.assessments import (
    completed_assessments,
    last_completed,
    latest_assessment,
    profile_for,
    ratings_with_statements,
    version_domains,
)
from selfassess.selectors.grid import (
    DomainGrid,
    GridRow,
    SaveEcho,
    domain_grid,
    rows_from_ratings,
    save_echo,
)
from selfassess.selectors.history import (
    Change,
    Comparison,
    compare_assessments,
    compare_ratings,
)
from selfassess.selectors.overview import (
    CompetencyStrength,
    FramedOverviewInput,
    Overview,
    assessment_overview,
    overview_input,
)
from selfassess.selectors.plan import (
    Plan,
    development_plan,
    goal_statement_choices,
    goals_for,
    statements_by_ids,
)
from selfassess.selectors.progress import (
    DomainProgress,
    LevelCounts,
    completion_figures,
    domain_progress,
    highest_level_of,
    progress_from_rows,
    rating_rows,
)

__all__ = [
    "Change",
    "Comparison",
    "CompetencyStrength",
    "DomainGrid",
    "DomainProgress",
    "FramedOverviewInput",
    "GridRow",
    "LevelCounts",
    "Overview",
    "Plan",
    "SaveEcho",
    "assessment_overview",
    "compare_assessments",
    "compare_ratings",
    "completed_assessments",
    "completion_figures",
    "development_plan",
    "domain_grid",
    "domain_progress",
    "goal_statement_choices",
    "goals_for",
    "highest_level_of",
    "last_completed",
    "latest_assessment",
    "overview_input",
    "profile_for",
    "progress_from_rows",
    "rating_rows",
    "ratings_with_statements",
    "rows_from_ratings",
    "save_echo",
    "statements_by_ids",
    "version_domains",
]
