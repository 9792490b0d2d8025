"""Thin tasks: they take ids, load nothing themselves, and call a service."""

from celery import shared_task

from workforce import services


@shared_task(acks_late=True)
def summary_refresh_task(user_id: int) -> None:
    services.summary_refresh(user_id=user_id)
    services.area_refresh_request()


@shared_task(acks_late=True)
def area_refresh_task(refresh_id: int) -> None:
    services.area_refresh_run(refresh_id=refresh_id)


@shared_task(acks_late=True)
def workforce_nightly() -> None:
    services.summaries_refresh_all()
    services.area_refresh_request()
