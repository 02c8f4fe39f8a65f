"""HTTP conventions applied to every /api/ request before and after the view.

- query parameters arrive camelCase and are handed to views in snake_case; a NUL character in one is a 400;
- ``X-API-Version`` is checked and the served version echoed (api.versions); what the request touched
  that is deprecated is announced with Deprecation, Sunset and Link headers;
- errors raised outside DRF views (unknown URLs, failures in middleware)
  leave in the same JSON error format as everything else;
- the request is metered for its API key or OAuth application (``api.metering``: in memory, no SQL).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from api import metering, versions
from api.casing import underscoreize_query
from api.errors import error_response
from api.payload import NUL
from core import errors as codes
from core.metrics import route_of

logger = logging.getLogger("api")
VERSION_HEADER = "X-API-Version"


def is_api_path(path: str) -> bool:
    return path.startswith("/api/v")


def negotiate_version(requested: str | None) -> str | None:
    """The version to serve for the request's header, or None when it cannot be served (api.versions)."""
    return versions.negotiate(requested)


class ApiRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_path(request.path):
            return self.get_response(request)
        started = time.perf_counter()
        version = negotiate_version(request.headers.get(VERSION_HEADER))
        if version is None:
            response: HttpResponse = error_response(
                codes.UNSUPPORTED_API_VERSION,
                request,
                details=f"Supported versions: {', '.join(versions.supported())}",
                target=VERSION_HEADER,
            )
        elif nul := [key for key, values in request.GET.lists() if NUL in key or any(NUL in v for v in values)]:
            # PostgreSQL cannot compare text with a NUL character: refuse it here, for every parameter of every view.
            details = [
                {
                    "target": key.replace(NUL, "\\u0000"),
                    "code": "NULL_CHARACTERS_NOT_ALLOWED",
                    "message": "Text may not contain NUL.",
                }
                for key in nul
            ]
            response = error_response(
                codes.VALIDATION_ERROR, request, message=details[0]["message"], details=details, target=details[0]["target"]
            )
            response[VERSION_HEADER] = version
        else:
            request.api_version = version  # type: ignore[attr-defined]
            sent = list(request.GET)  # as the partner spelled them, before they become snake_case
            request.GET = underscoreize_query(request.GET)  # type: ignore[assignment]  # immutable, as Django's own
            response = self.get_response(request)
            versions.announce(request, response, route_of(request), sent)
            if response.status_code == 404 and not response.get("Content-Type", "").startswith("application/json"):
                response = error_response(codes.RESOURCE_NOT_FOUND, request)
            response[VERSION_HEADER] = version
            metering.record(request, response.status_code, started)
        response["Vary"] = ", ".join(filter(None, [response.get("Vary"), VERSION_HEADER]))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_api_path(request.path):
            return None
        logger.exception("unhandled error in %s", request.path)
        return error_response(codes.INTERNAL_ERROR, request)
