"""The practitioner's side of the register: applying, their applications, certificates, renewal.

Views parse input, call one service from ``register.services`` and render or redirect;
every object comes through ``register.access`` so another person's pk answers 404. The
pages' view models come from ``register.selectors.application`` and the renewal and
appeal rules from ``register.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from evidence.models import DocumentJob
from evidence.services import document_request
from imhcf.http import chosen_round, form_rendered
from imhcf.models import Level, LevelNumber
from register import states
from register.access import get_application_for_applicant, get_entry_for_practitioner
from register.errors import RegisterError, TransitionNotAllowed
from register.forms_practitioner import (
    AppealForm,
    DeclarationsForm,
    LevelChoiceForm,
    RenewalForm,
    ResubmitForm,
    WithdrawForm,
)
from register.models import (
    Application,
    Renewal,
)
from register.readiness import Readiness, application_readiness, page_tasks
from register.selectors import application as application_selectors
from register.selectors.dossier import draft_dossier
from register.services import applying, renewals
from register.transitions import APPLICATION_RULES
from register.views.actions import refusal_shown
from selfassess.selectors.assessments import profile_for

A = Application.Status
LEVELS = tuple(LevelNumber.values)
# What an applicant is told when an action is no longer open to their application.
CLOSED = {
    "withdraw": gettext_lazy("This application can no longer be withdrawn."),
    "resubmit": gettext_lazy("Only an application with changes requested can be resubmitted."),
}


def _posted(request: HttpRequest):
    # An empty POST is still a submission: bind the form so it reports what is missing.
    return request.POST if request.method == "POST" else None


# --- Applying -------------------------------------------------------------------------------


@require_safe
@login_required
def apply(request: HttpRequest) -> HttpResponse:
    open_application = application_selectors.open_application(request.user)
    profile = profile_for(request.user)
    default_level = profile.target_level if profile else LevelNumber.ONE
    form = LevelChoiceForm(request.GET if "level" in request.GET else None)
    level = form.chosen_level(default_level)
    readiness = application_readiness(request.user, level)
    levels = (
        list(Level.objects.filter(version=readiness.version).order_by("number"))
        if readiness.version
        else []
    )
    return render(
        request,
        "register/practitioner/apply.html",
        {
            "form": form,
            "level": level,
            "levels": levels,
            "readiness": readiness,
            "tasks": page_tasks(
                readiness, return_to=reverse("register:apply") + "?" + urlencode({"level": level})
            ),
            "open_application": open_application,
        },
    )


def _level_or_404(level: int) -> int:
    if level not in LEVELS:
        raise Http404
    return level


def _check_page(request, level: int, readiness: Readiness, form: DeclarationsForm, *, status=200):
    domains, evidence = draft_dossier(request.user, readiness)
    return render(
        request,
        "register/practitioner/check.html",
        {
            "level": level,
            "readiness": readiness,
            "domains": domains,
            "evidence": evidence,
            "statement_count": len(readiness.statements),
            "profile": profile_for(request.user),
            "form": form,
        },
        status=status,
    )


@require_safe
@login_required
def apply_check(request: HttpRequest, level: int) -> HttpResponse:
    level = _level_or_404(level)
    open_application = application_selectors.open_application(request.user)
    if open_application:
        messages.info(
            request,
            _(
                "You already have an application in progress. "
                "You can apply again once it is decided or withdrawn."
            ),
        )
        return redirect("register:application_detail", pk=open_application.pk)
    readiness = application_readiness(request.user, level)
    if not readiness.ready:
        messages.warning(
            request, _("Your application is not ready yet. The list below shows what is missing.")
        )
        return redirect(reverse("register:apply") + "?" + urlencode({"level": level}))
    return _check_page(request, level, readiness, DeclarationsForm())


@require_POST
@login_required
def apply_submit(request: HttpRequest, level: int) -> HttpResponse:
    level = _level_or_404(level)
    form = DeclarationsForm(request.POST)
    if not form.is_valid():
        return _check_page(
            request, level, application_readiness(request.user, level), form, status=400
        )
    try:
        application = applying.application_submit(
            applicant=request.user,
            level=level,
            declarations=form.declarations(),
            referees=form.referees(),
        )
    except RegisterError as exc:
        messages.error(request, str(exc))
        # A double click: the first submit went through, so show that application.
        existing = application_selectors.open_application(request.user)
        if existing:
            return redirect("register:application_detail", pk=existing.pk)
        return _check_page(
            request, level, application_readiness(request.user, level), form, status=400
        )
    messages.success(
        request,
        _("Your application for Level %(level)d is submitted. We have emailed you a confirmation.")
        % {"level": application.level},
    )
    return redirect("register:application_detail", pk=application.pk)


# --- Applications ---------------------------------------------------------------------------


@require_safe
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "register/practitioner/applications.html",
        application_selectors.applications_page(request.user),
    )


@require_safe
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_applicant(request.user, pk)
    page = application_selectors.application_page(
        application, chosen_round(request, application.round)
    )
    return render(request, "register/practitioner/application_detail.html", page.context())


def _closed(request: HttpRequest, application: Application, action: str) -> HttpResponse | None:
    """Back to the application, saying why, when its state no longer allows ``action``."""
    if application.status in APPLICATION_RULES[action]:
        return None
    messages.info(request, str(CLOSED[action]))
    return redirect("register:application_detail", pk=application.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_applicant(request.user, pk)
    if closed := _closed(request, application, "withdraw"):
        return closed
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        withdrawn = _("Your application is withdrawn. You can apply again at any time.")
        with refusal_shown(request, success=withdrawn):
            applying.application_withdraw(
                application=application, applicant=request.user, reason=form.cleaned_data["reason"]
            )
        return redirect("register:application_detail", pk=application.pk)
    return form_rendered(
        request,
        "register/practitioner/withdraw.html",
        {"application": application, "form": form},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_applicant(request.user, pk)
    if closed := _closed(request, application, "resubmit"):
        return closed
    form = ResubmitForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            applying.application_resubmit(
                application=application, applicant=request.user, note=form.cleaned_data["note"]
            )
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("register:application_detail", pk=application.pk)
        except RegisterError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Your application is resubmitted. The same reviewers will look at it again."),
            )
            return redirect("register:application_detail", pk=application.pk)
    readiness = application_readiness(request.user, application.level)
    return render(
        request,
        "register/practitioner/resubmit.html",
        {
            "application": application,
            "form": form,
            "readiness": readiness,
            "tasks": page_tasks(readiness, return_to=request.path),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_applicant(request.user, pk)
    state = applying.appeal_state(application)
    deadline = applying.appeal_deadline(application)
    if state in ("none", "appealed"):
        messages.info(request, _("This decision cannot be appealed."))
        return redirect("register:application_detail", pk=application.pk)
    if state == "too_late":
        messages.info(
            request,
            _("The time for an appeal ended on %(date)s. You can apply again when you are ready.")
            % {"date": date_format(timezone.localtime(deadline), "j F Y")},
        )
        return redirect("register:application_detail", pk=application.pk)
    form = AppealForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        sent = _(
            "Your appeal is sent. Someone who did not review your application will consider it."
        )
        with refusal_shown(request, success=sent):
            applying.application_appeal(
                application=application,
                applicant=request.user,
                statement=form.cleaned_data["statement"],
            )
        return redirect("register:application_detail", pk=application.pk)
    return form_rendered(
        request,
        "register/practitioner/appeal.html",
        {"application": application, "form": form, "deadline": deadline},
    )


# --- Register entries: certificate and renewal ----------------------------------------------


@require_POST
@login_required
def certificate_request(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_practitioner(request.user, pk)
    if not entry.is_publicly_listed:
        messages.error(
            request, _("You are not currently registered, so there is no certificate to download.")
        )
        return redirect("register:application_detail", pk=entry.application_id)
    job = document_request(
        owner=request.user, kind=DocumentJob.Kind.CERTIFICATE, params={"entry_id": entry.pk}
    )
    return redirect("evidence:document_detail", pk=job.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_practitioner(request.user, pk)
    figures = renewals.renewal_figures(entry)
    form = RenewalForm(_posted(request), meets_requirement=figures["meets"])
    if request.method == "POST" and form.is_valid():
        try:
            renewal = renewals.renewal_submit(
                entry=entry,
                practitioner=request.user,
                declarations=form.declarations(),
                explanation=form.cleaned_data.get("explanation", ""),
            )
        except RegisterError as exc:
            messages.error(request, str(exc))
        else:
            entry.refresh_from_db()
            if renewal.status == Renewal.Status.APPROVED:
                messages.success(
                    request,
                    _("Your recognition is renewed. It is now valid until %(date)s.")
                    % {"date": date_format(entry.valid_until, "j F Y")},
                )
            elif renewal.status == Renewal.Status.AUDIT:
                messages.info(
                    request,
                    _(
                        "Your renewal has been chosen at random for a CPD audit. Send your CPD "
                        "record from the audit page; we have emailed you the details."
                    ),
                )
                return redirect("register:cpd_audit", pk=renewal.cpd_audit.pk)
            else:
                messages.success(
                    request,
                    _(
                        "Your renewal has gone to a reviewer, because your CPD hours are below "
                        "the requirement. We will email you their decision."
                    ),
                )
            return redirect("register:renew", pk=entry.pk)
    recent = list(entry.renewals.select_related("cpd_audit").order_by("-submitted_at", "-id")[:5])
    pending = next((r for r in recent if r.status in states.RENEWAL_WAITING), None)
    opens, closes = renewals.renewal_window(entry)
    return render(
        request,
        "register/practitioner/renew.html",
        {
            "entry": entry,
            "figures": figures,
            "summary": figures["summary"],
            "form": form,
            "state": renewals.renewal_state(entry, pending=pending is not None),
            "opens": opens,
            "closes": closes,
            "grace_days": settings.IMHCF_LAPSE_GRACE_DAYS,
            "renewals": recent,
            "pending": pending,
        },
        status=400 if request.method == "POST" else 200,
    )
