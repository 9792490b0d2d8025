from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = _("Recognition register")

    def ready(self) -> None:
        # Adds certificates to the document pipeline and assigned reviewers as
        # readers of evidence files; the evidence app never imports the register.
        from register import access, certificate  # noqa: F401
