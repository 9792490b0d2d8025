"""The reviewers' queue, their claims, and renewals waiting for a judgement."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from register import states
from register.models import (
    Application,
    CpdAudit,
    DossierStatement,
    Renewal,
    ReviewAssignment,
    StatementReview,
)
from register.services.reviewing import same_organisation
from selfassess.models import region_label
from selfassess.selectors.assessments import profile_for


def _count_subquery(queryset: QuerySet, outer_field: str) -> Coalesce:
    """COUNT(*) of ``queryset`` per outer row, as a correlated subquery.

    Used instead of ``Count()`` over joins, which would multiply rows when a
    query counts two different relations.
    """
    counted = queryset.order_by().values(outer_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# Waiting applications shown a page at a time: at 100,000 practitioners thousands wait
# at once, and a page that listed them all took most of a second to render.
WAITING_PAGE_SIZE = 25


@dataclass
class Queue:
    # This page of the waiting applications the reviewer may claim, oldest first: rows
    # with the application's id, name, organisation, level, round, reviewer count,
    # submission time, region label and days waiting.
    waiting: Page
    hidden_for_conflict: int
    my_reviews: list[ReviewAssignment]
    renewals: list[Renewal]
    audits: list[CpdAudit]
    # The oldest claimable application, which heads the first page.
    oldest_id: int | None = None

    @property
    def oldest_days(self) -> int | None:
        """Days the oldest claimable application has waited (None when none waits)."""
        if self.oldest_id is None:
            return None
        if self.waiting.number == 1:
            return self.waiting[0]["waiting_days"]
        submitted = Application.objects.values_list("submitted_at", flat=True).get(
            pk=self.oldest_id
        )
        return (timezone.now() - submitted).days


def review_queue(reviewer, page: str | int | None = 1) -> Queue:
    """What a reviewer sees at /review/, with ``page`` of the waiting applications.

    Queries: the reviewer's organisation; the waiting applications' ids, organisations
    and conflict flags (all of them, to count those hidden); the page's applications
    with their reviewer counts; the reviewer's own claims with their progress; renewals
    needing judgement; CPD audits waiting for a reviewer.
    """
    profile = profile_for(reviewer)
    organisation = profile.organisation if profile else ""
    active = ReviewAssignment.objects.filter(application=OuterRef("pk"), released_at__isnull=True)
    candidates = (
        Application.objects.filter(status__in=states.WAITING)
        .exclude(applicant=reviewer)
        .annotate(
            active_reviewers=_count_subquery(active, "application"),
            claimed_by_me=Exists(active.filter(reviewer=reviewer)),
            declared_conflict=Exists(
                ReviewAssignment.objects.filter(
                    application=OuterRef("pk"),
                    reviewer=reviewer,
                    release_reason=ReviewAssignment.ReleaseReason.CONFLICT,
                )
            ),
        )
        .filter(active_reviewers__lt=settings.IMHCF_REVIEWERS_PER_APPLICATION, claimed_by_me=False)
        .order_by("submitted_at", "id")
    )
    # Every waiting application is read to count those hidden for a conflict, but only
    # its id and organisation: the page's rows are read with their details afterwards.
    claimable, hidden = [], 0
    for pk, their_organisation, declared_conflict in candidates.values_list(
        "pk", "organisation", "declared_conflict"
    ):
        if declared_conflict or same_organisation(organisation, their_organisation):
            hidden += 1
        else:
            claimable.append(pk)
    shown = Paginator(claimable, WAITING_PAGE_SIZE).get_page(page)
    details = {
        row["pk"]: row
        for row in candidates.filter(pk__in=shown.object_list).values(
            "pk",
            "applicant_name",
            "organisation",
            "region",
            "level",
            "round",
            "active_reviewers",
            "submitted_at",
        )
    }
    now = timezone.now()
    shown.object_list = [details[pk] for pk in shown.object_list if pk in details]
    for row in shown.object_list:
        row["region_label"] = region_label(row["region"])
        row["waiting_days"] = (now - row["submitted_at"]).days

    return Queue(
        waiting=shown,
        hidden_for_conflict=hidden,
        my_reviews=my_reviews(reviewer),
        renewals=renewals_needing_judgement(reviewer),
        audits=audits_waiting(reviewer),
        oldest_id=claimable[0] if claimable else None,
    )


def my_reviews(reviewer) -> list[ReviewAssignment]:
    """The reviewer's active claims on applications still in progress, with progress."""
    current_round = DossierStatement.objects.filter(
        application=OuterRef("application_id"), round=OuterRef("application__round")
    )
    reviewed = StatementReview.objects.filter(
        assignment=OuterRef("pk"),
        met__isnull=False,
        dossier_statement__round=OuterRef("application__round"),
    )
    return list(
        ReviewAssignment.objects.filter(
            reviewer=reviewer,
            released_at__isnull=True,
            application__status__in=states.ONGOING,
        )
        .select_related("application")
        .annotate(
            statements_total=_count_subquery(current_round, "application"),
            statements_reviewed=_count_subquery(reviewed, "assignment"),
        )
        .order_by("application__submitted_at", "id")
    )


def renewals_needing_judgement(user) -> list[Renewal]:
    return list(
        Renewal.objects.filter(status=Renewal.Status.NEEDS_JUDGEMENT)
        .exclude(entry__practitioner=user)
        .select_related("entry")
        .order_by("submitted_at", "id")
    )


def audits_waiting(user) -> list[CpdAudit]:
    """CPD audits sent and not yet decided, the user's own left out; one query."""
    return list(
        CpdAudit.objects.filter(status=CpdAudit.Status.SUBMITTED)
        .exclude(renewal__entry__practitioner=user)
        .select_related("renewal__entry", "reviewer")
        .order_by("submitted_at", "id")
    )
