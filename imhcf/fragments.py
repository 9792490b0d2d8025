"""HTML that is the same for everyone who asks in the same language, kept in this process.

For fragments whose whole input can be named in a key (a form's unbound
controls and the choices they offer, say): a hit is never stale, nothing has to
be invalidated, and a new process (a new release) starts empty. Anything that
depends on a person or on stored data that changes does not belong here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.utils.translation import get_language

T = TypeVar("T")

LIMIT = 256
_kept: dict[tuple, object] = {}


def kept(key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """``build()``'s result for ``key`` in the active language, built once per process."""
    full = (*key, get_language())
    value = _kept.get(full)
    if value is None:
        if len(_kept) >= LIMIT:  # a bound on memory, never reached by the keys in use
            _kept.clear()
        value = _kept[full] = build()
    return value
