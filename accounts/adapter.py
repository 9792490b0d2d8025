import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.internal.ratelimit import get_ip
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.services import language_is_known, user_language_set


class AccountAdapter(DefaultAccountAdapter):
    # allauth ships no British English; these are the errors people meet most.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("The email address or password is not right."),
        "too_many_login_attempts": _(
            "Too many failed attempts to sign in. Wait a few minutes and try again."
        ),
        "email_taken": _("An account already uses this email address."),
    }

    def save_user(self, request, user, form, commit=True):
        # Someone who signs up in Welsh is written to in Welsh from the first email on.
        if language_is_known(getattr(request, "LANGUAGE_CODE", "")):
            user.language = request.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def login(self, request, user) -> None:
        # An account that never chose keeps the language it signed in with; one that chose
        # is answered in its own from this response on (UserLanguageMiddleware after that).
        if not user.language:
            user_language_set(user=user, language=getattr(request, "LANGUAGE_CODE", ""))
        elif language_is_known(user.language):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        super().login(request, user)

    def populate_username(self, request, user) -> None:
        # There is no username: the email address is the login.
        return None

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failures per account alone, so anyone who knows a reviewer's email
        # could keep them locked out from anywhere. Counting per account and client address
        # together (IPv6 by its /64, as allauth's address limits do) locks out only the
        # address the wrong passwords came from.
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{get_ip(request)}"

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # allauth asks for the password again before MFA is set up, and counts only an
        # explicit re-entry as recent, so a reviewer sent to set up MFA straight after
        # signing in was asked twice within seconds. Its security model is "proof of the
        # password within ACCOUNT_REAUTHENTICATION_TIMEOUT"; a password sign-in in this
        # very session inside that window is such proof, so it counts for MFA set-up.
        # Older sessions (the hijacked-session case the rule exists for) are still asked.
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa" or self.request is None:
            return required
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return required
        signed_in = [
            r["at"]
            for r in get_authentication_records(self.request, user)
            if r.get("method") == "password" and isinstance(r.get("at"), int | float)
        ]
        fresh = signed_in and time.time() - signed_in[-1] < (
            account_settings.REAUTHENTICATION_TIMEOUT
        )
        return not fresh
