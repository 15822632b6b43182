from __future__ import annotations

import pytest

from civicplatform.core import health

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_service_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "channel_layer", "broker"}
    assert all(state == "ok" for state in body["checks"].values())


def test_healthz_names_the_service_that_is_down(client, monkeypatch):
    def broken_cache():
        raise ConnectionError("refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken_cache)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["cache"]
    assert body["checks"]["cache"].startswith("down: ConnectionError")
    assert body["checks"]["database"] == "ok"


def test_healthz_checks_a_real_broker_when_celery_is_not_eager(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
