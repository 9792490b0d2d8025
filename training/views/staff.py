"""Framework staff review course mappings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import is_admin
from training import selectors, services
from training.access import get_course_for_reviewer
from training.errors import TrainingError
from training.forms import ReviewForm


@require_safe
@login_required
def review_queue(request):
    if not is_admin(request.user):
        raise Http404
    return render(request, "training/staff/queue.html", {"courses": selectors.review_queue()})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_course(request, pk: int):
    course = get_course_for_reviewer(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            services.mapping_review_accept
            if form.cleaned_data["decision"] == "accept"
            else services.mapping_review_request_changes
        )
        try:
            decide(course=course, reviewer=request.user, comment=form.cleaned_data["comment"])
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Your decision on “%(title)s” is recorded.") % {"title": course.title}
            )
            return redirect("training:staff_queue")
    return render(
        request,
        "training/staff/review.html",
        {
            "course": course,
            "form": form,
            "mappings": selectors.mappings_for_review(course),
            "sessions": selectors.course_sessions(course),
            "events": selectors.course_events(course),
        },
        status=400 if form.errors else 200,
    )
