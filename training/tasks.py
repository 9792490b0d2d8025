from celery import shared_task

from training import services


@shared_task
def training_hourly() -> None:
    """Carry course mappings onto the published edition, then recount effectiveness figures.

    Both are idempotent: a repeat run changes nothing that is already current. The
    carry also runs as soon as an edition is published (``carry_course_mappings``);
    this catches a lost message.
    """
    services.course_mappings_carry()
    services.effectiveness_refresh_all()


@shared_task
def carry_course_mappings() -> None:
    services.course_mappings_carry()
