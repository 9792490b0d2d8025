"""Thin Celery tasks for the app as a whole: the worker's heartbeat."""

from celery import shared_task
from celery.signals import worker_ready
from django.db import connection

from imhcf import services


@shared_task(bind=True, ignore_result=True)
def worker_heartbeat(self) -> None:
    services.worker_heartbeat_record(hostname=self.request.hostname or "unknown")


@worker_ready.connect
def _heartbeat_on_start(sender, **kwargs) -> None:
    # Beat's first heartbeat comes only after one interval; a worker that has just started
    # is already known to be there.
    services.worker_heartbeat_record(hostname=sender.hostname)
    # This runs in the worker's main process, which does no other database work.
    connection.close()
