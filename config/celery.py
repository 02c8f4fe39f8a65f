"""The Celery application: webhook deliveries, connector jobs and the periodic jobs of beat.

Workers and beat read the same settings as the web process (``CELERY_*`` in
config/settings.py). By default the broker is Kombu's ``filesystem://`` transport
under ``var/celery``, so a single machine needs no broker server;
``CELERY_BROKER_URL`` points it at Redis or RabbitMQ.

Database connections in workers: Celery's Django fix-up would close them before
and after every task (a new PostgreSQL connection per task). With
``WORKER_CONN_MAX_AGE`` (default 600 s) a worker treats each task as Django
treats a request instead: a connection is kept up to that age, dropped after an
error that left it unusable or a transaction left open, and health-checked
before the task's first query, so one the server or a network device killed
meanwhile is replaced rather than failing the task.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def keep_connections(**kwargs: Any) -> None:
    """In a worker (before the pool forks): keep connections ``WORKER_CONN_MAX_AGE`` seconds, health-checked."""
    from django.conf import settings

    if not settings.WORKER_CONN_MAX_AGE:
        return
    # The connection handler uses these very dicts; a connection reads them when it connects.
    for database in settings.DATABASES.values():
        database["CONN_MAX_AGE"] = settings.WORKER_CONN_MAX_AGE
        database["CONN_HEALTH_CHECKS"] = True


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_old_connections(sender: Any = None, **kwargs: Any) -> None:
    """Around each task, as around a request: drop connections that are too old or unusable, flag the rest for a check."""
    from django.conf import settings
    from django.db import close_old_connections as close

    # Never in eager mode: the caller's connection (and its transaction) is in use.
    if settings.WORKER_CONN_MAX_AGE and not getattr(getattr(sender, "request", None), "is_eager", False):
        close()


_in_beat: list[bool] = []
_beat_recorded: list[float] = [0.0]


@signals.worker_ready.connect
def worker_heartbeat_at_start(**kwargs: Any) -> None:
    """A worker that just started is alive before its first heartbeat task (core.health)."""
    from django.db import connections

    from core.health import WORKER, record_heartbeat

    try:
        record_heartbeat(WORKER)
    except Exception:
        logging.getLogger(__name__).warning("could not record the worker's heartbeat", exc_info=True)
    finally:
        # The main process forks replacement pool processes later: they must not inherit its connection.
        connections.close_all()


@signals.beat_init.connect
def beat_heartbeat_at_start(**kwargs: Any) -> None:
    _in_beat.append(True)
    _record_beat()


@signals.before_task_publish.connect
def beat_heartbeat_on_send(**kwargs: Any) -> None:
    """Beat's sign of life: each task it sends (at most one write every 5 s)."""
    if _in_beat and time.monotonic() - _beat_recorded[0] >= 5:
        _record_beat()


def _record_beat() -> None:
    from core.health import BEAT, record_heartbeat

    try:
        record_heartbeat(BEAT)
        _beat_recorded[0] = time.monotonic()
    except Exception:
        logging.getLogger(__name__).warning("could not record beat's heartbeat", exc_info=True)


# -- Correlation ids, metrics and log lines of tasks (core.correlation, core.metrics, core.logs) --------------------
CORRELATION_HEADER = "x_correlation_id"
_started: dict[str, float] = {}


@signals.before_task_publish.connect
def carry_correlation_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """A task enqueued by a request carries the request's correlation id into the worker's log lines."""
    from core.correlation import get_correlation_id

    correlation_id = get_correlation_id()
    if headers is not None and correlation_id != "-":
        headers.setdefault(CORRELATION_HEADER, correlation_id)


@signals.task_prerun.connect
def task_started(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    from core.correlation import new_correlation_id, set_correlation_id

    if not getattr(task.request, "is_eager", False):  # an eager task runs under its caller's id
        set_correlation_id(str(getattr(task.request, CORRELATION_HEADER, None) or new_correlation_id()))
    _started[task_id] = time.perf_counter()


@signals.task_postrun.connect
def task_done(task_id: str = "", task: Any = None, state: str | None = None, **kwargs: Any) -> None:
    from core import logs, metrics
    from core.correlation import set_correlation_id

    began = _started.pop(task_id, None)
    if began is None:
        return
    seconds = time.perf_counter() - began
    outcome = state or "UNKNOWN"
    metrics.task_finished(task.name, outcome, seconds)
    logs.log_task(task=task.name, task_id=task_id, outcome=outcome, seconds=seconds)
    if not getattr(task.request, "is_eager", False):
        set_correlation_id("-")
