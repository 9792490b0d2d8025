"""Fetch-and-authorise, one helper per resource.

Every helper is scoped to the asking user in the query itself, so another
person's assessment, rating or goal is indistinguishable from one that does
not exist: 404. Views never look these rows up any other way.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from selfassess.models import Assessment, Goal, Rating
from selfassess.selectors.assessments import profile_for
from selfassess.selectors.frame import version_frame
from selfassess.selectors.grid import DomainGrid, FramedGridInput, domain_grid, grid_input


def profile_required(view):
    """Send practitioners without a profile to it first, then back where they were going.

    The profile is attached to the request as ``request.practitioner_profile``
    so the view does not read it again.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        profile = profile_for(request.user)
        if profile is None:
            messages.info(
                request,
                _("Before you start, tell us a little about your work. It takes a minute."),
            )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('selfassess:profile')}?{query}")
        request.practitioner_profile = profile
        return view(request, *args, **kwargs)

    return wrapper


def get_assessment_in_progress(user) -> Assessment | None:
    return (
        Assessment.objects.filter(user=user, status=Assessment.Status.IN_PROGRESS)
        .select_related("version")
        .first()
    )


def get_completed_assessment_for_user(user, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("version"),
        pk=pk,
        user=user,
        status=Assessment.Status.COMPLETED,
    )


def get_rating_for_user(user, pk: int) -> Rating:
    """The rating with its assessment and version; its statement (with competency and
    domain) is the shared one of the version's frame, so no statement row is read."""
    rating = get_object_or_404(
        Rating.objects.select_related("assessment__version"), pk=pk, assessment__user=user
    )
    statement = version_frame(rating.assessment.version).statements.get(rating.statement_id)
    if statement is not None:
        Rating.statement.field.set_cached_value(rating, statement)
    return rating


def get_goal_for_user(user, pk: int) -> Goal:
    return get_object_or_404(Goal, pk=pk, user=user)


def get_domain_grid(assessment: Assessment, number: int) -> DomainGrid:
    """The grid of one domain of the user's assessment; a domain it does not have is a 404."""
    grid = domain_grid(assessment, number)
    if grid is None:
        raise Http404(_("There is no domain %(number)s.") % {"number": number})
    return grid


def get_grid_input(assessment: Assessment, number: int) -> FramedGridInput:
    """What domain ``number``'s grid is worked out from; a domain it does not have is a 404."""
    found = grid_input(assessment, number)
    if found is None:
        raise Http404(_("There is no domain %(number)s.") % {"number": number})
    return found
