from celery import shared_task

from training import services


@shared_task
def training_hourly() -> None:
    """Carry course mappings onto the published edition, then recount effectiveness figures.

    Both are idempotent: a repeat run changes nothing that is already current.
    """
    services.course_mappings_carry()
    services.effectiveness_refresh_all()
