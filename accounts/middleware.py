from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.roles import requires_mfa
from accounts.services import language_is_known

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


class UserLanguageMiddleware:
    """A signed-in person's own language wins over the cookie and Accept-Language.

    LocaleMiddleware has already chosen a language from the cookie or the browser; for
    someone signed in who has chosen one (``User.language``), that is used instead. The
    cookie is brought into line afterwards, so the language stays after signing out.
    Must come after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and user.language and language_is_known(user.language):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        # Read again: the language switcher may have just changed it.
        chosen = user.language if signed_in else ""
        cookie = settings.LANGUAGE_COOKIE_NAME
        if (
            chosen
            and language_is_known(chosen)
            and cookie not in response.cookies
            and request.COOKIES.get(cookie) != chosen
        ):
            response.set_cookie(
                cookie,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
