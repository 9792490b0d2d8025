from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Evidence and CPD")

    def ready(self) -> None:
        # Registers the CPD record renderer with the document pipeline, and gives
        # the self-assessment grid its evidence counts.
        from evidence import cpd  # noqa: F401
        from evidence.selectors import evidence_counts_by_statement_key
        from selfassess.extensions import provide_evidence_counter

        provide_evidence_counter(evidence_counts_by_statement_key)
