"""Health checks: ``/health/live`` (the process answers) and ``/health/ready`` (it can do its work).

Readiness runs each check of ``HEALTH_READY_CHECKS`` on its own, so one failing
names itself and does not hide the others:

- ``database``: ``SELECT 1`` on the default database;
- ``cache``: a value written to the default cache reads back;
- ``broker``: a connection to the Celery broker is made (no retries);
- ``worker``: a worker ran the periodic heartbeat task (``core.heartbeat``) within
  ``HEALTH_WORKER_MAX_AGE_SECONDS``;
- ``beat``: beat sent a task within ``HEALTH_BEAT_MAX_AGE_SECONDS``.

Heartbeats are rows of :class:`core.models.Heartbeat`, written by
:func:`record_heartbeat` from the worker (when it starts and from the task) and
from beat (when it starts and before every task it sends; config/celery.py).
A failing check answers its exception's class only: a broker URL with a
password never reaches the page; the log has the whole error.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.locks import bounded
from core.models import Heartbeat

logger = logging.getLogger(__name__)

WORKER = "worker"
BEAT = "beat"


class CheckFailed(Exception):
    """A check's own verdict (a stale heartbeat), shown as it is: it holds no secret."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    seconds: float

    def as_json(self) -> dict[str, object]:
        return {"status": "ok" if self.ok else "fail", "detail": self.detail, "durationMs": round(self.seconds * 1000, 1)}


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    if one != 1:
        raise CheckFailed("SELECT 1 did not answer 1")
    return f"{connection.vendor} answered"


def check_cache() -> str:
    key, token = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, token, timeout=30)
    try:
        if cache.get(key) != token:
            raise CheckFailed("a value written to the cache did not read back")
    finally:
        cache.delete(key)
    return "a value wrote and read back"


def check_broker() -> str:
    from celery import current_app

    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    with current_app.connection_for_write(connect_timeout=timeout) as conn:
        # max_retries=0: one attempt, a broker that is down fails now rather than after kombu's back-off.
        conn.ensure_connection(max_retries=0, timeout=timeout)
        return f"{conn.transport_cls} connected"


def _heartbeat_check(name: str, max_age: float) -> str:
    row = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    if row is None:
        raise CheckFailed(f"no {name} heartbeat yet")
    age = (timezone.now() - row).total_seconds()
    if age > max_age:
        raise CheckFailed(f"last {name} heartbeat {age:.0f} s ago (more than {max_age:.0f} s)")
    return f"last heartbeat {max(age, 0):.0f} s ago"


def check_worker() -> str:
    return _heartbeat_check(WORKER, settings.HEALTH_WORKER_MAX_AGE_SECONDS)


def check_beat() -> str:
    return _heartbeat_check(BEAT, settings.HEALTH_BEAT_MAX_AGE_SECONDS)


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "worker": check_worker,
    "beat": check_beat,
}


def run_check(name: str) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = CHECKS[name]()
        ok = True
    except CheckFailed as exc:
        ok, detail = False, str(exc)
    except Exception as exc:
        logger.warning("health check %s failed", name, exc_info=True)
        ok, detail = False, f"{type(exc).__name__} (see the log)"
        if name == "database":
            # A broken connection stays broken for the rest of the request otherwise.
            connection.close_if_unusable_or_obsolete()
    return CheckResult(name=name, ok=ok, detail=detail, seconds=time.perf_counter() - started)


def readiness() -> list[CheckResult]:
    """Each check of ``HEALTH_READY_CHECKS``, in that order, every one run whatever the others gave."""
    return [run_check(name) for name in settings.HEALTH_READY_CHECKS]


def record_heartbeat(name: str) -> None:
    """Write ``name``'s heartbeat now (an upsert of its one row; the wait for the row is bounded)."""
    row = Heartbeat(name=name, beat_at=timezone.now(), hostname=socket.gethostname()[:255], pid=os.getpid())
    with transaction.atomic(), bounded():
        Heartbeat.objects.bulk_create(
            [row], update_conflicts=True, unique_fields=["name"], update_fields=["beat_at", "hostname", "pid"]
        )


def heartbeat_age(name: str) -> dt.timedelta | None:
    at = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    return None if at is None else timezone.now() - at


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    """``GET /health/live``: 200 while the process serves requests; nothing else is asked."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    """``GET /health/ready``: 200 when every check passes, else 503; the body names each check's result."""
    results = readiness()
    ok = all(result.ok for result in results)
    body = {"status": "ok" if ok else "fail", "checks": {result.name: result.as_json() for result in results}}
    return JsonResponse(body, status=200 if ok else 503)
