"""The team lead's panel on the dashboard, added through the dashboard's registry."""

from __future__ import annotations

from django.http import HttpRequest

from dashboard.panels import PRACTITIONER, panel
from workforce import selectors


@panel("teams", section=PRACTITIONER, template="workforce/_dashboard_teams.html", order=30)
def teams(request: HttpRequest) -> dict | None:
    """Teams the person leads or administers: one query, nothing shown to anyone else."""
    led = selectors.teams_led_by(request.user)
    return {"teams": led} if led else None
