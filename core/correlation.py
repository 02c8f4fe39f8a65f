"""Correlation ids: accepted from X-Correlation-ID or generated, echoed, and logged.

The id lives in a context variable so that every log line of a request, and
every audit entry it writes, carries it.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Correlation-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_current: ContextVar[str] = ContextVar("correlation_id", default="-")


def get_correlation_id() -> str:
    return _current.get()


def set_correlation_id(value: str) -> None:
    _current.set(value)


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def accept_or_generate(value: str | None) -> str:
    """Keep a caller's id when it is safe to log and echo; otherwise make one."""
    if value and _VALID.match(value):
        return value
    return new_correlation_id()


class CorrelationIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = _current.get()
        return True


class CorrelationIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        correlation_id = accept_or_generate(request.headers.get(HEADER))
        # Not reset on the way out: Django logs the response (django.request) after
        # the middleware returns, and that line must carry the id too. The next
        # request on this thread sets its own; request_finished clears it.
        _current.set(correlation_id)
        request.correlation_id = correlation_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response[HEADER] = correlation_id
        return response


def _clear(**_: object) -> None:
    _current.set("-")


request_finished.connect(_clear, dispatch_uid="core.correlation.clear")
