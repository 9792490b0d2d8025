from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.roles import requires_mfa

MFA_NEXT_SESSION_KEY = "imhcf_mfa_next"


class StaffMFAMiddleware:
    """Whoever sees other people's data reaches those pages only with MFA enabled.

    Reviewers and staff (reviewer and admin pages), team leads and organisation
    admins (team pages), commissioners (area insight).

    Without it they are sent to set it up. The paths are a setting, so new
    staff-only areas are covered by adding a prefix, not by remembering a
    decorator on every view. The check runs before URL resolution, so even a
    path that would 404 reveals nothing about what lies under the prefix.

    It must come after MessageMiddleware in MIDDLEWARE: the message explaining
    the redirect is stored through it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.warning(
                request,
                _(
                    "Reviewers, administrators, team leads and commissioners must turn on "
                    "two-factor authentication before they can continue."
                ),
            )
            # Where they were going: the recovery codes page, where set-up ends, leads on there.
            request.session[MFA_NEXT_SESSION_KEY] = request.get_full_path()
            return redirect("mfa_index")
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        # path_info, not path: the prefixes are relative to the site's root,
        # which may sit under a script prefix in deployment.
        if not request.path_info.startswith(settings.IMHCF_MFA_REQUIRED_PATHS):
            return False
        user = request.user
        if not user.is_authenticated:
            return False
        return requires_mfa(user) and not is_mfa_enabled(user)
