from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfAssessConfig(AppConfig):
    name = "selfassess"
    verbose_name = _("Self-assessment")
