"""Building error bodies in the one format of the API (DESIGN.md, seed section 3.7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from core.correlation import get_correlation_id
from core.errors import ErrorCode


def documentation_url(code: str, request: HttpRequest | None = None) -> str:
    base = settings.API_ERROR_DOCS_URL.rstrip("/")
    if base:
        return f"{base}/{code}"
    path = f"/api/errors/{code}"
    return request.build_absolute_uri(path) if request is not None else f"{settings.SITE_URL}{path}"


def error_body(
    error: ErrorCode,
    *,
    message: str | None = None,
    details: Any = None,
    target: str | None = None,
    status: int | None = None,
    request: HttpRequest | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": error.code,
        "message": message or error.title,
        "details": details if details is not None else error.description,
        "target": target,
        "status": status or error.status,
        "timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "correlationId": get_correlation_id(),
        "documentation": documentation_url(error.code, request),
    }
    if extra:
        body.update(extra)
    return {"error": body}


def error_response(error: ErrorCode, request: HttpRequest | None = None, **kwargs: Any) -> JsonResponse:
    body = error_body(error, request=request, **kwargs)
    return JsonResponse(body, status=body["error"]["status"])
