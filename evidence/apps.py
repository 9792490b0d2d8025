from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Evidence and CPD")

    def ready(self) -> None:
        # Registers the CPD record renderer with the document pipeline.
        from evidence import cpd  # noqa: F401
