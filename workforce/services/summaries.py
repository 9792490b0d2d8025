"""Background work that boils completed self-assessments down for team pages and area figures.

``summary_refresh`` runs when a practitioner completes a snapshot, and
``summaries_refresh_all`` nightly. Both read rating rows so that no page does:
a team page or the area figures read ``PractitionerSummary`` rows and the
headline figures kept on each ``Assessment``.
"""

from __future__ import annotations

from django.db import transaction

from selfassess.models import Assessment, Rating
from workforce.models import PractitionerSummary
from workforce.selectors.figures import latest_completed_ids


def statement_key(code: str, level: int) -> str:
    return f"{code}/L{level}"


def summary_build(
    *, user_id: int, assessment_id: int, completed_at, target_level, highest_levels, not_achieved
) -> PractitionerSummary:
    """The unsaved summary of one completed snapshot: its headline figures and the
    keys (``statement_key``, in competency code and level order) it did not achieve."""
    return PractitionerSummary(
        user_id=user_id,
        assessment_id=assessment_id,
        completed_at=completed_at,
        target_level=target_level,
        highest_levels={str(k): int(v) for k, v in (highest_levels or {}).items()},
        not_achieved=not_achieved,
    )


def _summaries_write(assessment_ids: list[int]) -> int:
    if not assessment_ids:
        return 0
    assessments = {
        a.pk: a
        for a in Assessment.objects.filter(pk__in=assessment_ids).only(
            "pk", "user_id", "completed_at", "target_level", "highest_levels"
        )
    }
    not_achieved: dict[int, list[str]] = {pk: [] for pk in assessments}
    rows = (
        Rating.objects.filter(assessment_id__in=assessment_ids)
        .exclude(value=Rating.Value.ACHIEVED)
        .values_list("assessment_id", "statement__competency__code", "statement__level")
        .order_by("assessment_id", "statement__competency__code", "statement__level")
    )
    for assessment_id, code, level in rows.iterator(chunk_size=5000):
        not_achieved[assessment_id].append(statement_key(code, level))
    summaries = [
        summary_build(
            user_id=a.user_id,
            assessment_id=a.pk,
            completed_at=a.completed_at,
            target_level=a.target_level,
            highest_levels=a.highest_levels,
            not_achieved=not_achieved[a.pk],
        )
        for a in assessments.values()
    ]
    with transaction.atomic():
        PractitionerSummary.objects.bulk_create(
            summaries,
            update_conflicts=True,
            unique_fields=["user"],
            update_fields=[
                "assessment",
                "completed_at",
                "target_level",
                "highest_levels",
                "not_achieved",
                "refreshed_at",
            ],
        )
    return len(summaries)


def summary_refresh(*, user_id: int) -> bool:
    """Rewrite one practitioner's summary from their newest snapshot; False if they have none."""
    latest = latest_completed_ids([user_id])
    if not latest:
        PractitionerSummary.objects.filter(user_id=user_id).delete()
        return False
    _summaries_write(list(latest.values()))
    return True


def summaries_refresh_all(*, batch: int = 500) -> int:
    """Rewrite every summary; idempotent, so a repeated or interrupted run does no harm."""
    latest = latest_completed_ids()
    ids = sorted(latest.values())
    written = 0
    for start in range(0, len(ids), batch):
        written += _summaries_write(ids[start : start + batch])
    PractitionerSummary.objects.exclude(user_id__in=list(latest)).delete()
    return written
