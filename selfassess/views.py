"""Thin views: parse input, call one service or selector, render or redirect."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from imhcf import glossary, wording
from imhcf.forms_text import parse_id, parse_ids
from imhcf.models import FrameworkVersion, LevelNumber
from selfassess import access, extensions, selectors, services
from selfassess.errors import AssessmentError, StaleRatingError
from selfassess.forms import CompareForm, GoalForm, GoalProgressForm, ProfileForm, RatingForm
from selfassess.models import Assessment, Goal, Rating


def _rating_values() -> list[tuple[str, str]]:
    # Translated once per request, not once per cell: the grid shows them ~90 times.
    return [(value, str(label)) for value, label in Rating.Value.choices]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _is_current(assessment: Assessment) -> bool:
    return assessment.version.status == FrameworkVersion.Status.PUBLISHED


def _no_assessment(request: HttpRequest):
    messages.info(request, _("Start a self-assessment first."))
    return redirect("selfassess:overview")


# --- Profile -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    existing = selectors.profile_for(request.user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = ProfileForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(user=request.user, **form.cleaned_data)
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect(next_url or reverse("selfassess:overview"))
    return render(
        request,
        "selfassess/profile.html",
        {"form": form, "next": next_url, "first_time": existing is None},
        status=400 if form.errors else 200,
    )


# --- Overview, start, move, complete --------------------------------------------


@login_required
@require_safe
@access.profile_required
def overview(request: HttpRequest) -> HttpResponse:
    profile = request.practitioner_profile
    assessment = access.get_assessment_in_progress(request.user)
    if assessment is None:
        return render(
            request,
            "selfassess/start.html",
            {
                "profile": profile,
                "last": selectors.last_completed(request.user),
                "version": selectors.published_version(),
            },
        )
    data = selectors.assessment_overview(
        assessment, profile.target_level, evidence_counts=extensions.evidence_counts(request.user)
    )
    return render(
        request,
        "selfassess/overview.html",
        {
            "profile": profile,
            "assessment": assessment,
            "overview": data,
            "is_current": _is_current(assessment),
            "levels": LevelNumber.values,
            "peer_shares": extensions.peer_shares(profile),
        },
    )


@login_required
@require_POST
@access.profile_required
def start(request: HttpRequest) -> HttpResponse:
    try:
        assessment = services.assessment_start(user=request.user)
    except AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("selfassess:overview")
    first = selectors.version_domains(assessment.version)[:1]
    messages.success(
        request,
        _("Your self-assessment has started. Each rating saves as you make it."),
    )
    if not first:
        return redirect("selfassess:overview")
    return redirect("selfassess:grid", number=first[0].number)


@login_required
@require_POST
@access.profile_required
def move_to_current(request: HttpRequest) -> HttpResponse:
    assessment = access.get_assessment_in_progress(request.user)
    if assessment is None:
        return _no_assessment(request)
    try:
        services.assessment_move_to_published(assessment=assessment)
    except AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Your self-assessment now uses the current edition. Your ratings came with "
                "you; any statement whose wording changed is marked for you to check."
            ),
        )
    return redirect("selfassess:overview")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@access.profile_required
def complete(request: HttpRequest) -> HttpResponse:
    profile = request.practitioner_profile
    assessment = access.get_assessment_in_progress(request.user)
    if assessment is None:
        return _no_assessment(request)
    if request.method == "POST":
        try:
            done = services.assessment_complete(
                assessment=assessment, target_level=profile.target_level
            )
        except AssessmentError as exc:
            messages.error(request, str(exc))
            return redirect("selfassess:complete")
        messages.success(
            request,
            _(
                "Completed. Your self-assessment is saved in your history as it stands today. "
                "A new one has started from these ratings, so next time you only change "
                "what has moved on."
            ),
        )
        return redirect("selfassess:snapshot", pk=done.pk)
    figures = selectors.completion_figures(assessment, profile.target_level)
    return render(
        request,
        "selfassess/complete.html",
        {"assessment": assessment, "figures": figures, "profile": profile},
    )


# --- The grid and saving ratings --------------------------------------------------


@login_required
@require_safe
@access.profile_required
def grid(request: HttpRequest, number: int) -> HttpResponse:
    assessment = access.get_assessment_in_progress(request.user)
    if assessment is None:
        return _no_assessment(request)
    data = selectors.domain_grid(assessment, number)
    refused = request.session.pop(REFUSAL_SESSION_KEY, None)
    saved = request.GET.get("saved", "")
    return render(
        request,
        "selfassess/grid.html",
        {
            "assessment": assessment,
            "grid": data,
            "conflict": Refusal(**refused) if refused else None,
            "saved_id": parse_id(saved),
            "marked": glossary.marked_statements(assessment.version),
            "evidence_counts": extensions.evidence_counts(request.user),
            "values": _rating_values(),
            "levels": LevelNumber.values,
            "is_current": _is_current(assessment),
        },
    )


def _cell_url(rating: Rating, query: str = "") -> str:
    number = rating.statement.competency.domain.number
    return f"{reverse('selfassess:grid', args=[number])}{query}#s-{rating.statement_id}"


@login_required
@require_POST
def rating_save(request: HttpRequest, pk: int) -> HttpResponse:
    rating = access.get_rating_for_user(request.user, pk)
    form = RatingForm(request.POST)
    htmx = _is_htmx(request)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return _save_refused(request, rating, message, htmx)
    try:
        rating = services.rating_save(rating=rating, **form.cleaned_data)
    except StaleRatingError as exc:
        return _save_conflict(request, rating, exc, htmx)
    except AssessmentError as exc:
        return _save_refused(request, rating, str(exc), htmx)
    statement = rating.statement
    announcement = _("Saved %(code)s Level %(level)s: %(value)s, at %(time)s.") % {
        "code": statement.competency.code,
        "level": statement.level,
        "value": rating.get_value_display(),
        "time": time_format(timezone.localtime(), "H:i:s"),
    }
    if not htmx:
        messages.success(request, announcement)
        # The redirect lands on the cell, far below the message: mark it there too.
        return redirect(_cell_url(rating, f"?saved={rating.pk}"))
    return render(
        request,
        "selfassess/_save_ok.html",
        {"rating": rating, "echo": selectors.save_echo(rating), "announcement": announcement},
    )


def _save_refused(request, rating: Rating, message: str, htmx: bool) -> HttpResponse:
    if not htmx:
        messages.error(request, message)
        if rating.assessment.is_completed:
            return redirect("selfassess:overview")
        return redirect(_cell_url(rating))
    return render(request, "selfassess/_save_refused.html", {"rating": rating, "message": message})


@dataclass(frozen=True)
class Refusal:
    """A refused stale save, as the cell shows it: what was tried, and where."""

    rating_id: int
    attempted_label: str
    attempted_note: str


# Carries a refused save across the redirect of a no-JavaScript form, so the
# cell can show it inline, as htmx does, without the note going into a URL.
REFUSAL_SESSION_KEY = "selfassess:refused-save"


def _save_conflict(request, rating: Rating, exc: StaleRatingError, htmx: bool) -> HttpResponse:
    current = exc.current
    refusal = Refusal(current.pk, str(Rating.Value(exc.attempted_value).label), exc.attempted_note)
    if not htmx:
        messages.error(request, exc.message)
        request.session[REFUSAL_SESSION_KEY] = asdict(refusal)
        return redirect(_cell_url(rating))
    # Re-render the whole form: the current value is shown selected, with the
    # new revision, and the refused choice and note are spelled out above it.
    response = render(
        request,
        "selfassess/_rating_conflict.html",
        {"rating": current, "values": _rating_values(), "conflict": refusal},
    )
    response["HX-Retarget"] = f"#rf-{current.pk}"
    response["HX-Reswap"] = "innerHTML"
    return response


# --- History -----------------------------------------------------------------------


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


# --- Development plan -----------------------------------------------------------------


@login_required
@require_safe
@access.profile_required
def plan(request: HttpRequest) -> HttpResponse:
    profile = request.practitioner_profile
    return render(
        request,
        "selfassess/plan.html",
        {
            "plan": selectors.development_plan(request.user, profile.target_level),
            "profile": profile,
            "progress_choices": Goal.Progress.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@access.profile_required
def goal_create(request: HttpRequest) -> HttpResponse:
    picked = parse_ids(request.GET.getlist("statement"))
    choices = selectors.goal_statement_choices(request.user, picked)
    form = GoalForm(request.POST or None, initial={"statements": picked}, statement_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_create(
                user=request.user,
                description=form.cleaned_data["description"],
                activity=form.cleaned_data["activity"],
                due_date=form.cleaned_data["due_date"],
                statements=selectors.statements_by_ids(form.cleaned_data["statements"]),
            )
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Goal added to your plan."))
            return redirect("selfassess:plan")
    return render(
        request,
        "selfassess/goal_form.html",
        {"form": form, "editing": False},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@access.profile_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_for_user(request.user, pk)
    linked = list(goal.statements.values_list("pk", flat=True))
    choices = selectors.goal_statement_choices(request.user, linked)
    form = GoalForm(
        request.POST or None,
        initial={
            "description": goal.description,
            "activity": goal.activity,
            "due_date": goal.due_date,
            "progress": goal.progress,
            "statements": linked,
        },
        statement_choices=choices,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(
                goal=goal,
                description=form.cleaned_data["description"],
                activity=form.cleaned_data["activity"],
                due_date=form.cleaned_data["due_date"],
                progress=form.cleaned_data["progress"],
                statements=selectors.statements_by_ids(form.cleaned_data["statements"]),
            )
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Goal updated."))
            return redirect("selfassess:plan")
    return render(
        request,
        "selfassess/goal_form.html",
        {"form": form, "editing": True, "goal": goal},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def goal_progress(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_for_user(request.user, pk)
    form = GoalProgressForm(request.POST)
    if form.is_valid():
        services.goal_set_progress(goal=goal, progress=form.cleaned_data["progress"])
        messages.success(
            request,
            _("“%(goal)s” is now marked %(progress)s.")
            % {"goal": goal.description, "progress": goal.get_progress_display().lower()},
        )
    else:
        messages.error(request, _("Choose Not started, Under way or Done."))
    return redirect(f"{reverse('selfassess:plan')}#goal-{goal.pk}")


@login_required
@require_POST
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal_for_user(request.user, pk)
    services.goal_delete(goal=goal)
    messages.success(request, _("Goal removed from your plan."))
    return redirect("selfassess:plan")
