"""Request metering: what each API key and OAuth application asked for, counted in memory, written in bulk.

Every API request whose credential is known (an API key, or an OAuth access
token and so its application) is counted, including those refused after the
credential was recognised: a revoked or expired key, an address outside the
allowlist (401/403), a missing scope (403), the rate limit (429). A session
(the console, the docs' "try it out") and anonymous callers are not metered.

The count costs the request no SQL statement. ``ApiRequestMiddleware`` adds
the finished request to an in-process table keyed by (credential kind,
credential id, organization, route template, status class, hour), holding the
count, the errors (4xx and 5xx) and the total and largest latency. After the
response has gone out (Django's ``request_finished``), a worker whose table is
``API_USAGE_FLUSH_SECONDS`` old or holds ``API_USAGE_FLUSH_REQUESTS`` requests
writes it in one ``INSERT ... ON CONFLICT DO UPDATE`` that adds to the stored
counters (chunks of ``_CHUNK`` rows, one transaction); the process flushes once
more when it exits normally (``atexit``: gunicorn's worker restarts and
shutdowns).

What can be lost: a worker killed without a normal exit (SIGKILL, OOM, a
crash) loses what it counted since its last flush, at most one interval per
worker. Usage figures are for partners' insight, not billing: a gap of seconds
on a crash is an acceptable price for a hot path without a write. A flush that
fails (database down) keeps its counts for the next one.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, connection, transaction
from django.db.models import Field
from django.dispatch import receiver
from django.http import HttpRequest

from api.casing import public_path
from api.models import ApiUsage

logger = logging.getLogger("api")

# (credential kind, credential id, organization id, route template, status class, hour since the epoch)
BucketKey = tuple[str, Any, Any, str, int, int]
# [requests, errors, latency total (ms), latency max (ms)]
Counters = list[float]

_CREDENTIAL_ATTRIBUTE = "_metered_credential"
_CHUNK = 500  # rows a statement: 5,000 parameters, below SQLite's and PostgreSQL's limits
_KEY_COLUMNS = ("credential_kind", "credential_id", "organization_id", "route", "status_class", "hour")
_VALUE_COLUMNS = ("requests", "errors", "latency_ms_total", "latency_ms_max")


# -- route templates --------------------------------------------------------------------------------
_PATH_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@functools.lru_cache(maxsize=1024)
def route_template(route: str) -> str:
    """The OpenAPI-style template of a resolved Django route: ``api/v1/events/(?P<pk>[0-9a-f-]+)$`` is
    ``/api/v1/events/{id}``; path converters (``<uuid:event_pk>``) become ``{eventId}``.

    ``pk`` is named ``id``, as drf-spectacular names it in the schema, so a template is a path of the API reference.
    """
    out: list[str] = []
    i = 0
    while i < len(route):
        if route.startswith("(?P<", i):
            end = route.index(">", i)
            out.append("{" + route[i + 4 : end] + "}")
            depth, i = 1, end + 1
            while i < len(route) and depth:  # skip the group's pattern, nested groups and escapes included
                char = route[i]
                if char == "\\":
                    i += 1
                elif char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                i += 1
            continue
        if route[i] not in "^$":
            out.append(route[i])
        i += 1
    template = _PATH_PARAMETER.sub(r"{\1}", "".join(out))
    return public_path("/" + template.replace("{pk}", "{id}").lstrip("/"))


# -- who is calling -----------------------------------------------------------------------------------
def note_credential(request: Any, kind: str, credential_id: Any, organization_id: Any) -> None:
    """Called by authentication as soon as it knows whose key or token a request carries, before it decides
    whether to accept it: refused requests of a known credential are metered too."""
    if organization_id is not None:
        setattr(getattr(request, "_request", request), _CREDENTIAL_ATTRIBUTE, (kind, credential_id, organization_id))


def credential_of(request: HttpRequest) -> tuple[str, Any, Any] | None:
    """(kind, id, organization id) of the request's API key or OAuth application, or None (session, anonymous)."""
    return getattr(request, _CREDENTIAL_ATTRIBUTE, None)


# -- settings, read once: a ``django.conf.settings`` lookup costs about as much as the whole count --------
@dataclass(frozen=True)
class _Config:
    enabled: bool
    flush_seconds: float
    flush_requests: int


def _load() -> _Config:
    return _Config(
        enabled=bool(settings.API_USAGE_METERING),
        flush_seconds=float(settings.API_USAGE_FLUSH_SECONDS),
        flush_requests=int(settings.API_USAGE_FLUSH_REQUESTS),
    )


_config = _load()


@receiver(setting_changed)
def _reload(*, setting: str, **_: Any) -> None:
    """Tests change settings at run time (``override_settings``); production never does."""
    global _config
    if setting.startswith("API_USAGE_"):
        _config = _load()


