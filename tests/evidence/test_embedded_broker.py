"""The first run's background work: a real worker on the embedded broker that bin/run uses.

The worker is given no broker URL, so it runs on the settings' default (kombu's SQLAlchemy
transport on a SQLite file, kept in this test's folder). Nothing here is eager and nothing
goes through Redis: the web side publishes to the same SQLite file the worker polls.
"""

import subprocess
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from evidence import services
from evidence.cpd import cpd_params
from evidence.models import DocumentJob
from imhcf.broker import broker_transport_options, embedded_broker_url
from imhcf.celery import app as celery_app
from imhcf.models import WorkerHeartbeat
from imhcf.tasks import worker_heartbeat
from tests.evidence.factories import EvidenceItemFactory
from tests.realservices import celery_worker, require_postgresql, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _use_broker(url: str, options: dict) -> None:
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = options
    # Connections and producers made for the previous broker must not be reused.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def embedded_broker(settings, private_storage, tmp_path, monkeypatch):
    # The worker and this process share the job rows, so both must reach one database.
    require_postgresql()
    broker_dir = tmp_path / "var"
    broker_dir.mkdir()
    url = embedded_broker_url(broker_dir)
    # Celery reads this variable before its own configuration.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    before = (celery_app.conf.broker_url, dict(celery_app.conf.broker_transport_options or {}))
    _use_broker(url, broker_transport_options(url, task_time_limit=settings.CELERY_TASK_TIME_LIMIT))
    yield broker_dir
    _use_broker(*before)


def test_cpd_record_is_made_by_a_worker_on_the_embedded_broker(
    embedded_broker, practitioner, tmp_path
):
    assert celery_app.conf.broker_url.startswith("sqla+sqlite:///")
    EvidenceItemFactory(
        owner=practitioner, title="Watch, wait and wonder", start_date=date(2026, 4, 1)
    )
    with celery_worker(queue="celery", tmp_path=tmp_path, embedded_broker_in=embedded_broker) as w:
        assert "sqla+sqlite:///" in w.output()
        with transaction.atomic():
            job = services.document_request(
                owner=practitioner,
                kind="cpd_record",
                params=cpd_params(date(2026, 1, 1), date(2026, 12, 31)),
            )
        wait_for(
            lambda: DocumentJob.objects.get(pk=job.pk).status == DocumentJob.Status.DONE,
            timeout=90,
            what=f"the worker on the embedded broker to make the PDF\n{w.output()[-2000:]}",
        )
        assert w.proc.poll() is None, w.output()[-2000:]
    job.refresh_from_db()
    pdf = tmp_path / "record.pdf"
    with default_storage.open(job.file.name) as handle:
        pdf.write_bytes(handle.read())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Watch, wait and wonder" in text
    assert practitioner.full_name in text


def test_the_worker_beats_on_start_and_when_beat_asks(embedded_broker, tmp_path):
    with celery_worker(queue="celery", tmp_path=tmp_path, embedded_broker_in=embedded_broker) as w:
        # The worker records itself as soon as it is ready.
        started = wait_for(
            lambda: WorkerHeartbeat.objects.first(),
            timeout=30,
            what=f"the worker's first heartbeat\n{w.output()[-2000:]}",
        )
        worker_heartbeat.delay()
        wait_for(
            lambda: WorkerHeartbeat.objects.get(pk=started.pk).last_seen > started.last_seen,
            timeout=60,
            what=f"the heartbeat task to run\n{w.output()[-2000:]}",
        )
    assert started.hostname.startswith("celery@")
    assert WorkerHeartbeat.objects.count() == 1
