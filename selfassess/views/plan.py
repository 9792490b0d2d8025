"""The development plan and its goals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from imhcf.forms_text import parse_ids
from imhcf.http import form_page
from selfassess import access, extensions, selectors, services
from selfassess.errors import AssessmentError
from selfassess.forms import GoalForm, GoalProgressForm
from selfassess.models import Goal


@login_required
@require_safe
@access.profile_required
def plan(request: HttpRequest) -> HttpResponse:
    profile = request.practitioner_profile
    development_plan = selectors.development_plan(request.user, profile.target_level)
    extensions.offer_courses([r for items in development_plan.suggestions.values() for r in items])
    return render(
        request,
        "selfassess/plan.html",
        {
            "plan": development_plan,
            "profile": profile,
            "progress_choices": Goal.Progress.choices,
            "today": timezone.localdate(),
        },
    )


def _goal_fields(data: dict) -> dict:
    """The goal form's answers as the goal services take them."""
    return {
        "description": data["description"],
        "activity": data["activity"],
        "due_date": data["due_date"],
        "statements": selectors.statements_by_ids(data["statements"]),
    }


def _goal_page(request: HttpRequest, form: GoalForm, save, *, done: str, context: dict):
    return form_page(
        request,
        form,
        save,
        refusal=AssessmentError,
        then=lambda _goal: redirect("selfassess:plan"),
        done=done,
        template="selfassess/goal_form.html",
        context=context,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@access.profile_required
def goal_create(request: HttpRequest) -> HttpResponse:
    picked = parse_ids(request.GET.getlist("statement"))
    choices = selectors.goal_statement_choices(request.user, picked)
    return _goal_page(
        request,
        GoalForm(request.POST or None, initial={"statements": picked}, statement_choices=choices),
        lambda data: services.goal_create(user=request.user, **_goal_fields(data)),
        done=_("Goal added to your plan."),
        context={"editing": False},
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
    return _goal_page(
        request,
        form,
        lambda data: services.goal_update(
            goal=goal, progress=data["progress"], **_goal_fields(data)
        ),
        done=_("Goal updated."),
        context={"editing": True, "goal": goal},
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
