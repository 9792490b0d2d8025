import json

from django.test import override_settings

from imhcf.celery import app as celery_app


def test_healthz_is_200_when_database_and_broker_answer(anon_client, db):
    response = anon_client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


def test_healthz_is_503_when_the_broker_is_unreachable(anon_client, db):
    # Port 9 (discard) on loopback has nothing listening here.
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        with override_settings():
            response = anon_client.get("/healthz")
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"
