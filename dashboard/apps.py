from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        # The panels for what this app can see: self-assessment, evidence and the register.
        # Apps above it (workforce, training ...) register their own in their ready().
        from dashboard import builtin  # noqa: F401
