"""Prometheus metrics: what is counted, who may read ``/metrics``, and totals across processes (gunicorn, Celery)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import REGISTRY

from accounts.roles import Role
from config.celery import app
from core import metrics
from core.metrics import route_template
from core.tasks import heartbeat
from tests.celery_worker import wait_until, worker_database_url
from tests.factories import EventFactory


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client: Client, **extra: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=")
    return parse(response.content.decode())


def parse(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.mark.parametrize(
    ("route", "template"),
    [
        ("api/v1/^events/(?P<pk>[^/.]+)$", "/api/v1/events/{pk}"),
        ("api/v1/events/<uuid:event_id>/sessions", "/api/v1/events/{event_id}/sessions"),
        ("health/ready", "/health/ready"),
    ],
)
def test_route_templates(route: str, template: str) -> None:
    assert route_template(route) == template


@pytest.mark.django_db
def test_requests_are_counted_by_route_template_method_and_status_with_their_latency(api: Any, member: Any, org: Any) -> None:
    client = api(member(Role.VIEWER))
    events = [EventFactory(organization=org) for _ in range(2)]
    route = route_template(client.get(f"/api/v1/events/{events[0].pk}").wsgi_request.resolver_match.route)
    assert "{" in route and str(events[0].pk) not in route
    before = value("platform_http_requests_total", route=route, method="GET", status="200")
    before_404 = value("platform_http_requests_total", route=route, method="GET", status="404")
    before_count = value("platform_http_request_duration_seconds_count", route=route, method="GET")
    before_fast = value("platform_http_request_duration_seconds_bucket", route=route, method="GET", le="30.0")

    for event in events:
        assert client.get(f"/api/v1/events/{event.pk}").status_code == 200
    assert client.get("/api/v1/events/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/no/such/page").status_code == 404

    assert value("platform_http_requests_total", route=route, method="GET", status="200") == before + 2
    assert value("platform_http_requests_total", route=route, method="GET", status="404") == before_404 + 1
    assert value("platform_http_request_duration_seconds_count", route=route, method="GET") == before_count + 3
    assert value("platform_http_request_duration_seconds_bucket", route=route, method="GET", le="30.0") == before_fast + 3
    assert value("platform_http_requests_total", route="<unmatched>", method="GET", status="404") >= 1


@pytest.mark.django_db
def test_a_request_refused_by_middleware_is_counted_under_its_route(api: Any, member: Any) -> None:
    client = api(member(Role.VIEWER))
    before = value("platform_http_requests_total", route="/api/v1/ping", method="GET", status="400")
    response = client.get("/api/v1/ping", HTTP_X_API_VERSION="9.9")
    assert response.status_code == 400
    assert value("platform_http_requests_total", route="/api/v1/ping", method="GET", status="400") == before + 1


@pytest.mark.django_db
def test_metrics_are_for_loopback_or_the_token_only(client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.METRICS_TOKEN = "t0ken-of-the-scraper"
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer t0ken-of-the-scraper").status_code == 200
    settings.METRICS_ALLOWED_NETWORKS = ["203.0.113.0/24"]
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


@pytest.mark.django_db
def test_rate_limit_refusals_are_counted(api: Any, member: Any, settings: Any) -> None:
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_TIERS = {**settings.RATE_LIMIT_TIERS, "user": {"per_minute": 2, "burst": 2, "concurrent": 5}}
    client = api(member(Role.VIEWER))
    before = value("platform_rate_limit_refusals_total", tier="user", reason="rate")
    statuses = [client.get("/api/v1/ping").status_code for _ in range(4)]
    assert statuses.count(429) == 2, statuses
    assert value("platform_rate_limit_refusals_total", tier="user", reason="rate") == before + 2


def test_connector_calls_and_circuit_states_as_the_connectors_report_them(client: Client) -> None:
    before = value("platform_connector_call_duration_seconds_count", vendor="zoom", outcome="http_5xx")
    metrics.connector_call("zoom", "http_5xx", 0.3)
    metrics.connector_call("zoom", "http_5xx", 0.7)
    assert value("platform_connector_call_duration_seconds_count", vendor="zoom", outcome="http_5xx") == before + 2
    metrics.circuit_state("conn-1", "open")
    assert value("platform_connector_circuit_state", connection="conn-1", state="open") == 1
    metrics.circuit_state("conn-1", "half_open")
    assert value("platform_connector_circuit_state", connection="conn-1", state="open") == 0
    assert value("platform_connector_circuit_state", connection="conn-1", state="half_open") == 1
    with pytest.raises(ValueError, match="unknown circuit state"):
        metrics.circuit_state("conn-1", "ajar")


@pytest.mark.django_db
def test_the_queue_depth_is_read_from_the_broker(client: Client) -> None:
    queue = app.conf.task_default_queue
    purge()
    key = ("platform_celery_queue_depth", (("queue", queue),))
    assert scrape(client, REMOTE_ADDR="127.0.0.1")[key] == 0
    try:
        for _ in range(3):
            heartbeat.delay()  # no worker reads this test's queue
        assert scrape(client, REMOTE_ADDR="127.0.0.1")[key] == 3
    finally:
        purge()


def purge() -> None:
    with app.connection_for_write() as conn:
        conn.default_channel.queue_declare(queue=app.conf.task_default_queue)
        conn.default_channel.queue_purge(app.conf.task_default_queue)


@pytest.mark.django_db
def test_database_connections_kept_between_requests_are_reported(client: Client, settings: Any) -> None:
    client.get("/health/live")
    families = scrape(client, REMOTE_ADDR="127.0.0.1")
    assert ("platform_db_connections", (("alias", "default"), ("state", "open"))) in families


def test_tasks_in_a_worker_are_timed_and_logged_with_the_correlation_id_of_their_sender(
    celery_worker_factory: Callable[..., Any], tmp_path: Path
) -> None:
    folder = tmp_path / "prom"
    folder.mkdir()
    purge()
    worker = celery_worker_factory(env={"PROMETHEUS_MULTIPROC_DIR": str(folder), "LOG_FORMAT": "json"})
    from core.correlation import set_correlation_id

    set_correlation_id("req-7f3a")
    try:
        heartbeat.delay()
    finally:
        set_correlation_id("-")
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(folder))

    def timed() -> float | None:
        return registry.get_sample_value(
            "platform_celery_task_duration_seconds_count", {"task": "core.heartbeat", "outcome": "SUCCESS"}
        )

    wait_until(timed, what="the task's duration in the worker's metrics")
    assert timed() == 1
    lines = [json.loads(line) for line in worker.output().splitlines() if line.startswith("{")]
    [task_line] = [line for line in lines if line.get("logger") == "platform.task"]
    assert task_line["task"] == "core.heartbeat"
    assert task_line["outcome"] == "SUCCESS"
    assert task_line["correlationId"] == "req-7f3a"
    assert task_line["durationMs"] >= 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_two_gunicorn_workers_report_the_same_totals(tmp_path: Path) -> None:
    from core.health import BEAT, WORKER, record_heartbeat

    record_heartbeat(WORKER)
    record_heartbeat(BEAT)  # /health/ready answers 200: a few milliseconds of work a request
    folder = tmp_path / "prom"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"stale")  # a file of an earlier run: emptied at start
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "RATE_LIMITS_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            try:
                with urllib.request.urlopen(f"{base}/health/live", timeout=2):
                    return True
            except OSError:
                return False

        wait_until(up, timeout=30, what=f"gunicorn:\n{log.read_text(errors='replace')}")

        def hammer() -> None:
            for _ in range(10):
                with urllib.request.urlopen(f"{base}/health/ready", timeout=10) as response:
                    assert response.status == 200

        threads = [threading.Thread(target=hammer) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # Each worker that answered keeps its samples in a file of its own.
        served_by = {int(path.stem.split("_")[1]) for path in folder.glob("counter_*.db")}
        assert len(served_by) == 2, served_by
        totals = []
        for _ in range(6):  # whichever worker answers the scrape, the total is every worker's
            with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:
                samples = parse(response.read().decode())
            totals.append(
                samples[("platform_http_requests_total", (("method", "GET"), ("route", "/health/ready"), ("status", "200")))]
            )
        assert totals == [60.0] * 6, totals
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
