"""A practitioner's courses: redeem a code, add a course to evidence, consent, give feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from imhcf.http import form_page
from training import selectors, services
from training.access import get_attendance_for_user, is_provider_staff
from training.errors import TrainingError
from training.forms import EvidenceFromCourseForm, FeedbackForm, RedeemForm


def _attendance(request, pk):
    return get_attendance_for_user(request.user, pk, selectors.verified_emails(request.user))


@require_safe
@login_required
def my_courses(request):
    return render(
        request,
        "training/my_courses.html",
        {
            "attendances": selectors.my_attendances(
                request.user, selectors.verified_emails(request.user)
            ),
            "redeem_form": RedeemForm(),
            "is_provider_staff": is_provider_staff(request.user),
        },
    )


@login_required
@require_POST
def redeem(request):
    form = RedeemForm(request.POST)
    if form.is_valid():
        try:
            attendance = services.attendance_code_redeem(
                user=request.user, code=form.cleaned_data["code"]
            )
        except TrainingError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(
                request,
                _("Your attendance at “%(course)s” is confirmed. You can add it to your evidence.")
                % {"course": attendance.session.course.title},
            )
            return redirect("training:my_courses")
    return render(
        request,
        "training/my_courses.html",
        {
            "attendances": selectors.my_attendances(
                request.user, selectors.verified_emails(request.user)
            ),
            "redeem_form": form,
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendance_evidence(request, pk: int):
    attendance = _attendance(request, pk)
    if attendance.evidence_item_id:
        return redirect("evidence:item_detail", pk=attendance.evidence_item_id)
    course = attendance.session.course
    statements = selectors.mapped_statements(course)
    return form_page(
        request,
        EvidenceFromCourseForm(request.POST or None, statements=statements),
        lambda data: services.attendance_to_evidence(
            attendance=attendance,
            user=request.user,
            statement_ids=data["statement"],
            reflection=data["reflection"],
        ),
        refusal=TrainingError,
        then=lambda item: redirect("evidence:item_detail", pk=item.pk),
        done=lambda item: (
            _("“%(title)s” is in your evidence, marked as attendance confirmed by the provider.")
            % {"title": item.title}
        ),
        template="training/attendance_evidence.html",
        context={"attendance": attendance, "course": course},
    )


@login_required
@require_POST
def attendance_consent(request, pk: int):
    attendance = _attendance(request, pk)
    agree = request.POST.get("agree") == "yes"
    services.effectiveness_consent_set(attendance=attendance, user=request.user, agree=agree)
    if agree:
        messages.success(request, _("Thank you. You can withdraw this at any time."))
    else:
        messages.success(request, _("Withdrawn. Your ratings are no longer counted for it."))
    return redirect("training:my_courses")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendance_feedback(request, pk: int):
    attendance = _attendance(request, pk)
    form = FeedbackForm(request.POST or None)
    if attendance.feedback_given:
        messages.info(request, _("You have already given feedback on this course. Thank you."))
        return redirect("training:my_courses")
    return form_page(
        request,
        form,
        lambda data: services.feedback_give(attendance=attendance, user=request.user, **data),
        refusal=TrainingError,
        then=lambda _result: redirect("training:my_courses"),
        done=_("Thank you. Your feedback was passed on without your name."),
        template="training/feedback.html",
        context={"attendance": attendance},
    )
