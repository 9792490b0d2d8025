"""Hooks through which later apps follow and add to the register.

Dependencies point one way (credentials, privacy -> register), so the register
cannot call the apps above it. They register here when they start:

- ``on_entry_transition``: called inside the transaction of every change of a
  register entry's state, after the change, so what a later app does (revoking
  a credential, say) commits or rolls back with the change itself.
- ``add_entry_panel``: a template the practitioner's application page includes
  under their register entry, with ``entry`` in its context.
- ``provide_employer_rule``: who counts as an employer for the bulk check of
  registration numbers. The register knows no organisations; the workforce app
  says (a lead of a staff-verified organisation).
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


EmployerRule = Callable[[object], bool]
_employer_rules: list[EmployerRule] = []


def provide_employer_rule(rule: EmployerRule) -> EmployerRule:
    """``rule(user)`` is true for someone who checks registrations for an employer."""
    if rule not in _employer_rules:
        _employer_rules.append(rule)
    return rule


def is_employer(user) -> bool:
    return any(rule(user) for rule in _employer_rules)
