"""Completed self-assessments: the list, one snapshot, and what changed between two."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from imhcf import glossary, wording
from selfassess import access, selectors
from selfassess.forms import CompareForm


@login_required
@require_safe
@access.profile_required
def history(request: HttpRequest) -> HttpResponse:
    snapshots = selectors.completed_assessments(request.user)
    initial = {}
    if len(snapshots) >= 2:
        initial = {"earlier": snapshots[1].pk, "later": snapshots[0].pk}
    return render(
        request,
        "selfassess/history.html",
        {
            "snapshots": snapshots,
            "form": CompareForm(initial=initial, snapshots=snapshots),
        },
    )


@login_required
@require_safe
@access.profile_required
def snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_completed_assessment_for_user(request.user, pk)
    ratings = selectors.ratings_with_statements(assessment)
    # A snapshot shows the words it was rated against, even after an editorial edit.
    then = wording.restore_wording(ratings, assessment.completed_at)
    return render(
        request,
        "selfassess/snapshot.html",
        {
            "assessment": assessment,
            "domains": _group_by_domain(selectors.rows_from_ratings(ratings)),
            "marked": glossary.marked_statements(assessment.version, then),
        },
    )


def _group_by_domain(rows):
    grouped: list[tuple] = []
    for row in rows:
        domain = row.competency.domain
        if not grouped or grouped[-1][0].pk != domain.pk:
            grouped.append((domain, []))
        grouped[-1][1].append(row)
    return grouped


@login_required
@require_safe
@access.profile_required
def compare(request: HttpRequest) -> HttpResponse:
    snapshots = selectors.completed_assessments(request.user)
    form = CompareForm(request.GET, snapshots=snapshots)
    if not form.is_valid():
        return render(
            request,
            "selfassess/history.html",
            {"snapshots": snapshots, "form": form},
            status=400 if snapshots else 404,
        )
    by_pk = {a.pk: a for a in snapshots}
    comparison = selectors.compare_assessments(
        by_pk[form.cleaned_data["earlier"]], by_pk[form.cleaned_data["later"]]
    )
    return render(request, "selfassess/compare.html", {"comparison": comparison})
