"""Real parts, really used: PostgreSQL, Redis and a Celery worker process.

The request goes through the service exactly as the web view sends it; the
worker is a separate process that reads the job from PostgreSQL, renders with
WeasyPrint and writes the PDF to private storage.
"""

import subprocess
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from evidence import services
from evidence.cpd import cpd_params
from evidence.models import DocumentJob
from imhcf.celery import app as celery_app
from tests.evidence.factories import EvidenceItemFactory
from tests.realservices import (
    celery_worker,
    require_postgresql,
    require_redis_broker,
    unique_queue,
    wait_for,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_setup(settings, tmp_path):
    require_postgresql()
    require_redis_broker()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    queue = unique_queue()
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_default_queue = previous


def _pdf_text(job: DocumentJob, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    with default_storage.open(job.file.name) as handle:
        path.write_bytes(handle.read())
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _request(owner) -> DocumentJob:
    with transaction.atomic():
        return services.document_request(
            owner=owner, kind="cpd_record", params=cpd_params(date(2026, 1, 1), date(2026, 12, 31))
        )


def test_cpd_record_goes_through_redis_to_a_real_worker(worker_setup, practitioner, tmp_path):
    EvidenceItemFactory(
        owner=practitioner, title="Video feedback seminar", start_date=date(2026, 3, 2)
    )
    EvidenceItemFactory(
        owner=practitioner, title="Perinatal supervision group", start_date=date(2026, 5, 9)
    )
    with celery_worker(queue=worker_setup, tmp_path=tmp_path) as worker:
        job = _request(practitioner)
        wait_for(
            lambda: DocumentJob.objects.get(pk=job.pk).status == DocumentJob.Status.DONE,
            timeout=90,
            what=f"the worker to finish the job\n{worker.output()[-2000:]}",
        )
    job.refresh_from_db()
    text = _pdf_text(job, tmp_path)
    assert "Video feedback seminar" in text
    assert "Perinatal supervision group" in text
    assert practitioner.full_name in text


def test_worker_killed_mid_render_then_the_sweeper_finishes_the_job_once(
    worker_setup, practitioner, tmp_path, settings
):
    # Enough activities that rendering takes long enough to be caught running.
    for n in range(250):
        EvidenceItemFactory(
            owner=practitioner, title=f"Activity {n}", start_date=date(2026, 1 + n % 12, 1 + n % 28)
        )
    with celery_worker(queue=worker_setup, tmp_path=tmp_path) as worker:
        job = _request(practitioner)
        wait_for(
            lambda: DocumentJob.objects.get(pk=job.pk).status == DocumentJob.Status.RUNNING,
            timeout=60,
            interval=0.02,
            what="the worker to claim the job",
        )
        worker.kill()
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.RUNNING
    assert not job.file  # nothing partial is visible through the job

    # The dead worker never acknowledged; the sweeper sees a running job past its time.
    settings.IMHCF_JOB_RUNNING_STALE_SECONDS = 0
    with celery_worker(queue=worker_setup, tmp_path=tmp_path) as worker:
        counts = services.documents_sweep()
        assert counts["requeued"] == 1
        wait_for(
            lambda: DocumentJob.objects.get(pk=job.pk).status == DocumentJob.Status.DONE,
            timeout=120,
            what=f"the re-queued job to finish\n{worker.output()[-2000:]}",
        )
    job.refresh_from_db()
    assert job.attempts == 2
    assert "Activity 249" in _pdf_text(job, tmp_path)
    stored = default_storage.listdir("documents")[1]
    assert stored == [job.file.name.split("/")[-1]]
