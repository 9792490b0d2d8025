"""Fetch-and-authorise for providers, courses, sessions and attendances.

Provider staff are the ACTIVE members of a verified "education and training"
organisation. Every helper scopes the query to the asker, so another
provider's course, a practitioner's attendance or a draft nobody published
answers 404, exactly like something that does not exist.

Provider pages show attendees' addresses, so provider staff use two-factor
authentication, as reviewers and admins do (``provider_staff_required``).
"""

from __future__ import annotations

from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.roles import is_admin
from imhcf.access import get_or_404, pk_or_404
from training.models import Attendance, Course, CourseMapping, CourseSession
from workforce.models import Membership, Organisation


def provider_ids_for(user) -> list[int]:
    """The verified training providers ``user`` is active staff of: one query, cached."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_training_provider_ids", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user=user,
                status=Membership.Status.ACTIVE,
                organisation__kind=Organisation.Kind.EDUCATION,
                organisation__verified=True,
            ).values_list("organisation_id", flat=True)
        )
        user._training_provider_ids = cached
    return cached


def is_provider_staff(user) -> bool:
    return bool(provider_ids_for(user))


def provider_staff_required(view):
    """Provider pages: signed-in provider staff with two-factor authentication.

    Anyone else is told the page does not exist; staff without two-factor
    authentication are sent to turn it on, as reviewers are.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_provider_staff(request.user):
            raise Http404
        if not is_mfa_enabled(request.user):
            messages.warning(
                request,
                _(
                    "Training provider staff see attendees' details, so they must turn on "
                    "two-factor authentication before they can continue."
                ),
            )
            return redirect("mfa_index")
        return view(request, *args, **kwargs)

    return wrapper


def get_provider_for_staff(user, pk) -> Organisation:
    pk = pk_or_404(pk)
    if pk not in provider_ids_for(user):
        raise Http404
    return Organisation.objects.get(pk=pk)


def get_course_for_staff(user, pk) -> Course:
    """A course of a provider ``user`` is staff of."""
    return get_or_404(
        Course.objects.select_related("provider"), pk, provider_id__in=provider_ids_for(user)
    )


def get_session_for_staff(user, pk) -> CourseSession:
    return get_or_404(
        CourseSession.objects.select_related("course__provider"),
        pk,
        course__provider_id__in=provider_ids_for(user),
    )


def get_course_for_reviewer(user, pk) -> Course:
    """Framework staff (admins) may review any course, drafts included."""
    if not is_admin(user):
        raise Http404
    return get_or_404(Course.objects.select_related("provider"), pk)


def public_courses():
    """Courses anyone may see: published by a verified training provider."""
    return Course.objects.filter(
        published=True,
        provider__verified=True,
        provider__kind=Organisation.Kind.EDUCATION,
    )


def get_public_course(pk) -> Course:
    return get_or_404(public_courses().select_related("provider"), pk)


def attendance_owner_q(user, emails: list[str]) -> Q:
    """Attendances that are ``user``'s: linked to the account, or listed at a verified address."""
    q = Q(user=user)
    if emails:
        q |= Q(user__isnull=True, email__in=emails)
    return q


def get_attendance_for_user(user, pk, emails: list[str]) -> Attendance:
    return get_or_404(
        Attendance.objects.select_related("session__course__provider", "evidence_item"),
        pk,
        attendance_owner_q(user, emails),
    )


def get_mapping_for_staff(user, pk) -> CourseMapping:
    return get_or_404(
        CourseMapping.objects.select_related("statement__competency"),
        pk,
        course__provider_id__in=provider_ids_for(user),
    )


def get_attendance_for_staff(user, pk) -> Attendance:
    return get_or_404(
        Attendance.objects.select_related("session", "evidence_item"),
        pk,
        session__course__provider_id__in=provider_ids_for(user),
    )
