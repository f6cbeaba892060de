"""/healthz/ tells a load balancer or monitor whether this process can serve."""

import socket

import pytest


pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthy_when_the_database_and_cache_answer(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    # tests run without a broker: tasks run in the process, which is healthy
    assert body["checks"]["broker"]["ok"] is True
    assert "not configured" in body["checks"]["broker"]["note"]


def test_unhealthy_with_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.HEALTHZ_TIMEOUT = 0.2
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_a_load_balancer_can_ask_about_the_database_alone(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/healthz/?checks=database")
    assert response.status_code == 200
    assert list(response.json()["checks"]) == ["database"]


def test_unhealthy_when_the_database_fails(client, monkeypatch):
    from django.db import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    from config import health

    monkeypatch.setitem(health.CHECKS, "database", down)
    response = client.get("/healthz/")
    assert response.status_code == 503
    check = response.json()["checks"]["database"]
    assert (check["ok"], check["error"]) == (False, "OperationalError")


def test_the_health_answer_is_never_cached(client):
    assert "no-cache" in client.get("/healthz/")["Cache-Control"]
