"""The one way a service starts background work: by the task's dotted name, after commit.

Services never import tasks (tasks import services; ``lint-imports`` holds both to
that). PostgreSQL holds each job's state and the broker is only a wake-up, so a
message that cannot be sent is logged and left to the job's sweeper.
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: str, *args) -> None:
    """Send ``task`` (``"app.tasks.name"``) now; a broker outage is logged, not raised."""
    module, _, name = task.rpartition(".")
    # Looked up at call time: the task module imports the services that call this.
    celery_task = getattr(import_module(module), name)
    try:
        celery_task.delay(*args)
    except Exception:
        logger.warning("Could not enqueue %s%r; its sweeper will retry", task, args)


def enqueue_after_commit(task: str, *args) -> None:
    """``enqueue`` once the caller's transaction commits, so the worker finds the rows."""
    transaction.on_commit(lambda: enqueue(task, *args))
