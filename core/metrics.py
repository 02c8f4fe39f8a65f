"""Prometheus metrics: what the platform counts, and ``/metrics`` where Prometheus reads them.

prometheus-client in multi-process mode when ``PROMETHEUS_MULTIPROC_DIR`` is set
(gunicorn's workers, Celery's pool processes): each process writes its samples to
memory-mapped files in that folder and a scrape of any process adds them up, so
totals are right whichever worker answers. The folder is emptied when gunicorn
starts (config/gunicorn.py); a worker that exits has its live gauges dropped.
Without the variable (one process: runserver, tests) the default registry is used.

Other apps count through the functions below, never through the metric objects:

- :func:`observe_request` (the middleware below): requests by route template,
  method and status, and their latency;
- :func:`rate_limit_refused` (api.ratelimit);
- :func:`task_finished` (config/celery.py signals): task durations by task and outcome;
- :func:`webhook_attempt` (integrations): delivery outcomes and latency;
- :func:`connector_call` and :func:`circuit_state` (connectors): vendor call
  outcomes and latency, and each connection's circuit;
- the database connections each process keeps between requests, set as a request starts.

The Celery queue depth is read from the broker when Prometheus scrapes
(:class:`QueueDepthCollector`), not counted.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

from core.logs import log_request
from core.net import client_ip

logger = logging.getLogger(__name__)
# No *_created series: multi-process mode has none, so one process would not differ from several.
disable_created_metrics()

# The latency buckets: 0.5 s is one of them, the objective's threshold (docs/slo.md).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
CIRCUIT_STATES = ("closed", "open", "half_open")

REQUESTS = Counter(
    "platform_http_requests_total", "HTTP requests answered, by route template, method and status.", ["route", "method", "status"]
)
REQUEST_SECONDS = Histogram(
    "platform_http_request_duration_seconds",
    "Time from the first middleware to the response, by route template and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
RATE_LIMITED = Counter("platform_rate_limit_refusals_total", "Requests refused with 429 by a rate limit.", ["tier", "reason"])
TASK_SECONDS = Histogram(
    "platform_celery_task_duration_seconds",
    "Time a Celery task ran in a worker, by task name and outcome (the task's state).",
    ["task", "outcome"],
    buckets=LATENCY_BUCKETS,
)
WEBHOOK_SECONDS = Histogram(
    "platform_webhook_attempt_duration_seconds",
    "Webhook delivery attempts by outcome (success, http_4xx, http_5xx, error) and their latency.",
    ["outcome"],
    buckets=LATENCY_BUCKETS,
)
CONNECTOR_SECONDS = Histogram(
    "platform_connector_call_duration_seconds",
    "Calls to a vendor's API by vendor and outcome (success, or the kind of failure) and their latency.",
    ["vendor", "outcome"],
    buckets=LATENCY_BUCKETS,
)
CIRCUIT = Gauge(
    "platform_connector_circuit_state",
    "1 for the state each connection's circuit breaker is in (closed, open, half_open), 0 for the others.",
    ["connection", "state"],
    multiprocess_mode="mostrecent",
)
DB_CONNECTIONS = Gauge(
    "platform_db_connections",
    "Database connections of the serving processes: open (held by a process), and with a pool: pool_size, pool_idle, "
    "pool_waiting.",
    ["alias", "state"],
    multiprocess_mode="livesum",
)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "") or os.environ.get("prometheus_multiproc_dir", "")


# -- What other modules call ------------------------------------------------------------------------


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route, method, str(status)).inc()
    REQUEST_SECONDS.labels(route, method).observe(seconds)


def rate_limit_refused(tier: str, reason: str) -> None:
    """A request refused with 429: ``reason`` is ``rate`` (requests a minute or burst) or ``concurrency``."""
    RATE_LIMITED.labels(tier, reason).inc()


def task_finished(task: str, outcome: str, seconds: float) -> None:
    TASK_SECONDS.labels(task, outcome).observe(seconds)


def webhook_attempt(status: int | None, seconds: float) -> None:
    """One delivery attempt: the receiver's HTTP status, or None when no answer came (timeout, refused address)."""
    if status is None:
        outcome = "error"
    elif 200 <= status < 300:
        outcome = "success"
    else:
        outcome = f"http_{status // 100}xx"
    WEBHOOK_SECONDS.labels(outcome).observe(seconds)


def connector_call(vendor: str, outcome: str, seconds: float) -> None:
    """One call to a vendor's API: ``outcome`` is ``success`` or a short failure kind (``http_5xx``, ``timeout``,
    ``circuit_open``, ...): a handful of values, never an error message."""
    CONNECTOR_SECONDS.labels(vendor, outcome).observe(seconds)


