"""The dashboard's plug-in registry: each app adds the panels it knows how to fill.

The dashboard sits just above ``register`` and shows what the apps below it
know. Apps above it (workforce, training, credentials ...) must not be imported
by it, so they call ``panel`` from their ``AppConfig.ready()`` instead, as the
evidence app gives the grid its counts through ``selfassess.extensions``.

A panel is a template and a function that builds its context for one request,
or returns ``None`` when it has nothing to say to this person (so a panel
decides for itself who sees it). Panels are shown in ``order``, smallest first,
in one of three sections: what the person does as a practitioner, as a
reviewer and as staff.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

PRACTITIONER = "practitioner"
REVIEWER = "reviewer"
STAFF = "staff"
SECTIONS = (PRACTITIONER, REVIEWER, STAFF)

Builder = Callable[[HttpRequest], dict | None]


@dataclass(frozen=True)
class Panel:
    name: str
    section: str
    template: str
    build: Builder
    order: int = 100


@dataclass
class Shown:
    """A panel with the context it built for this request."""

    panel: Panel
    context: dict

    @property
    def template(self) -> str:
        return self.panel.template


_panels: dict[str, Panel] = {}


def panel(name: str, *, section: str, template: str, order: int = 100):
    """Decorator: register ``build`` as the panel ``name``; a second registration replaces it."""
    if section not in SECTIONS:
        raise ValueError(f"Unknown dashboard section {section!r}; use one of {SECTIONS}.")

    def register(build: Builder) -> Builder:
        _panels[name] = Panel(name, section, template, build, order)
        return build

    return register


def panels_for(request: HttpRequest) -> dict[str, list[Shown]]:
    """Each section's panels that have something to show to this person, in order."""
    shown: dict[str, list[Shown]] = {section: [] for section in SECTIONS}
    for registered in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        context = registered.build(request)
        if context is not None:
            shown[registered.section].append(Shown(registered, context))
    return shown
