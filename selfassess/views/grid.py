"""The rating grid of one domain, and saving a rating from it (with or without JavaScript)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from imhcf import glossary
from imhcf.forms_text import parse_id
from imhcf.models import LevelNumber
from selfassess import access, extensions, fragments, selectors, services
from selfassess.errors import AssessmentError, StaleRatingError
from selfassess.forms import RatingForm
from selfassess.models import Rating
from selfassess.views.assessment import is_current, no_assessment


@login_required
@require_safe
@access.profile_required
def grid(request: HttpRequest, number: int) -> HttpResponse:
    assessment = access.get_assessment_in_progress(request.user)
    if assessment is None:
        return no_assessment(request)
    found = access.get_grid_input(assessment, number)
    refused = request.session.pop(REFUSAL_SESSION_KEY, None)
    # Levels above the target are one tap away, not on the page by default.
    target = request.practitioner_profile.target_level
    show_all = request.GET.get("levels") == "all" or target >= max(LevelNumber.values)
    saved_id = parse_id(request.GET.get("saved", ""))
    conflict = Refusal(**refused) if refused else None
    evidence_counts = extensions.evidence_counts(request.user)

    def render_body(csrf_token: str) -> str:
        context = {
            "assessment": assessment,
            "grid": found.grid(),
            "conflict": conflict,
            "saved_id": saved_id,
            "marked": glossary.marked_statements(assessment.version),
            "evidence_counts": evidence_counts,
            "levels": LevelNumber.values,
            "target_level": target,
            "show_all": show_all,
            "is_current": is_current(assessment),
            "csrf_token": csrf_token,
        }
        return render_to_string("selfassess/_grid_body.html", context, request)

    if conflict is not None:  # shown once, after a refused save: not worth keeping
        body = mark_safe(render_body(get_token(request)))  # noqa: S308 - rendered escaped
    else:
        body = fragments.cached_body(
            request,
            "grid",
            (
                found.cache_parts(),
                fragments.sorted_items(evidence_counts),
                target,
                show_all,
                saved_id,
                # The evidence links come back to this address.
                request.get_full_path(),
            ),
            render_body,
        )
    return render(request, "selfassess/grid.html", {"domain": found.domain, "body": body})


def _cell_url(rating: Rating, query: str = "") -> str:
    number = rating.statement.competency.domain.number
    return f"{reverse('selfassess:grid', args=[number])}{query}#s-{rating.statement_id}"


@login_required
@require_POST
def rating_save(request: HttpRequest, pk: int) -> HttpResponse:
    rating = access.get_rating_for_user(request.user, pk)
    form = RatingForm(request.POST)
    htmx = bool(request.htmx)
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
        {"rating": current, "conflict": refusal},
    )
    response["HX-Retarget"] = f"#rf-{current.pk}"
    response["HX-Reswap"] = "innerHTML"
    return response
