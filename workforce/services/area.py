"""The background refresh of the area figures: asked for, claimed by one worker, computed.

PostgreSQL holds each refresh's state (``AreaRefresh``); the broker only wakes a worker,
and a request finding one waiting too long wakes a worker again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from imhcf.background import enqueue_after_commit
from workforce.area import UK, count_cells, recent_quarters
from workforce.disclosure import suppress
from workforce.models import AreaCell, AreaRefresh
from workforce.selectors.figures import counted_people

logger = logging.getLogger(__name__)

# What each part of a cell (see workforce/area.py) is stored as.
CELL_FIELDS = ("geo", "dim", "value", "measure", "key")


def area_refresh_request() -> AreaRefresh:
    """Ask for the figures to be worked out again; requests already waiting are shared."""
    now = timezone.now()
    # A worker that died mid-run leaves its refresh running: hand it back.
    AreaRefresh.objects.filter(
        status=AreaRefresh.Status.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.IMHCF_JOB_RUNNING_STALE_SECONDS),
    ).update(status=AreaRefresh.Status.PENDING)
    waiting = AreaRefresh.objects.filter(status=AreaRefresh.Status.PENDING).first()
    if waiting is not None:
        # Its message may have been lost: wake a worker again (a second claim does nothing).
        if waiting.requested_at < now - timedelta(seconds=settings.IMHCF_JOB_STALE_SECONDS):
            enqueue_after_commit("workforce.tasks.area_refresh_task", waiting.pk)
        return waiting
    refresh = AreaRefresh.objects.create()
    enqueue_after_commit("workforce.tasks.area_refresh_task", refresh.pk)
    return refresh


def area_refresh_run(*, refresh_id: int) -> bool:
    """Claim a waiting refresh and compute it; False when another worker has it already."""
    claimed = AreaRefresh.objects.filter(pk=refresh_id, status=AreaRefresh.Status.PENDING).update(
        status=AreaRefresh.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return False
    threshold = settings.IMHCF_DISCLOSURE_THRESHOLD
    try:
        today = timezone.localdate()
        quarters = recent_quarters(today)
        # Read a chunk of people at a time: only the counts are held.
        counts, undisplayed, relations = count_cells(counted_people(today), quarters)
        hidden = suppress(counts, relations, threshold)
        cells = [
            AreaCell(
                refresh_id=refresh_id,
                count=n,
                hidden=cell in hidden,
                **dict(zip(CELL_FIELDS, cell, strict=True)),
            )
            for cell, n in counts.items()
            if n and cell not in undisplayed
        ]
        with transaction.atomic():
            AreaCell.objects.bulk_create(cells, batch_size=5000)
            AreaRefresh.objects.filter(pk=refresh_id).update(
                status=AreaRefresh.Status.DONE,
                finished_at=timezone.now(),
                threshold=threshold,
                population=counts.get((UK, "", "", "L", "people"), 0),
            )
            # Older figures are no longer read; keep the one before, for a reader mid-page.
            older = AreaRefresh.objects.filter(
                status=AreaRefresh.Status.DONE, pk__lt=refresh_id
            ).order_by("-pk")[1:]
            AreaRefresh.objects.filter(pk__in=[r.pk for r in older]).delete()
    except Exception as exc:
        logger.exception("area refresh %s failed", refresh_id)
        AreaRefresh.objects.filter(pk=refresh_id).update(
            status=AreaRefresh.Status.FAILED, finished_at=timezone.now(), message=str(exc)[:2000]
        )
        raise
    return True
