"""The dashboard's own panels: self-assessment, evidence, CPD and the register."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.roles import is_admin, is_reviewer
from dashboard import selectors
from dashboard.panels import PRACTITIONER, REVIEWER, STAFF, panel


def _practises(request: HttpRequest) -> bool:
    # Reviewers and staff are often practitioners too; they see these panels
    # once they have a practitioner profile. Everyone else always does.
    user = request.user
    if not (is_reviewer(user) or is_admin(user)):
        return True
    return selectors.Profile.objects.filter(user=user).exists()


@panel("next-step", section=PRACTITIONER, template="dashboard/_next_step.html", order=10)
def next_step(request: HttpRequest) -> dict | None:
    if not _practises(request):
        return None
    return {"home": selectors.practitioner_home(request.user)}


@panel("cpd-hours", section=PRACTITIONER, template="dashboard/_cpd_hours.html", order=40)
def cpd_hours(request: HttpRequest) -> dict | None:
    if not _practises(request):
        return None
    return {"cpd": selectors.cpd_hours(request.user)}


@panel("messages", section=PRACTITIONER, template="dashboard/_messages.html", order=50)
def recent_messages(request: HttpRequest) -> dict | None:
    notifications = selectors.recent_messages(request.user)
    return {"notifications": notifications} if notifications else None


@panel("reviews", section=REVIEWER, template="dashboard/_reviews.html", order=10)
def reviews(request: HttpRequest) -> dict | None:
    if not is_reviewer(request.user):
        return None
    return {"reviewing": selectors.reviewer_home(request.user)}


@panel("decisions", section=STAFF, template="dashboard/_decisions.html", order=10)
def decisions(request: HttpRequest) -> dict | None:
    if not is_admin(request.user):
        return None
    return {"staff": selectors.staff_home()}
