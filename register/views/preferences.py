"""How reviewers and administrators hear of new work: each notice at once, or a daily digest."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.roles import is_admin, is_reviewer
from register.services.notifications import preference_set, wants_digest

EACH, DIGEST = "each", "digest"


class NotificationSettingsForm(forms.Form):
    how = forms.ChoiceField(
        label=gettext_lazy("How should we tell you of new work?"),
        choices=[
            (EACH, gettext_lazy("One email for each notice, as it happens")),
            (DIGEST, gettext_lazy("One email a day with every notice since the last")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how you want to hear of new work.")},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (is_reviewer(user) or is_admin(user)):
        raise Http404
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            preference_set(user=user, daily_digest=form.cleaned_data["how"] == DIGEST)
            messages.success(request, _("Your email settings are saved."))
            return redirect("register:notification_settings")
        status = 400
    else:
        form = NotificationSettingsForm(initial={"how": DIGEST if wants_digest(user) else EACH})
        status = 200
    return render(request, "register/notification_settings.html", {"form": form}, status=status)