def circuit_state(connection: str, state: str) -> None:
    """The circuit breaker of ``connection`` (its id) is now ``state`` (closed, open, half_open)."""
    if state not in CIRCUIT_STATES:
        raise ValueError(f"unknown circuit state {state!r}; one of {', '.join(CIRCUIT_STATES)}")
    for each in CIRCUIT_STATES:
        CIRCUIT.labels(connection, each).set(1 if each == state else 0)


def sample_db_connections() -> None:
    """This process's database connections, before a request (a gauge per process, summed over live processes)."""
    for alias in connections:
        if not connections.settings[alias]:
            continue
        conn = connections[alias]
        DB_CONNECTIONS.labels(alias, "open").set(1 if conn.connection is not None else 0)
        pool = getattr(conn, "pool", None) if conn.vendor == "postgresql" else None
        if pool is not None:
            stats = pool.get_stats()
            DB_CONNECTIONS.labels(alias, "pool_size").set(stats.get("pool_size", 0))
            DB_CONNECTIONS.labels(alias, "pool_idle").set(stats.get("pool_available", 0))
            DB_CONNECTIONS.labels(alias, "pool_waiting").set(stats.get("requests_waiting", 0))


# -- Route templates --------------------------------------------------------------------------------

_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@functools.lru_cache(maxsize=1024)
def route_template(route: str) -> str:
    """A resolved route as one label: ``api/v1/^events/(?P<pk>[^/.]+)/$`` -> ``/api/v1/events/{pk}/``."""
    text = _GROUP.sub(lambda m: "{" + m.group(1) + "}", route)
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)  # path converters
    text = text.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + text.lstrip("/")


def route_of(request: HttpRequest) -> str:
    """The route template that served ``request``; ``<unmatched>`` when no URL pattern matches."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Answered before URL resolution (a middleware refused it): resolve it now, once.
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "<unmatched>"
    return route_template(match.route)


# -- The scrape -------------------------------------------------------------------------------------


class QueueDepthCollector(Collector):
    """``platform_celery_queue_depth``: messages waiting in each queue, asked of the broker at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from celery import current_app

        family = GaugeMetricFamily("platform_celery_queue_depth", "Messages waiting in the Celery queue.", labels=["queue"])
        queue = current_app.conf.task_default_queue
        try:
            with current_app.connection_for_write(connect_timeout=settings.HEALTH_CHECK_TIMEOUT_SECONDS) as conn:
                conn.ensure_connection(max_retries=0)
                channel = conn.default_channel
                if hasattr(channel, "_size"):
                    # Kombu's virtual transports (Redis: LLEN of each priority list; filesystem: its files). Not a
                    # passive declare: on Redis it asks EXISTS without the global key prefix and finds nothing.
                    depth = channel._size(queue)
                else:
                    _, depth, _ = channel.queue_declare(queue=queue, passive=True)  # AMQP's message count
        except Exception:
            logger.warning("could not read the depth of queue %s", queue, exc_info=True)
            return
        family.add_metric([queue], depth)
        yield family


def registry() -> CollectorRegistry:
    """What a scrape reads: every process's samples in multi-process mode, else this process's; the queue depth."""
    folder = multiprocess_dir()
    if folder:
        from prometheus_client import multiprocess

        scrape = CollectorRegistry()
        multiprocess.MultiProcessCollector(scrape, path=folder)
    else:
        scrape = CollectorRegistry()
        scrape.register(_Default())
    scrape.register(QueueDepthCollector())
    return scrape


class _Default(Collector):
    """The default registry's metrics (this process's, with the process and platform collectors) in a new registry."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


def allowed(request: HttpRequest) -> bool:
    """A scrape with ``Authorization: Bearer <METRICS_TOKEN>``, or from an address in ``METRICS_ALLOWED_NETWORKS``."""
    token = settings.METRICS_TOKEN
    if token:
        import hmac

        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    try:
        address = ipaddress.ip_address(client_ip(request.META))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_NETWORKS)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``GET /metrics``: the Prometheus text format; 404 to a caller it does not admit (nothing to see here)."""
    if request.method not in ("GET", "HEAD") or not allowed(request):
        return HttpResponse(status=404)
    response = HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


# -- The request middleware -------------------------------------------------------------------------


class RequestMetricsMiddleware:
    """Counts, times and logs every request (``/metrics`` itself left out of both).

    Second in ``MIDDLEWARE``, after the correlation id, so the time covers the rest of
    the stack and the log line carries the id. The structured request log line
    (core.logs) is written here too: one middleware, one timer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        if settings.METRICS_ENABLED:
            # Before the request opens one: the connections this process keeps between requests.
            sample_db_connections()
        response = self.get_response(request)
        if request.path_info == "/metrics":
            return response
        seconds = time.perf_counter() - started
        route = route_of(request)
        if settings.METRICS_ENABLED:
            observe_request(route, request.method or "", response.status_code, seconds)
        log_request(request, response, route=route, seconds=seconds)
        return response
