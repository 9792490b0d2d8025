from allauth.account.adapter import DefaultAccountAdapter
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
