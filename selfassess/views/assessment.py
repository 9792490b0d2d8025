"""The practitioner's profile, and starting, moving and completing a self-assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from imhcf.http import form_page, refusal_shown, safe_next
from imhcf.models import FrameworkVersion, LevelNumber
from imhcf.selectors import published_version
from selfassess import access, extensions, fragments, selectors, services
from selfassess.errors import AssessmentError
from selfassess.forms import ProfileForm
from selfassess.models import Assessment


def is_current(assessment: Assessment) -> bool:
    return assessment.version.status == FrameworkVersion.Status.PUBLISHED


def no_assessment(request: HttpRequest):
    messages.info(request, _("Start a self-assessment first."))
    return redirect("selfassess:overview")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    existing = selectors.profile_for(request.user)
    next_url = safe_next(request) or ""
    return form_page(
        request,
        ProfileForm(request.POST or None, instance=existing),
        lambda data: services.profile_save(user=request.user, **data),
        refusal=AssessmentError,
        then=lambda _profile: redirect(next_url or reverse("selfassess:overview")),
        done=_("Your profile is saved."),
        template="selfassess/profile.html",
        context={"next": next_url, "first_time": existing is None},
    )


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
                "version": published_version(),
            },
        )
    user = request.user
    framed = selectors.overview_input(assessment, profile.target_level)
    evidence_counts = extensions.evidence_counts(user)
    courses = extensions.courses_for(framed.gap_keys())
    peer_shares = extensions.peer_shares(profile)

    def render_body(csrf_token: str) -> str:
        data = selectors.assessment_overview(
            assessment, profile.target_level, evidence_counts=evidence_counts, framed=framed
        )
        extensions.offer_courses([r for _d, items in data.gaps for r in items], courses)
        context = {
            "profile": profile,
            "assessment": assessment,
            "overview": data,
            "is_current": is_current(assessment),
            "levels": LevelNumber.values,
            "peer_shares": peer_shares,
            "csrf_token": csrf_token,
        }
        return render_to_string("selfassess/_overview_body.html", context, request)

    body = fragments.cached_body(
        request,
        "overview",
        (
            framed.cache_parts(),
            fragments.sorted_items(evidence_counts),
            fragments.sorted_items(courses),
            fragments.sorted_items(peer_shares),
            # The printed heading names the practitioner; the peer line, their role and region.
            (user.pk, user.get_full_name(), user.email),
            (profile.role, profile.region),
        ),
        render_body,
    )
    return render(request, "selfassess/overview.html", {"body": body})


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
def move(request: HttpRequest) -> HttpResponse:
    assessment = access.get_assessment_in_progress(request.user)
    if assessment is None:
        return no_assessment(request)
    moved = _(
        "Your self-assessment now uses the current edition. Your ratings came with "
        "you; any statement whose wording changed is marked for you to check."
    )
    with refusal_shown(request, refusal=AssessmentError, success=moved):
        services.assessment_move_to_published(assessment=assessment)
    return redirect("selfassess:overview")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@access.profile_required
def complete(request: HttpRequest) -> HttpResponse:
    profile = request.practitioner_profile
    assessment = access.get_assessment_in_progress(request.user)
    if assessment is None:
        return no_assessment(request)
    if request.method == "POST":
        completed = _(
            "Completed. Your self-assessment is saved in your history as it stands today. "
            "A new one has started from these ratings, so next time you only change "
            "what has moved on."
        )
        with refusal_shown(request, refusal=AssessmentError, success=completed) as attempt:
            done = services.assessment_complete(
                assessment=assessment, target_level=profile.target_level
            )
        if not attempt.ok:
            return redirect("selfassess:complete")
        return redirect("selfassess:snapshot", pk=done.pk)
    figures = selectors.completion_figures(assessment, profile.target_level)
    return render(
        request,
        "selfassess/complete.html",
        {"assessment": assessment, "figures": figures, "profile": profile},
    )
