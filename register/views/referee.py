"""The referee's pages. No account: the emailed link is the key.

The link (``/references/<token>/``) is checked and then swapped for a mark in
the session, and the browser is sent to ``/references/respond/``: the token
leaves the address bar at once, so it does not sit in history, in a Referer
header or in a screenshot of the form. Everything here is rate limited per
client address and never cached.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from imhcf.ratelimits import limited
from register.errors import RegisterError
from register.forms_references import ReferenceDeclineForm, ReferenceResponseForm
from register.models import ReferenceLink
from register.services import reference_links, references

SESSION_KEY = "referee_link"


def _rate() -> str:
    return settings.IMHCF_REFERENCE_RATE


def _dead_link(request: HttpRequest) -> HttpResponse:
    # One answer for forged, unknown, expired and used links: nothing to tell them apart.
    return render(request, "register/referee/link_invalid.html", status=404)


def _with_session_link(view):
    """A page after the link: ``view`` gets the live link the session holds, or the dead-link page
    answers instead."""

    @wraps(view)
    def with_link(request: HttpRequest) -> HttpResponse:
        link = reference_links.link_get_live(request.session.get(SESSION_KEY))
        if link is None:
            return _dead_link(request)
        return view(request, link)

    return with_link


@require_safe
@never_cache
@limited("referee", _rate)
def referee_link(request: HttpRequest, token: str) -> HttpResponse:
    link = reference_links.link_check(token)
    if link is None:
        return _dead_link(request)
    request.session[SESSION_KEY] = link.pk
    return redirect("register:referee_respond")


def _page(request, link, form=None, decline_form=None, *, status=200) -> HttpResponse:
    reference = link.reference
    application = reference.application
    domains = references.domains_for(application)
    return render(
        request,
        "register/referee/respond.html",
        {
            "reference": reference,
            "application": application,
            "form": form
            or ReferenceResponseForm(domains=domains, level=application.level, prefix="answer"),
            "decline_form": decline_form or ReferenceDeclineForm(prefix="decline"),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@limited("referee", _rate)
@_with_session_link
def referee_respond(request: HttpRequest, link: ReferenceLink) -> HttpResponse:
    if request.method != "POST":
        return _page(request, link)
    application = link.reference.application
    form = ReferenceResponseForm(
        request.POST,
        domains=references.domains_for(application),
        level=application.level,
        prefix="answer",
    )
    if not form.is_valid():
        return _page(request, link, form, status=400)
    data = form.cleaned_data
    try:
        references.reference_respond(
            link=link,
            identity_confirmed=data["identity_confirmed"],
            known_capacity=data["known_capacity"],
            known_for=data["known_for"],
            answers=form.answers(),
            comments=data["comments"],
        )
    except RegisterError as exc:
        form.add_error(None, str(exc))
        return _page(request, link, form, status=400)
    request.session.pop(SESSION_KEY, None)
    return redirect("register:referee_done")


@require_POST
@never_cache
@limited("referee", _rate)
@_with_session_link
def referee_decline(request: HttpRequest, link: ReferenceLink) -> HttpResponse:
    form = ReferenceDeclineForm(request.POST, prefix="decline")
    if not form.is_valid():
        return _page(request, link, decline_form=form, status=400)
    try:
        references.reference_decline(link=link, reason=form.cleaned_data["reason"])
    except RegisterError as exc:
        messages.error(request, str(exc))
        return redirect("register:referee_respond")
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("You have declined. Thank you for letting us know."))
    return redirect("register:referee_done")


@require_safe
def referee_done(request: HttpRequest) -> HttpResponse:
    return render(request, "register/referee/done.html")