# -- the in-memory table ------------------------------------------------------------------------------
class Meter:
    """A worker's counts since its last flush. Thread-safe; one lock held for a dictionary update."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[BucketKey, Counters] = {}
        self._pending = 0
        self._since = time.monotonic()

    def add(self, key: BucketKey, latency_ms: float, error: bool) -> None:
        with self._lock:
            counters = self._buckets.get(key)
            if counters is None:
                self._buckets[key] = [1, int(error), latency_ms, latency_ms]
            else:
                counters[0] += 1
                counters[1] += error
                counters[2] += latency_ms
                if latency_ms > counters[3]:
                    counters[3] = latency_ms
            self._pending += 1

    @property
    def pending(self) -> int:
        return self._pending

    def due(self) -> bool:
        return self._pending > 0 and (
            self._pending >= _config.flush_requests or time.monotonic() - self._since >= _config.flush_seconds
        )

    def take(self) -> dict[BucketKey, Counters]:
        """Everything counted so far; the table starts empty."""
        with self._lock:
            taken, self._buckets = self._buckets, {}
            self._pending = 0
            self._since = time.monotonic()
        return taken

    def give_back(self, taken: dict[BucketKey, Counters]) -> None:
        """Put counts whose flush failed back, merged with what arrived meanwhile, for the next flush."""
        with self._lock:
            for key, (requests, errors, total, largest) in taken.items():
                counters = self._buckets.setdefault(key, [0, 0, 0.0, 0.0])
                counters[0] += requests
                counters[1] += errors
                counters[2] += total
                counters[3] = max(counters[3], largest)
            # Not added to ``pending``: the next attempt waits a full interval, so a database that is down
            # costs one failed flush an interval, not one a request.

    def flush(self) -> int:
        """Write the counts (adding to stored rows); returns the rows written. A failure is logged, the counts kept."""
        taken = self.take()
        if not taken:
            return 0
        try:
            write(taken)
        except DatabaseError:
            logger.warning("could not write API usage (%d rows); kept for the next flush", len(taken), exc_info=True)
            self.give_back(taken)
            return 0
        return len(taken)

    def clear(self) -> None:
        self.take()


METER = Meter()


def record(request: HttpRequest, status: int, started: float) -> None:
    """Count a finished API request (``started``: ``time.perf_counter()`` when it arrived). No SQL."""
    if not _config.enabled:
        return
    credential = credential_of(request)
    match = request.resolver_match
    if credential is None or match is None:
        return
    kind, credential_id, organization_id = credential
    key = (kind, credential_id, organization_id, route_template(match.route), status // 100, int(time.time() // 3600))
    METER.add(key, (time.perf_counter() - started) * 1000.0, status >= 400)


def flush_if_due(**_: Any) -> None:
    """``request_finished`` receiver: the response is already out, so the client never waits for a flush."""
    if METER.due():
        METER.flush()


def flush_at_exit() -> None:
    try:
        METER.flush()
    except Exception:  # the interpreter is going away: never let a flush turn an exit into a traceback
        logger.warning("could not write API usage at exit", exc_info=True)


# -- the upsert ---------------------------------------------------------------------------------------
def _hour(epoch_hour: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch_hour * 3600, tz=dt.UTC)


def _upsert_sql(rows: int) -> str:
    table = connection.ops.quote_name(ApiUsage._meta.db_table)
    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in (*_KEY_COLUMNS, *_VALUE_COLUMNS))
    one = "(" + ", ".join(["%s"] * (len(_KEY_COLUMNS) + len(_VALUE_COLUMNS))) + ")"
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"  # SQLite's two-argument MAX
    added = ", ".join(f"{q(c)} = {table}.{q(c)} + EXCLUDED.{q(c)}" for c in _VALUE_COLUMNS[:3])
    largest = q("latency_ms_max")
    return (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * rows)} "
        f"ON CONFLICT ({', '.join(q(c) for c in _KEY_COLUMNS)}) DO UPDATE SET {added}, "
        f"{largest} = {greatest}({table}.{largest}, EXCLUDED.{largest})"
    )


def write(buckets: dict[BucketKey, Counters]) -> None:
    """Add ``buckets`` to the stored rows: one ``INSERT ... ON CONFLICT DO UPDATE`` a chunk, in one transaction.

    Works on PostgreSQL and SQLite (3.24+); values go through the model's fields, so UUIDs and datetimes are
    stored as the ORM stores them.
    """
    fields = [cast("Field[Any, Any]", ApiUsage._meta.get_field(name)) for name in (*_KEY_COLUMNS, *_VALUE_COLUMNS)]
    params: list[Any] = []
    for (kind, credential_id, organization_id, route, status_class, hour), counters in buckets.items():
        values = (kind, str(credential_id), organization_id, route, status_class, _hour(hour), *counters)
        params.extend(field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True))
    width = len(fields)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(params), _CHUNK * width):
            chunk = params[start : start + _CHUNK * width]
            cursor.execute(_upsert_sql(len(chunk) // width), chunk)


def purge(*, now: dt.datetime | None = None) -> int:
    """Delete usage rows older than ``API_USAGE_RETENTION_DAYS``; returns how many."""
    cutoff = (now or dt.datetime.now(tz=dt.UTC)) - dt.timedelta(days=settings.API_USAGE_RETENTION_DAYS)
    deleted, _ = ApiUsage.objects.filter(hour__lt=cutoff).delete()
    return deleted
