from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training providers and courses")

    def ready(self) -> None:
        # The overview's and development plan's gaps offer the courses that cover them;
        # self-assessment sits below this app, so it asks through its hook.
        from imhcf.extensions import provide_impact_counter, provide_publish_listener
        from selfassess.extensions import provide_course_finder
        from training.impact import carry_after_publish, courses_mapped
        from training.selectors import courses_by_statement_key

        provide_course_finder(courses_by_statement_key)
        # The framework's publish page says how many courses a rewording reaches, and
        # publishing carries course mappings onto the new edition.
        provide_impact_counter("training.courses", courses_mapped)
        provide_publish_listener("training.carry", carry_after_publish)
