"""Framework staff review course mappings."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import is_admin
from imhcf.http import form_page
from training import selectors, services
from training.access import get_course_for_reviewer
from training.errors import TrainingError
from training.forms import ReviewForm


@require_safe
@login_required
def staff_queue(request):
    if not is_admin(request.user):
        raise Http404
    return render(request, "training/staff/queue.html", {"courses": selectors.review_queue()})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_review(request, pk: int):
    course = get_course_for_reviewer(request.user, pk)
    return form_page(
        request,
        ReviewForm(request.POST or None),
        lambda data: (
            services.mapping_review_accept
            if data["decision"] == "accept"
            else services.mapping_review_request_changes
        )(course=course, reviewer=request.user, comment=data["comment"]),
        refusal=TrainingError,
        then=lambda _result: redirect("training:staff_queue"),
        done=_("Your decision on “%(title)s” is recorded.") % {"title": course.title},
        template="training/staff/review.html",
        context=lambda: {
            "course": course,
            "mappings": selectors.mappings_for_review(course),
            "sessions": selectors.course_sessions(course),
            "events": selectors.course_events(course),
        },
    )
