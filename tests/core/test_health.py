"""``/health/live`` and ``/health/ready``: each check fails on its own and names itself; heartbeats come from real processes."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from config.celery import app
from core.health import BEAT, WORKER, record_heartbeat
from core.models import Heartbeat
from core.tasks import heartbeat
from tests.celery_worker import wait_until

ALL = ["database", "cache", "broker", "worker", "beat"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def fresh_heartbeats() -> None:
    record_heartbeat(WORKER)
    record_heartbeat(BEAT)


def ready(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/health/ready")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    return response.status_code, response.json()


def failing(body: dict[str, Any]) -> list[str]:
    return [name for name, result in body["checks"].items() if result["status"] != "ok"]


@pytest.mark.django_db
def test_live_answers_without_asking_anything(client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert client.post("/health/live").status_code == 405


@pytest.mark.django_db
def test_ready_is_200_when_every_check_passes(client: Client) -> None:
    fresh_heartbeats()
    status, body = ready(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert list(body["checks"]) == ALL
    assert failing(body) == []


@pytest.mark.django_db
def test_no_worker_heartbeat_fails_the_worker_check_alone(client: Client) -> None:
    record_heartbeat(BEAT)
    status, body = ready(client)
    assert status == 503
    assert failing(body) == ["worker"]
    assert body["checks"]["worker"]["detail"] == "no worker heartbeat yet"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "setting"), [(WORKER, "HEALTH_WORKER_MAX_AGE_SECONDS"), (BEAT, "HEALTH_BEAT_MAX_AGE_SECONDS")])
def test_a_stale_heartbeat_fails_its_own_check_alone(client: Client, settings: Any, name: str, setting: str) -> None:
    fresh_heartbeats()
    setattr(settings, setting, 60)
    Heartbeat.objects.filter(name=name).update(beat_at=timezone.now() - dt.timedelta(seconds=61))
    status, body = ready(client)
    assert status == 503
    assert failing(body) == [name]
    assert "more than 60 s" in body["checks"][name]["detail"]


@pytest.mark.django_db
def test_an_unreachable_cache_fails_the_cache_check_alone(client: Client, settings: Any) -> None:
    fresh_heartbeats()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}
    }
    status, body = ready(client)
    assert status == 503
    assert failing(body) == ["cache"]
    assert body["checks"]["cache"]["detail"] == "ConnectionError (see the log)"


@pytest.fixture
def broker_down() -> Iterator[str]:
    saved = app.conf.broker_url
    url = f"redis://:s3cret@127.0.0.1:{closed_port()}/0"
    app.conf.broker_url = url
    try:
        yield url
    finally:
        app.conf.broker_url = saved


@pytest.mark.django_db
def test_an_unreachable_broker_fails_the_broker_check_alone_and_its_url_is_not_shown(
    client: Client, broker_down: str, settings: Any
) -> None:
    fresh_heartbeats()
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 1
    status, body = ready(client)
    assert status == 503
    assert failing(body) == ["broker"]
    assert "s3cret" not in str(body)
    assert body["checks"]["broker"]["durationMs"] < 5000  # one attempt, no back-off


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_fails_the_database_check(client: Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    fresh_heartbeats()
    connection.close()
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "missing" / "db.sqlite3"))
    else:
        monkeypatch.setitem(connection.settings_dict, "PORT", str(closed_port()))
    try:
        status, body = ready(client)
    finally:
        connection.close()
        monkeypatch.undo()
    assert status == 503
    assert body["checks"]["database"]["status"] == "fail"
    assert body["checks"]["database"]["detail"] == "OperationalError (see the log)"
    # The cache (the database cache by default) and the broker are asked all the same, each on its own.
    assert set(body["checks"]) == set(ALL)
    assert body["checks"]["broker"]["status"] == "ok"


@pytest.mark.django_db
def test_only_the_configured_checks_run(client: Client, settings: Any) -> None:
    settings.HEALTH_READY_CHECKS = ["database", "cache"]
    status, body = ready(client)  # no heartbeats at all
    assert status == 200
    assert list(body["checks"]) == ["database", "cache"]


@pytest.mark.django_db
def test_the_heartbeat_task_records_the_worker_and_overwrites_its_row() -> None:
    heartbeat.run()
    first = Heartbeat.objects.get(name=WORKER).beat_at
    heartbeat.run()
    assert Heartbeat.objects.filter(name=WORKER).count() == 1
    assert Heartbeat.objects.get(name=WORKER).beat_at >= first


def test_the_heartbeat_is_in_beats_schedule(settings: Any) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    assert entry["task"] == "core.heartbeat"
    assert entry["schedule"] * 3 <= settings.HEALTH_WORKER_MAX_AGE_SECONDS


def test_a_started_worker_writes_its_heartbeat_and_runs_the_task(celery_worker: Any, client: Client) -> None:
    # worker_ready: the heartbeat is there before any task ran.
    assert wait_until(lambda: Heartbeat.objects.filter(name=WORKER).first(), what="the worker's first heartbeat")
    Heartbeat.objects.filter(name=WORKER).update(beat_at=timezone.now() - dt.timedelta(hours=1))
    heartbeat.delay()
    wait_until(
        lambda: Heartbeat.objects.get(name=WORKER).beat_at > timezone.now() - dt.timedelta(minutes=1),
        what="the heartbeat task",
    )
    row = Heartbeat.objects.get(name=WORKER)
    assert row.pid == celery_worker.pool_pids()[0]
    record_heartbeat(BEAT)
    status, body = ready(client)
    assert status == 200, body
