"""The one outbound path to a vendor: the breaker, retries with backoff and jitter honouring ``Retry-After``,
the vendor's idempotency key on every attempt, and one call-log row per attempt.

An adapter wraps each vendor operation as ``call(connection, "payment_intents.create", fn, idempotency_key=k)``;
``fn(attempt)`` makes one attempt (with the vendor's client or ``connectors.http``), fills in what the call log
shows (method, path, status, the vendor's request id) and raises ``Unavailable`` for what a retry may fix
(timeouts, connection errors, 429, 5xx) or ``Rejected`` for what it will not (any other 4xx).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings

from connectors import breaker, clock
from connectors.exceptions import CircuitOpen, Disconnected, Rejected, Unavailable, VendorError
from connectors.models import CallLog, CallOutcome, Connection

__all__ = [
    "Attempt",
    "CircuitOpen",
    "Disconnected",
    "Rejected",
    "Unavailable",
    "VendorError",
    "backoff",
    "call",
    "redact",
]

T = TypeVar("T")


@dataclass
class Attempt:
    """One attempt of a call; ``fn`` fills in what the call log shows."""

    number: int
    idempotency_key: str
    method: str = ""
    path: str = ""
    status_code: int | None = None
    vendor_request_id: str = ""


_PATTERNS = [
    (re.compile(r"\b(sk|rk|pk)_(test|live)_[A-Za-z0-9]+"), r"\1_\2_[redacted]"),
    (re.compile(r"\bwhsec_[A-Za-z0-9]+"), "whsec_[redacted]"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [redacted]"),
    (re.compile(r"(?i)(client_secret|password|api_key|access_token|refresh_token)=[^&\s]+"), r"\1=[redacted]"),
    (re.compile(r"\b(?:\d[ -]?){12,18}\d\b"), "[card number]"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email]"),
]


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the connection's secrets, keys, tokens, card numbers and email addresses taken out."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text[:500]


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait before attempt ``attempt + 1``: exponential with full jitter, never less than Retry-After."""
    base = settings.CONNECTOR_RETRY_BASE_SECONDS * (2 ** (attempt - 1))
    wait = random.uniform(base / 2, base)
    return max(wait, retry_after or 0.0)


def _log(connection: Connection, operation: str, attempt: Attempt, outcome: str, started: float, error: str) -> None:
    from connectors import services  # the secrets of the connection, to take out of the error

    CallLog.objects.create(
        organization_id=connection.organization_id,
        connection=connection,
        operation=operation[:80],
        method=attempt.method[:10],
        path=attempt.path.split("?", 1)[0][:500],
        attempt=attempt.number,
        idempotency_key=attempt.idempotency_key[:255],
        vendor_request_id=attempt.vendor_request_id[:255],
        status_code=attempt.status_code,
        outcome=outcome,
        duration_ms=int((time.monotonic() - started) * 1000),
        error=redact(error, services.secret_values(connection)) if error else "",
        created_at=clock.now(),
    )


def call(
    connection: Connection,
    operation: str,
    fn: Callable[[Attempt], T],
    *,
    idempotency_key: str = "",
    attempts: int | None = None,
    max_wait: float | None = None,
) -> T:
    """Make the call through the breaker, retrying what may be retried up to ``attempts`` times.

    Waits between attempts are at most ``max_wait`` seconds (a request path keeps them short; a job gives up
    early and lets its own schedule wait longer). Raises CircuitOpen, Disconnected, Rejected or Unavailable.
    """
    attempts = attempts or settings.CONNECTOR_RETRY_ATTEMPTS
    max_wait = settings.CONNECTOR_RETRY_MAX_WAIT_SECONDS if max_wait is None else max_wait
    for number in range(1, attempts + 1):
        attempt = Attempt(number=number, idempotency_key=idempotency_key)
        started = time.monotonic()
        try:
            breaker.before_call(connection)
        except CircuitOpen as exc:
            _log(connection, operation, attempt, CallOutcome.CIRCUIT_OPEN, started, str(exc))
            raise
        try:
            result = fn(attempt)
        except Rejected as exc:
            _log(connection, operation, attempt, CallOutcome.REJECTED, started, exc.message)
            breaker.record_reachable(connection, exc.message, credentials_refused=exc.status_code in (401, 403))
            raise
        except Unavailable as exc:
            timed_out = exc.status_code is None
            _log(connection, operation, attempt, CallOutcome.TIMEOUT if timed_out else CallOutcome.ERROR, started, exc.message)
            opened = breaker.record_failure(connection, exc.message)
            wait = backoff(number, exc.retry_after)
            if opened or number == attempts or wait > max_wait:
                raise
            clock.sleep(wait)
            continue
        _log(connection, operation, attempt, CallOutcome.OK, started, "")
        breaker.record_success(connection)
        return result
    raise AssertionError("unreachable")  # the loop returns or raises
