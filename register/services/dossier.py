"""Freezing what an application is judged on.

The dossier copies, for one round, every statement up to the level with its
wording and the practitioner's rating, and every evidence item linked to
those statements with its content, links and file hashes. Bulk writes: a
handful of queries whatever the dossier's size.
"""

from __future__ import annotations

from collections import defaultdict

from evidence.models import EvidenceFile, EvidenceItem, EvidenceLink
from register.models import (
    Application,
    DossierEvidence,
    DossierFile,
    DossierLink,
    DossierStatement,
)
from register.readiness import Readiness


def dossier_statement_build(
    application: Application, round_number: int, statement, *, rating: str, note: str = ""
) -> DossierStatement:
    """The unsaved frozen copy of one statement (wording and rating) for one round.

    ``statement`` comes with its competency and domain.
    """
    competency = statement.competency
    return DossierStatement(
        application=application,
        round=round_number,
        statement=statement,
        key=f"{competency.code}/L{statement.level}",
        domain_number=competency.domain.number,
        domain_name=competency.domain.name,
        domain_name_cy=competency.domain.name_cy,
        competency_code=competency.code,
        competency_title=competency.title,
        competency_title_cy=competency.title_cy,
        level=statement.level,
        text=statement.text,
        text_cy=statement.text_cy,
        rating=rating,
        rating_note=note,
    )


def dossier_freeze(*, application: Application, readiness: Readiness, round_number: int) -> None:
    statements = readiness.statements
    dossier_statements = DossierStatement.objects.bulk_create(
        dossier_statement_build(
            application,
            round_number,
            s,
            rating=readiness.ratings[s.pk].value,
            note=readiness.ratings[s.pk].note,
        )
        for s in statements
    )
    by_key = {ds.key: ds for ds in dossier_statements}

    # Evidence is matched by stable key, so items linked under an older
    # framework version still count for the same statement now.
    links = list(
        EvidenceLink.objects.filter(item__owner=application.applicant)
        .select_related("statement__competency")
        .order_by("item_id", "id")
    )
    links_by_item: dict[int, list[tuple[DossierStatement, str]]] = defaultdict(list)
    for link in links:
        key = f"{link.statement.competency.code}/L{link.statement.level}"
        if key in by_key:
            links_by_item[link.item_id].append((by_key[key], link.justification))

    items = list(EvidenceItem.objects.filter(pk__in=links_by_item).order_by("start_date", "id"))
    dossier_evidence = DossierEvidence.objects.bulk_create(
        DossierEvidence(
            application=application,
            round=round_number,
            evidence_item=item,
            kind=item.kind,
            title=item.title,
            start_date=item.start_date,
            end_date=item.end_date,
            hours=item.hours,
            provider=item.provider,
            description=item.description,
            attendance_confirmed_by=item.attendance_confirmed_by,
        )
        for item in items
    )
    evidence_by_item = {de.evidence_item_id: de for de in dossier_evidence}

    seen: set[tuple[int, int]] = set()
    dossier_links = []
    for item_id, targets in links_by_item.items():
        for dossier_statement, justification in targets:
            pair = (dossier_statement.pk, item_id)
            if pair in seen:  # two old-version links mapping onto one current statement
                continue
            seen.add(pair)
            dossier_links.append(
                DossierLink(
                    statement=dossier_statement,
                    evidence=evidence_by_item[item_id],
                    justification=justification,
                )
            )
    DossierLink.objects.bulk_create(dossier_links)

    DossierFile.objects.bulk_create(
        DossierFile(
            evidence=evidence_by_item[f.item_id],
            evidence_file=f,
            original_name=f.original_name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
        )
        for f in EvidenceFile.objects.filter(item_id__in=evidence_by_item).order_by("id")
    )
