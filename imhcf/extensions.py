"""Hooks through which later apps tell framework editors what a change touches.

The framework knows nothing of who uses it (dependencies point towards
``imhcf``), yet the publish page must say how many practitioners a reworded
statement reaches. Apps that hold ratings or applications register an
*impact counter* here when they start; the publish page asks each one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# Given the ids of published statements whose meaning a draft changes, return
# a sentence naming how many people (or records) are affected, or "" for none.
ImpactCounter = Callable[[Iterable[int]], str]
_impact_counters: dict[str, ImpactCounter] = {}


def provide_impact_counter(name: str, counter: ImpactCounter) -> ImpactCounter:
    """Register ``counter`` under ``name``; registering a name again replaces it."""
    _impact_counters[name] = counter
    return counter


def impact_of(statement_ids: Iterable[int]) -> list[str]:
    """Every registered counter's sentence about ``statement_ids``, empty ones left out."""
    ids = list(statement_ids)
    if not ids:
        return []
    return [line for counter in _impact_counters.values() if (line := counter(ids))]


# Called, after the publishing transaction commits, with the id of the version just
# published: apps that hold links to statements carry them onto it.
PublishListener = Callable[[int], None]
_publish_listeners: dict[str, PublishListener] = {}


def provide_publish_listener(name: str, listener: PublishListener) -> PublishListener:
    """Register ``listener`` under ``name``; registering a name again replaces it."""
    _publish_listeners[name] = listener
    return listener


def version_published(version_id: int) -> None:
    """Tell every listener about the newly published version once the transaction commits."""
    from django.db import transaction

    for listener in list(_publish_listeners.values()):
        transaction.on_commit(lambda listener=listener: listener(version_id))
