"""Reads behind the dashboard's own panels: a fixed handful of queries each.

Each function answers one panel's question for one person and touches only
that person's rows (or, for reviewers and staff, the counts their roles see).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Min, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evidence.models import EvidenceItem
from evidence.selectors import evidence_counts_by_statement_key
from register.models import (
    Appeal,
    Application,
    Notification,
    RegisterEntry,
    Renewal,
    ReviewAssignment,
)
from register.selectors.queue import review_queue
from register.services.renewals import renewal_state, renewal_window
from selfassess.models import Assessment, Profile, Rating
from selfassess.selectors import DomainProgress, LevelCounts, domain_progress, version_domains
from selfassess.selectors.assessments import profile_for

ZERO = Decimal(0)


# --- Practitioner ---------------------------------------------------------------------------


@dataclass
class NextStep:
    title: str
    detail: str
    link: str
    link_text: str


@dataclass
class PractitionerHome:
    profile: Profile | None
    assessment: Assessment | None
    next_step: NextStep
    target: LevelCounts | None = None
    domains: list[DomainProgress] = field(default_factory=list)
    needs_evidence: int = 0
    needs_review: int = 0
    applications: list[Application] = field(default_factory=list)
    entries: list[RegisterEntry] = field(default_factory=list)

    @property
    def open_application(self) -> Application | None:
        return next((a for a in self.applications if a.is_open), None)


def _latest_assessment(user) -> Assessment | None:
    # In progress first, else the newest snapshot: one query.
    return (
        Assessment.objects.filter(user=user)
        .select_related("version")
        .order_by("-status", "-completed_at", "-started_at")  # "in_progress" > "completed"
        .first()
    )


def _needing_evidence(assessment: Assessment, target_level: int, user) -> int:
    """Statements up to the target rated Achieved with no evidence linked: two queries."""
    counts = evidence_counts_by_statement_key(user)
    achieved = Rating.objects.filter(
        assessment=assessment, value=Rating.Value.ACHIEVED, statement__level__lte=target_level
    ).values_list("statement__competency__code", "statement__level")
    return sum(1 for key in achieved if not counts.get(key))


def _entries_with_windows(user) -> list[RegisterEntry]:
    today = timezone.localdate()
    entries = list(
        RegisterEntry.objects.filter(practitioner=user).order_by("-recognised_on", "-id")[:3]
    )
    for entry in entries:
        entry.renewal_opens, entry.renewal_closes = renewal_window(entry)
        entry.renewal_open = renewal_state(entry, today) == "open"
    return entries


def practitioner_home(user) -> PractitionerHome:
    """Where the practitioner stands and the one thing to do next."""
    profile = profile_for(user)
    if profile is None:
        return PractitionerHome(
            None,
            None,
            NextStep(
                _("Tell us about your work"),
                _("A minute's questions about your role and the level you are aiming for."),
                reverse("selfassess:profile"),
                _("Fill in your profile"),
            ),
        )
    applications = list(Application.objects.filter(applicant=user).order_by("-submitted_at")[:3])
    entries = _entries_with_windows(user)
    assessment = _latest_assessment(user)
    home = PractitionerHome(
        profile, assessment, next_step=None, applications=applications, entries=entries
    )
    if assessment is None:
        home.next_step = NextStep(
            _("Start your self-assessment"),
            _("Rate yourself against each statement, a domain at a time. It saves as you go."),
            reverse("selfassess:overview"),
            _("Start now"),
        )
        return home

    target_level = profile.target_level
    home.domains = domain_progress(assessment, version_domains(assessment.version))
    home.target = LevelCounts(target_level)
    for domain in home.domains:
        counts = domain.counts_up_to(target_level)
        home.target.total += counts.total
        home.target.achieved += counts.achieved
        home.target.working += counts.working
    home.needs_review = sum(d.needs_review for d in home.domains)
    home.needs_evidence = _needing_evidence(assessment, target_level, user)
    home.next_step = _next_step(home, target_level)
    return home


def _next_step(home: PractitionerHome, target_level: int) -> NextStep:
    open_application = home.open_application
    if open_application and open_application.status == Application.Status.CHANGES_REQUESTED:
        return NextStep(
            _("The reviewers have asked for changes"),
            _("Read what they said about each statement, make the changes, then resubmit."),
            reverse("register:application_detail", args=[open_application.pk]),
            _("See what they asked for"),
        )
    if open_application:
        return NextStep(
            _("Your application is with the reviewers"),
            _("Level %(level)s, sent on %(date)s: %(status)s. We will email you when it moves on.")
            % {
                "level": open_application.level,
                "date": _day(open_application.submitted_at),
                "status": open_application.get_status_display().lower(),
            },
            reverse("register:application_detail", args=[open_application.pk]),
            _("See your application"),
        )
    renewing = next((e for e in home.entries if e.renewal_open), None)
    if renewing:
        return NextStep(
            _("Renew your registration"),
            _("Your Level %(level)s registration runs until %(date)s.")
            % {"level": renewing.level, "date": _day(renewing.valid_until)},
            reverse("register:renew", args=[renewing.pk]),
            _("Renew now"),
        )
    if home.assessment.is_completed:
        return NextStep(
            _("Start your next self-assessment"),
            _("It starts from the ratings of your last one."),
            reverse("selfassess:overview"),
            _("Start now"),
        )
    if home.needs_review:
        first = next(d for d in home.domains if d.needs_review)
        return NextStep(
            ngettext(
                "%(n)s rating needs checking",
                "%(n)s ratings need checking",
                home.needs_review,
            )
            % {"n": home.needs_review},
            _("Their statements were reworded in the new edition."),
            reverse("selfassess:grid", args=[first.number]),
            _("Check domain %(number)s") % {"number": first.number},
        )
    unfinished = next(
        (d for d in home.domains if not _complete_to(d, target_level)),
        None,
    )
    if unfinished is not None:
        counts = unfinished.counts_up_to(target_level)
        return NextStep(
            _("Carry on with domain %(number)s: %(name)s")
            % {"number": unfinished.number, "name": unfinished.name},
            ngettext(
                "%(a)s of %(n)s statement up to Level %(level)s achieved in this domain.",
                "%(a)s of %(n)s statements up to Level %(level)s achieved in this domain.",
                counts.total,
            )
            % {"a": counts.achieved, "n": counts.total, "level": target_level},
            reverse("selfassess:grid", args=[unfinished.number]),
            _("Go to domain %(number)s") % {"number": unfinished.number},
        )
    if home.needs_evidence:
        return NextStep(
            ngettext(
                "%(n)s Achieved statement needs evidence",
                "%(n)s Achieved statements need evidence",
                home.needs_evidence,
            )
            % {"n": home.needs_evidence},
            _("Link a course, supervision or piece of work to each; one item can cover many."),
            reverse("evidence:list"),
            _("Link evidence"),
        )
    if any(e.status == RegisterEntry.Status.ACTIVE for e in home.entries):
        return NextStep(
            _("You are on the register"),
            _("Keep logging your CPD: renewal asks for it each year."),
            reverse("evidence:cpd"),
            _("See your CPD log"),
        )
    return NextStep(
        _("You are ready to apply for Level %(level)s") % {"level": target_level},
        _("Every statement up to your target level is Achieved and has evidence."),
        reverse("register:apply"),
        _("Apply for recognition"),
    )


def _complete_to(domain: DomainProgress, target_level: int) -> bool:
    counts = domain.counts_up_to(target_level)
    return counts.achieved == counts.total


def _day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "j F Y")


@dataclass
class CpdHours:
    hours: Decimal
    equality_hours: Decimal
    required: Decimal
    required_equality: Decimal
    start: date

    @property
    def percent(self) -> int:
        if not self.required:
            return 100
        return min(100, round(100 * self.hours / self.required))

    @property
    def meets(self) -> bool:
        return self.hours >= self.required and self.equality_hours >= self.required_equality


def cpd_hours(user) -> CpdHours:
    """CPD hours of the last year against what renewal asks for: one query."""
    today = timezone.localdate()
    start = today - timedelta(days=365)
    totals = EvidenceItem.objects.filter(
        owner=user, start_date__gte=start, start_date__lte=today
    ).aggregate(total=Sum("hours"), equality=Sum("hours", filter=Q(equality_inclusion=True)))
    return CpdHours(
        hours=totals["total"] or ZERO,
        equality_hours=totals["equality"] or ZERO,
        required=Decimal(settings.IMHCF_RENEWAL_CPD_HOURS),
        required_equality=Decimal(settings.IMHCF_RENEWAL_EQUALITY_HOURS),
        start=start,
    )


def recent_messages(user, limit: int = 3) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user)
        .select_related("application")
        .order_by("-created_at", "-id")[:limit]
    )


# --- Reviewer --------------------------------------------------------------------------------


@dataclass
class ReviewerHome:
    waiting: int
    oldest_days: int | None
    claims: list[ReviewAssignment]
    renewals: int
    stale_days: int


def reviewer_home(reviewer) -> ReviewerHome:
    """How much is waiting, for how long, and this reviewer's own claims with due dates."""
    queue = review_queue(reviewer)
    stale = timedelta(days=settings.IMHCF_CLAIM_STALE_DAYS)
    for claim in queue.my_reviews:
        # A claim nobody works on is released after this date (see reviewing.claims_release_stale).
        claim.due = timezone.localtime(claim.last_activity_at + stale).date()
    return ReviewerHome(
        waiting=queue.waiting.paginator.count,
        oldest_days=queue.oldest_days,
        claims=queue.my_reviews,
        renewals=len(queue.renewals),
        stale_days=settings.IMHCF_CLAIM_STALE_DAYS,
    )


# --- Staff -----------------------------------------------------------------------------------


@dataclass
class StaffHome:
    moderation: int
    appeals: int
    renewals: int
    unclaimed: int
    oldest_unclaimed: datetime | None


def staff_home() -> StaffHome:
    """What waits on an admin's decision: three queries."""
    applications = Application.objects.aggregate(
        moderation=Count("pk", filter=Q(status=Application.Status.MODERATION)),
        unclaimed=Count("pk", filter=Q(status=Application.Status.SUBMITTED)),
        oldest=Min("submitted_at", filter=Q(status=Application.Status.SUBMITTED)),
    )
    return StaffHome(
        moderation=applications["moderation"],
        appeals=Appeal.objects.filter(status=Appeal.Status.PENDING).count(),
        renewals=Renewal.objects.filter(status=Renewal.Status.NEEDS_JUDGEMENT).count(),
        unclaimed=applications["unclaimed"],
        oldest_unclaimed=applications["oldest"],
    )
