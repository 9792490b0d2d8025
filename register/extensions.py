"""Hooks through which later apps follow and add to the register.

Dependencies point one way (credentials, privacy -> register), so the register
cannot call the apps above it. They register here when they start:

- ``on_entry_transition``: called inside the transaction of every change of a
  register entry's state, after the change, so what a later app does (revoking
  a credential, say) commits or rolls back with the change itself.
- ``add_entry_panel``: a template the practitioner's application page includes
  under their register entry, with ``entry`` in its context.
"""

from __future__ import annotations

from collections.abc import Callable

EntryHook = Callable[[object, str, str], None]
_entry_hooks: list[EntryHook] = []
_entry_panels: list[str] = []


def on_entry_transition(hook: EntryHook) -> EntryHook:
    """``hook(entry, from_status, to_status)``; registering the same hook twice is harmless."""
    if hook not in _entry_hooks:
        _entry_hooks.append(hook)
    return hook


def entry_transitioned(entry, from_status: str, to_status: str) -> None:
    for hook in _entry_hooks:
        hook(entry, from_status, to_status)


def add_entry_panel(template_name: str) -> None:
    if template_name not in _entry_panels:
        _entry_panels.append(template_name)


def entry_panels() -> tuple[str, ...]:
    return tuple(_entry_panels)
