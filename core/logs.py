"""Structured logs: one JSON object a line, one line per request and per task.

``LOG_FORMAT=json`` (the default unless ``DEBUG``) writes every record as JSON with
its time, level, logger, message, correlation id and whatever the caller passed
in ``extra``; ``LOG_FORMAT=text`` writes the same records for a person.

- ``platform.request``: one line per request (core.metrics.RequestMetricsMiddleware):
  method, path, route template, status, duration, client address, and for API
  calls the organization and client (set by the API's auth context through
  :func:`annotate_request`).
- ``platform.task``: one line per Celery task run (config/celery.py signals): task,
  task id, outcome, duration, and the correlation id of the request that enqueued
  it (carried in the message's ``x_correlation_id`` header).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse

from core.correlation import get_correlation_id
from core.net import client_ip

request_logger = logging.getLogger("platform.request")
task_logger = logging.getLogger("platform.task")

# A LogRecord's own attributes: everything else on a record came from ``extra``.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "correlation_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``ts``, ``level``, ``logger``, ``message``, ``correlationId``, the extras, ``exc``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlationId": getattr(record, "correlation_id", None) or get_correlation_id(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def annotate_request(request: Any, **fields: str) -> None:
    """Add ``fields`` (organization, client) to the request's log line; a DRF request annotates the Django one under it."""
    target = getattr(request, "_request", request)
    existing = getattr(target, "log_fields", None)
    if existing is None:
        existing = {}
        target.log_fields = existing
    existing.update(fields)


def log_request(request: HttpRequest, response: HttpResponse, *, route: str, seconds: float) -> None:
    if not request_logger.isEnabledFor(logging.INFO):
        return
    status = response.status_code
    extra = {
        "method": request.method,
        "path": request.path,
        "route": route,
        "status": status,
        "durationMs": round(seconds * 1000, 2),
        "ip": client_ip(request.META),
        **getattr(request, "log_fields", {}),
    }
    level = logging.ERROR if status >= 500 else logging.INFO
    request_logger.log(level, "%s %s %s %.1f ms", request.method, request.path, status, seconds * 1000, extra=extra)


def log_task(*, task: str, task_id: str, outcome: str, seconds: float) -> None:
    extra = {"task": task, "taskId": task_id, "outcome": outcome, "durationMs": round(seconds * 1000, 2)}
    level = logging.ERROR if outcome == "FAILURE" else logging.INFO
    task_logger.log(level, "task %s %s %.1f ms", task, outcome, seconds * 1000, extra=extra)
