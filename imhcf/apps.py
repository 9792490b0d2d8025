from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworkConfig(AppConfig):
    name = "imhcf"
    verbose_name = _("Competency framework")

    def ready(self):
        from imhcf.translation_catalogues import tidy_languages

        tidy_languages()
