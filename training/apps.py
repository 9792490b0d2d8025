from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training providers and courses")

    def ready(self) -> None:
        # The overview's and development plan's gaps offer the courses that cover them;
        # self-assessment sits below this app, so it asks through its hook.
        from selfassess.extensions import provide_course_finder
        from training.selectors import courses_by_statement_key

        provide_course_finder(courses_by_statement_key)
