"""What this app gives the apps below it, through their registries."""

from __future__ import annotations

from imhcf.background import enqueue
from workforce import insight, selectors


def sees_shared_data(user) -> bool:
    """Team leads and organisation admins see members' shared data: they must use MFA."""
    cached = getattr(user, "_imhcf_leads", None)
    if cached is None:
        cached = selectors.holds_lead_role(user)
        user._imhcf_leads = cached
    return cached


def snapshot_completed(assessment) -> None:
    enqueue("workforce.tasks.summary_refresh_task", assessment.user_id)


def peer_shares_for_profile(profile) -> dict[int, int]:
    return insight.peer_shares(region=profile.region, role=profile.role)
