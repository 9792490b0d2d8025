import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from imhcf import services
from imhcf.models import WorkerHeartbeat


@pytest.fixture
def worker_beating(db):
    services.worker_heartbeat_record(hostname="celery@test")
    return WorkerHeartbeat.objects.get(hostname="celery@test")


def test_healthz_is_200_when_database_broker_and_worker_answer(anon_client, worker_beating):
    response = anon_client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "worker": "ok"},
        "worker_last_seen": worker_beating.last_seen.isoformat(),
    }


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:9/0")
def test_healthz_is_503_when_the_broker_is_unreachable(anon_client, worker_beating):
    # Port 9 (discard) on loopback has nothing listening here.
    response = anon_client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"


def test_healthz_is_503_when_no_worker_has_ever_run(anon_client, db):
    response = anon_client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"] == {"database": "ok", "broker": "ok", "worker": "never seen"}
    assert body["worker_last_seen"] is None


def test_healthz_is_503_with_the_last_heartbeat_when_it_is_too_old(
    anon_client, worker_beating, settings
):
    settings.IMHCF_WORKER_STALE_SECONDS = 60
    long_ago = timezone.now() - timedelta(seconds=61)
    WorkerHeartbeat.objects.filter(pk=worker_beating.pk).update(last_seen=long_ago)
    response = anon_client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["worker"] == "stale"
    assert body["worker_last_seen"] == long_ago.isoformat()


def test_the_latest_heartbeat_of_any_worker_counts(anon_client, worker_beating, settings):
    settings.IMHCF_WORKER_STALE_SECONDS = 60
    WorkerHeartbeat.objects.filter(pk=worker_beating.pk).update(
        last_seen=timezone.now() - timedelta(hours=1)
    )
    services.worker_heartbeat_record(hostname="celery@second")
    assert anon_client.get("/healthz").status_code == 200


def test_a_heartbeat_moves_the_same_row_forward(worker_beating):
    services.worker_heartbeat_record(hostname="celery@test")
    assert WorkerHeartbeat.objects.count() == 1
    assert WorkerHeartbeat.objects.get().last_seen > worker_beating.last_seen


def test_the_heartbeat_is_scheduled_and_expires_unrun(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == "imhcf.tasks.worker_heartbeat"
    assert entry["schedule"] == settings.IMHCF_WORKER_HEARTBEAT_SECONDS
    assert entry["options"]["expires"] == settings.IMHCF_WORKER_HEARTBEAT_SECONDS
    assert settings.IMHCF_WORKER_STALE_SECONDS > settings.IMHCF_WORKER_HEARTBEAT_SECONDS
