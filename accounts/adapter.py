from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from django.utils.translation import gettext_lazy as _


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
