"""Thin tasks: they take ids, load nothing themselves, and call a service."""

from celery import shared_task

from workforce import area, summaries


@shared_task(acks_late=True)
def summary_refresh_task(user_id: int) -> None:
    summaries.summary_refresh(user_id=user_id)
    area.area_refresh_request()


@shared_task(acks_late=True)
def area_refresh_task(refresh_id: int) -> None:
    area.area_refresh_run(refresh_id=refresh_id)


@shared_task(acks_late=True)
def workforce_nightly() -> None:
    summaries.summaries_refresh_all()
    area.area_refresh_request()
