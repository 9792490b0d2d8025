"""Writes about what members share: with their organisation, with anonymised statistics,
and the record of who saw shared data.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Consent
from accounts.services import consent_give, consent_withdraw
from workforce.errors import WorkforceError
from workforce.models import (
    DataView,
    Membership,
    Organisation,
    Team,
)
from workforce.services.area import area_refresh_request

# --- Sharing ---------------------------------------------------------------------


def sharing_wording(organisation: Organisation, *, assessment: bool, cpd: bool) -> str:
    parts = []
    if assessment:
        parts.append(
            _("my self-assessment summary (levels per domain and each statement's rating)")
        )
    if cpd:
        parts.append(_("my CPD hours by domain and kind"))
    return _(
        "I let the team leads and admins of %(org)s see %(what)s. They never see my evidence "
        "files, reflections or notes. I can stop this at any time."
    ) % {"org": organisation.name, "what": _(" and ").join(parts)}


def sharing_set(*, membership: Membership, assessment: bool, cpd: bool) -> Consent | None:
    """Share what the member chose with their organisation, or stop sharing (neither)."""
    if not membership.is_active:
        raise WorkforceError(_("Only members can share with an organisation."))
    organisation = membership.organisation
    if not (assessment or cpd):
        consent_withdraw(
            user=membership.user,
            purpose=Consent.Purpose.ORGANISATION_SHARING,
            scope=organisation.consent_scope,
        )
        return None
    return consent_give(
        user=membership.user,
        purpose=Consent.Purpose.ORGANISATION_SHARING,
        scope=organisation.consent_scope,
        terms={"assessment": assessment, "cpd": cpd},
        wording=sharing_wording(organisation, assessment=assessment, cpd=cpd),
    )


def statistics_wording() -> str:
    return _(
        "Count my self-assessment, anonymously, in workforce figures for my nation and region. "
        "Nobody sees my name or my answers, and groups of fewer than %(n)s people are never "
        "shown. I can stop this at any time."
    )


@transaction.atomic
def statistics_set(*, user, opt_in: bool) -> Consent | None:
    """Count the person in the anonymised figures, or stop; the figures are worked out again."""
    consent = None
    if opt_in:
        consent = consent_give(
            user=user,
            purpose=Consent.Purpose.ANONYMISED_STATISTICS,
            wording=statistics_wording() % {"n": settings.IMHCF_DISCLOSURE_THRESHOLD},
        )
    else:
        consent_withdraw(user=user, purpose=Consent.Purpose.ANONYMISED_STATISTICS)
    area_refresh_request()
    return consent


# --- Views of shared data --------------------------------------------------------


def views_record(
    *, viewer, subject_ids: Iterable[int], organisation: Organisation, team: Team | None, what: str
) -> int:
    """Note that ``viewer`` saw the shared data of each of ``subject_ids``: one query."""
    rows = [
        DataView(
            viewer=viewer,
            viewer_name=viewer.get_full_name() or viewer.email,
            subject_id=subject_id,
            organisation=organisation,
            team=team,
            what=what,
        )
        for subject_id in subject_ids
    ]
    DataView.objects.bulk_create(rows)
    return len(rows)
