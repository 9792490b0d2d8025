"""People with a history, for query budgets and for bench/pages.

A practitioner straight from a factory has no past, so a page that looks
cheap for them can be slow for a real user. These are built the way people
get there: a ``seed_demo`` practitioner (ratings that fall off with level, a
few evidence items) who completed one self-assessment, rated again, logged
two dozen more evidence items, planned goals and applied at Level 1 (a
63-statement dossier), and a reviewer who has claimed that application and
given verdicts on half of it. Every step goes through the services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.test import override_settings
from django.utils import timezone

from accounts.roles import REVIEWERS_GROUP
from evidence.models import EvidenceItem
from evidence.services import items as evidence_items
from register.models import Application, ReviewAssignment
from register.seeding import SEED_DOMAIN, seed_demo
from register.services import applying, reviewing
from selfassess import services as selfassess
from selfassess.models import Assessment, Profile, Rating

EXTRA_EVIDENCE = 24
GOALS = 3


@dataclass(frozen=True)
class RealisticPeople:
    practitioner: object
    reviewer: object
    application: Application
    assignment: ReviewAssignment


def _seeded_practitioner(seed: int):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(email__endswith=f"@s{seed}.{SEED_DOMAIN}", applications__isnull=True)
        .order_by("pk")
        .first()
    )


def _rate_again(assessment: Assessment) -> None:
    """Level 1 all achieved (to apply), a few Level 2 ratings moved, with notes."""
    ratings = assessment.ratings.select_related("statement").order_by(
        "statement__competency__code", "statement__level"
    )
    moved = 0
    for rating in ratings:
        if rating.statement.level == 1 and rating.value != Rating.Value.ACHIEVED:
            value, note = Rating.Value.ACHIEVED, "Covered on the foundation course."
        elif rating.statement.level == 2 and moved < 8:
            moved += 1
            value, note = Rating.Value.WORKING_TOWARDS, "Discussed in supervision."
        else:
            continue
        selfassess.rating_save(rating=rating, value=value, note=note, revision=rating.revision)


def _log_evidence(user, statements) -> None:
    """Two dozen items; together they evidence every Level 1 statement."""
    level_one = [s for s in statements if s.level == 1]
    today = timezone.localdate()
    kinds = EvidenceItem.Kind.values
    for n in range(EXTRA_EVIDENCE):
        linked = level_one[n::EXTRA_EVIDENCE] + statements[n * 3 : n * 3 + 2]
        evidence_items.evidence_item_create(
            owner=user,
            data={
                "kind": kinds[n % len(kinds)],
                "title": f"Reflective log {n + 1}: a family seen at home",
                "start_date": today - datetime.timedelta(days=12 * n + 3),
                "hours": Decimal(["1.5", "2", "3", "7.5"][n % 4]),
                "provider": "North Valley NHS Trust",
                "description": "What I noticed about the baby, what I did, what I learnt.",
                "deidentified": True,
            },
            statement_ids=[s.pk for s in linked],
            justification="Shows this in practice with a family.",
        )


def _plan(user, assessment: Assessment) -> None:
    gaps = [
        r.statement
        for r in assessment.ratings.select_related("statement").order_by(
            "statement__competency__code", "statement__level"
        )
        if r.statement.level == 2 and r.value != Rating.Value.ACHIEVED
    ]
    today = timezone.localdate()
    for n in range(GOALS):
        selfassess.goal_create(
            user=user,
            description=f"Shadow the specialist health visitor, block {n + 1}",
            activity="observation" if n % 2 else "training",
            due_date=today + datetime.timedelta(days=60 * (n + 1)),
            statements=gaps[n * 2 : n * 2 + 3],
        )


def build_realistic_people(*, seed: int, reviewer, practitioners: int = 3) -> RealisticPeople:
    """Seed ``practitioners`` with ``seed`` if not yet seeded, then give one a history.

    ``reviewer`` is an existing user with TOTP; they join the Reviewers group
    and review half the dossier.
    """
    practitioner = _seeded_practitioner(seed)
    if practitioner is None:
        seed_demo(practitioners=practitioners, seed=seed, log=lambda _m: None)
        practitioner = _seeded_practitioner(seed)
    Profile.objects.filter(user=practitioner).update(target_level=2)
    # seed_demo may have completed the seeded self-assessment already (three in four).
    first = Assessment.objects.filter(user=practitioner, status="in_progress").first()
    if first is not None:
        selfassess.assessment_complete(assessment=first, target_level=2)
        current = Assessment.objects.get(user=practitioner, status="in_progress")
    else:
        current = selfassess.assessment_start(user=practitioner)
    _rate_again(current)
    statements = [
        r.statement
        for r in current.ratings.select_related("statement").order_by(
            "statement__competency__code", "statement__level"
        )
    ]
    _log_evidence(practitioner, statements)
    _plan(practitioner, current)
    with override_settings(IMHCF_REFEREE_KINDS=[]):
        application = applying.application_submit(
            applicant=practitioner,
            level=1,
            declarations=dict.fromkeys(applying.DECLARATIONS, True),
        )
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    assignment = reviewing.application_claim(application=application, reviewer=reviewer)
    dossier = application.dossier_statements.order_by("pk")
    for n, dossier_statement in enumerate(dossier[: dossier.count() // 2]):
        reviewing.statement_review_save(
            assignment=assignment,
            dossier_statement=dossier_statement,
            met=n % 7 != 0,
            comment="" if n % 3 else "The reflective log shows this clearly.",
        )
    return RealisticPeople(practitioner, reviewer, application, assignment)
