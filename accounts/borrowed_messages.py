# ruff: noqa: RUF001 - the curly apostrophes are part of Django's msgids, which must match exactly.
"""Messages of Django and django-allauth that people read here, kept in our own catalogue.

allauth ships no Welsh, and Django's Welsh lacks its newer password messages, so
these would reach a Welsh reader in English. Marking them here puts them in
``locale/cy/LC_MESSAGES/django.po``; Django then finds their Welsh there, whichever
code asks for them (one catalogue serves every gettext call in the process). Nothing
imports this module: ``makemessages`` reads it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django.contrib.auth.password_validation: the help under a new password, and its errors.
PASSWORD_MESSAGES = (
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
)

# allauth's forms and the one page of its own the site shows unchanged (the password
# change): labels, links and the button.
ALLAUTH_MESSAGES = (
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Password"),
    gettext_noop("Password (again)"),
    gettext_noop("Remember Me"),
    gettext_noop("Forgot your password?"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Change Password"),
)
