"""Reads about people that more than one app needs."""

from accounts.models import Consent


def consent_active(user, purpose: Consent.Purpose | str, scope: str = "") -> Consent | None:
    """The consent ``user`` has given to ``purpose`` in ``scope`` and not withdrawn, if any."""
    return Consent.objects.filter(
        user=user, purpose=purpose, scope=scope, withdrawn_at__isnull=True
    ).first()


def consents_of(user) -> list[Consent]:
    """Every consent ``user`` has given, newest first, withdrawn ones included."""
    return list(Consent.objects.filter(user=user))
