"""One HTTP attempt to a vendor's REST API for adapters without a client library of their own (PayPal's REST
API, Microsoft Graph, ...): base URL from settings, connect and read timeouts, the vendor's idempotency header,
its request-id header into the call log, and the status mapped to ``Unavailable`` or ``Rejected``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import threading
from collections.abc import Callable, Mapping
from typing import Any

import requests
from django.conf import settings

from connectors.calls import Attempt
from connectors.exceptions import Rejected, Unavailable

_local = threading.local()


def session() -> requests.Session:
    """A pooled session per thread (keep-alive to the vendor)."""
    existing = getattr(_local, "session", None)
    if existing is None:
        existing = _local.session = requests.Session()
    return existing


def retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - dt.datetime.now(dt.UTC)).total_seconds(), 0.0)


def timeouts() -> tuple[float, float]:
    return (settings.CONNECTOR_CONNECT_TIMEOUT_SECONDS, settings.CONNECTOR_READ_TIMEOUT_SECONDS)


def _default_error(response: requests.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            return str(error.get("code") or error.get("type") or ""), str(error.get("message") or "")
        return str(body.get("name") or error or ""), str(body.get("message") or body.get("error_description") or "")
    return "", ""


def request(
    attempt: Attempt,
    method: str,
    url: str,
    *,
    request_id_header: str = "",
    idempotency_header: str = "",
    error_parser: Callable[[requests.Response], tuple[str, str]] = _default_error,
    headers: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> requests.Response:
    """Send one request; the 2xx response, or Unavailable / Rejected. Fills ``attempt`` for the call log."""
    sent = dict(headers or {})
    if idempotency_header and attempt.idempotency_key:
        sent[idempotency_header] = attempt.idempotency_key
    attempt.method = method.upper()
    attempt.path = requests.utils.urlparse(url).path
    try:
        response = session().request(method, url, headers=sent, timeout=timeouts(), **kwargs)
    except requests.Timeout as exc:
        raise Unavailable(f"timed out: {type(exc).__name__}") from exc
    except requests.RequestException as exc:
        raise Unavailable(f"unreachable: {type(exc).__name__}") from exc
    attempt.status_code = response.status_code
    attempt.vendor_request_id = response.headers.get(request_id_header, "") if request_id_header else ""
    if response.status_code < 400:
        return response
    code, message = error_parser(response)
    text = f"{response.status_code} {code}: {message}".strip()
    facts: dict[str, Any] = {
        "status_code": response.status_code,
        "vendor_code": code,
        "vendor_request_id": attempt.vendor_request_id,
    }
    if response.status_code == 429 or response.status_code >= 500:
        raise Unavailable(text, retry_after=retry_after(response.headers.get("Retry-After")), **facts)
    raise Rejected(text, **facts)
