from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy and data rights")

    def ready(self) -> None:
        # Adds the subject access export to the document pipeline.
        from privacy import export  # noqa: F401
