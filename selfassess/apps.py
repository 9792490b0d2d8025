from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfAssessConfig(AppConfig):
    name = "selfassess"
    verbose_name = _("Self-assessment")

    def ready(self) -> None:
        # Tells the framework's publish page how many practitioners a rewording reaches.
        from imhcf.extensions import provide_impact_counter
        from selfassess.impact import practitioners_rating

        provide_impact_counter("selfassess.practitioners", practitioners_rating)
