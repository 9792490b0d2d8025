"""Concerns: the public form, the staff case pages, and the registrant's own page.

The public form has no third-party spam service: a honeypot field people never
see, and a rate limit per client address on sending. Staff pages sit under
/staff/, where the middleware insists on MFA.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import is_admin
from imhcf.http import form_rendered
from imhcf.ratelimits import limited
from register import access
from register.errors import RegisterError
from register.forms_concerns import (
    STAFF_ACTION_FORMS,
    ConcernAppealForm,
    ConcernForm,
    RegistrantResponseForm,
)
from register.models import RegisterEntry
from register.selectors import concerns as concern_selectors
from register.services import concern_appeals, concerns
from register.views.actions import action_forms, refusal_shown


def _rate() -> str:
    return settings.IMHCF_CONCERN_RATE


# --- The public form --------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@limited("concern", _rate, methods=("POST",))
def concern_start(request: HttpRequest) -> HttpResponse:
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if not form.is_spam:
            concerns.concern_raise(
                **{
                    name: form.cleaned_data[name]
                    for name in (
                        "registrant_named",
                        "raiser_name",
                        "raiser_email",
                        "raiser_relationship",
                        "description",
                    )
                }
            )
        # A filled honeypot gets the same answer, so a script learns nothing.
        return redirect("register:concern_received")
    return form_rendered(
        request,
        "register/concerns/start.html",
        {"form": form, "publish_years": settings.IMHCF_CONCERN_PUBLISH_YEARS},
    )


@require_safe
def concern_received(request: HttpRequest) -> HttpResponse:
    return render(request, "register/concerns/received.html")


# --- Staff ------------------------------------------------------------------------------------


@login_required
@require_safe
def staff_concerns(request: HttpRequest) -> HttpResponse:
    if not is_admin(request.user):
        raise Http404
    return render(
        request,
        "register/concerns/staff_list.html",
        {"groups": concern_selectors.staff_list(), "now": timezone.now()},
    )


def _render_concern(request, concern, *, bound: dict | None = None, status: int = 200):
    return render(
        request,
        "register/concerns/staff_detail.html",
        {
            "concern": concern,
            "forms": action_forms(STAFF_ACTION_FORMS, bound),
            "is_handler": concern.handler_id == request.user.pk,
            "appeal_conflict": concern_appeals.appeal_conflict(concern, request.user),
            "trail": concern_selectors.trail(concern),
        },
        status=status,
    )


@login_required
@require_safe
def staff_concern(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_concern(request, access.get_concern_for_admin(request.user, pk))


@login_required
@require_POST
def staff_concern_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    concern = access.get_concern_for_admin(request.user, pk)
    user = request.user
    if action == "invite":
        form = None
    else:
        form_class = STAFF_ACTION_FORMS.get(action)
        if form_class is None:
            raise Http404
        form = form_class(request.POST, prefix=action)
        if not form.is_valid():
            return _render_concern(request, concern, bound={action: form}, status=400)
    data = form.cleaned_data if form else {}
    with refusal_shown(request, success=_("Recorded.")):
        if action == "invite":
            concerns.concern_invite_response(concern=concern, handler=user)
        elif action == "triage":
            entry = None
            if data["entry_number"]:
                entry = RegisterEntry.objects.filter(
                    registration_number=data["entry_number"]
                ).first()
                if entry is None:
                    raise RegisterError(_("No register entry has that number."))
            concerns.concern_triage(
                concern=concern,
                admin=user,
                take_forward=data["take_forward"] == "yes",
                handler=data["handler"],
                entry=entry,
                reasons=data["reasons"],
            )
        elif action == "response":
            concerns.concern_record_response(
                concern=concern, handler=user, response=data["response"]
            )
        elif action == "decide":
            concerns.concern_decide(
                concern=concern,
                handler=user,
                outcome=data["outcome"],
                reasons=data["reasons"],
                public_text=data["public_text"],
                public_text_cy=data["public_text_cy"],
            )
        else:
            concern_appeals.concern_appeal_decide(
                concern=concern,
                admin=user,
                upheld=data["decision"] == "uphold",
                reasons=data["reasons"],
            )
    return redirect("register:staff_concern", pk=concern.pk)


# --- The registrant ---------------------------------------------------------------------------


def _render_mine(request, concern, form=None, *, response_form=None, status=200):
    deadline = concern_appeals.appeal_deadline(concern)
    return render(
        request,
        "register/concerns/mine.html",
        {
            "concern": concern,
            "form": form or ConcernAppealForm(),
            "response_form": response_form
            or RegistrantResponseForm(initial={"response": concern.response}),
            "can_respond": concern.status == "investigating",
            "can_appeal": concern.status == "decided"
            and concern.outcome != "no_case"
            and deadline is not None
            and timezone.now() <= deadline,
            "appeal_deadline": deadline,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_concern(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access.get_concern_for_registrant(request.user, pk)
    if request.method != "POST":
        return _render_mine(request, concern)
    sent = _("Your appeal is sent. Someone not involved will hear it.")
    return _registrant_posts(request, concern, ConcernAppealForm(request.POST), _appeal, sent)


@login_required
@require_POST
def my_concern_respond(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access.get_concern_for_registrant(request.user, pk)
    form = RegistrantResponseForm(request.POST)
    sent = _("Your response is sent. Your case handler reads it before deciding.")
    return _registrant_posts(request, concern, form, _respond, sent, form_name="response_form")


def _appeal(concern, user, data: dict) -> None:
    concern_appeals.concern_appeal(concern=concern, registrant=user, statement=data["statement"])


def _respond(concern, user, data: dict) -> None:
    concerns.concern_respond(concern=concern, registrant=user, response=data["response"])


def _registrant_posts(request, concern, form, act, sent: str, *, form_name: str = "form"):
    """One of the registrant's forms on their concern's page: ``act`` on what it says, then
    back to the page; the page with the form again (400) if it or the service refuses."""
    if form.is_valid():
        with refusal_shown(request, form, success=sent) as attempt:
            act(concern, request.user, form.cleaned_data)
        if attempt.ok:
            return redirect("register:my_concern", pk=concern.pk)
    return _render_mine(request, concern, status=400, **{form_name: form})
