"""The subject access export through Redis and a real Celery worker process."""

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from evidence.models import DocumentJob
from privacy import services
from tests.evidence.test_worker_roundtrip import worker_setup  # noqa: F401 - a fixture
from tests.realservices import celery_worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_export_goes_through_redis_to_a_real_worker(worker_setup, practitioner, tmp_path):  # noqa: F811
    with celery_worker(queue=worker_setup, tmp_path=tmp_path) as worker:
        with transaction.atomic():
            data_request = services.export_request(subject=practitioner, requested_by=practitioner)
        wait_for(
            lambda: DocumentJob.objects.get(pk=data_request.document_id).status == "done",
            timeout=90,
            what=f"the worker to make the export\n{worker.output()[-2000:]}",
        )
    job = DocumentJob.objects.get(pk=data_request.document_id)
    with default_storage.open(job.file.name) as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert json.loads(archive.read("data.json"))["person"]["email"] == practitioner.email
