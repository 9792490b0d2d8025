import json

from django.test import override_settings


def test_healthz_is_200_when_database_and_broker_answer(anon_client, db):
    response = anon_client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:9/0")
def test_healthz_is_503_when_the_broker_is_unreachable(anon_client, db):
    # Port 9 (discard) on loopback has nothing listening here.
    response = anon_client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"
