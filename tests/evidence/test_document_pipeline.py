"""The background document pipeline, run in-process: claim, render, retry, sweep, expire."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from evidence import services
from evidence.cpd import cpd_params
from evidence.documents import register_renderer
from evidence.errors import EvidenceError, RenderError
from evidence.models import DocumentJob
from tests.evidence.factories import EvidenceItemFactory

pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def job(practitioner):
    return DocumentJob.objects.create(
        owner=practitioner,
        kind=DocumentJob.Kind.CPD_RECORD,
        params=cpd_params(timezone.localdate() - timedelta(days=365), timezone.localdate()),
        enqueued_at=timezone.now(),
    )


def test_rendering_a_cpd_record_stores_a_pdf_and_marks_the_job_done(job, practitioner):
    EvidenceItemFactory(owner=practitioner, start_date=timezone.localdate())
    assert services.document_render(job_id=job.pk) is True
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE
    assert job.attempts == 1
    assert job.expires_at > timezone.now() + timedelta(days=6)
    with default_storage.open(job.file.name) as handle:
        assert handle.read(5) == b"%PDF-"
    assert job.size == default_storage.size(job.file.name)


def test_a_finished_job_is_not_rendered_again(job):
    services.document_render(job_id=job.pk)
    job.refresh_from_db()
    first_file = job.file.name
    assert services.document_render(job_id=job.pk) is False
    job.refresh_from_db()
    assert job.file.name == first_file and job.attempts == 1


def test_a_job_running_under_a_live_claim_is_left_alone(job):
    DocumentJob.objects.filter(pk=job.pk).update(
        status=DocumentJob.Status.RUNNING, started_at=timezone.now()
    )
    assert services.document_render(job_id=job.pk) is False
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.RUNNING and job.attempts == 0


def test_render_error_fails_the_job_with_a_readable_message(job):
    job.params = {"start": "not a date"}
    job.save()
    assert services.document_render(job_id=job.pk) is False
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED
    assert "period" in job.error_message


def test_transient_error_hands_the_job_back_for_a_retry(job, monkeypatch):
    @register_renderer("flaky")
    def flaky(job):
        raise OSError("disk blinked")

    DocumentJob.objects.filter(pk=job.pk).update(kind="flaky")
    with pytest.raises(OSError):
        services.document_render(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.PENDING
    assert job.claim_token is None


def test_failed_job_can_be_retried_and_only_failed_ones(job, django_capture_on_commit_callbacks):
    with pytest.raises(EvidenceError):
        services.document_retry(job=job)
    services.document_fail(job_id=job.pk, message="broken")
    with django_capture_on_commit_callbacks() as callbacks:
        retried = services.document_retry(job=job)
    assert retried.status == DocumentJob.Status.PENDING and retried.error_message == ""
    assert len(callbacks) == 1


def test_asking_twice_returns_the_same_active_job(practitioner, django_capture_on_commit_callbacks):
    params = cpd_params(timezone.localdate() - timedelta(days=30), timezone.localdate())
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.document_request(owner=practitioner, kind="cpd_record", params=params)
        second = services.document_request(owner=practitioner, kind="cpd_record", params=params)
    assert first.pk == second.pk
    assert DocumentJob.objects.count() == 1
    assert len(callbacks) == 1


def test_sweeper_requeues_stale_pending_and_dead_running_jobs(
    job, practitioner, settings, monkeypatch
):
    settings.IMHCF_JOB_STALE_SECONDS = 60
    settings.IMHCF_JOB_RUNNING_STALE_SECONDS = 300
    long_ago = timezone.now() - timedelta(hours=1)
    DocumentJob.objects.filter(pk=job.pk).update(enqueued_at=long_ago)
    dead = DocumentJob.objects.create(
        owner=practitioner,
        kind="cpd_record",
        params=job.params,
        status="running",
        started_at=long_ago,
        enqueued_at=long_ago,
        attempts=1,
    )
    fresh = DocumentJob.objects.create(
        owner=practitioner, kind="cpd_record", params=job.params, enqueued_at=timezone.now()
    )
    enqueued = []
    monkeypatch.setattr(services.documents, "_enqueue", enqueued.append)
    counts = services.documents_sweep()
    assert sorted(enqueued) == sorted([job.pk, dead.pk])
    assert counts["requeued"] == 2
    dead.refresh_from_db()
    assert dead.status == DocumentJob.Status.PENDING
    fresh.refresh_from_db()
    assert fresh.status == DocumentJob.Status.PENDING


def test_sweeper_fails_a_job_whose_worker_keeps_dying(job, settings, monkeypatch):
    settings.IMHCF_JOB_MAX_ATTEMPTS = 3
    DocumentJob.objects.filter(pk=job.pk).update(
        status="running", attempts=3, started_at=timezone.now() - timedelta(days=1)
    )
    monkeypatch.setattr(services.documents, "_enqueue", lambda pk: None)
    assert services.documents_sweep()["failed"] == 1
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED and job.error_message


def test_sweeper_expires_old_documents_and_deletes_their_files(
    job, django_capture_on_commit_callbacks
):
    services.document_render(job_id=job.pk)
    job.refresh_from_db()
    name = job.file.name
    DocumentJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.documents_sweep()["expired"] == 1
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.EXPIRED and not job.file
    assert not default_storage.exists(name)


def test_unknown_document_kind_fails_cleanly(job):
    DocumentJob.objects.filter(pk=job.pk).update(kind="nonsense")
    from evidence.tasks import render_document_task

    render_document_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED


def test_render_error_type_is_exported():
    assert issubclass(RenderError, Exception)


def _status_html(client, job) -> str:
    return client.get(f"/evidence/documents/{job.pk}/status/").content.decode()


def test_a_job_waiting_longer_than_expected_says_it_is_delayed_and_will_be_made(
    practitioner, practitioner_client, settings
):
    settings.IMHCF_JOB_DELAYED_SECONDS = 30
    params = cpd_params(timezone.localdate() - timedelta(days=30), timezone.localdate())
    job = services.document_request(owner=practitioner, kind="cpd_record", params=params)
    assert "taking longer than usual" not in _status_html(practitioner_client, job)

    # The sweeper re-queues it (enqueued_at moves), but the person has still waited 31 s.
    DocumentJob.objects.filter(pk=job.pk).update(
        requested_at=timezone.now() - timedelta(seconds=31), enqueued_at=timezone.now()
    )
    html = _status_html(practitioner_client, job)
    assert "Waiting to start" in html
    assert "taking longer than usual" in html
    assert "will be made" in html


def test_a_retried_job_waits_from_the_retry_not_from_its_first_request(job, settings):
    settings.IMHCF_JOB_DELAYED_SECONDS = 30
    DocumentJob.objects.filter(pk=job.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    services.document_fail(job_id=job.pk, message="broken")
    job.refresh_from_db()
    assert not job.is_delayed  # failed, not waiting
    retried = services.document_retry(job=job)
    assert retried.status == DocumentJob.Status.PENDING
    assert not retried.is_delayed
