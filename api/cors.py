"""CORS for browser applications: only origins registered on an OAuth application, none otherwise.

A preflight is answered for an origin some application lists in its allowed
origins. An actual request made with an OAuth token gets the CORS headers only
when the token's own application lists the origin; a request without one (an
error, typically) when any application does. Credentials (cookies) are never
allowed cross-origin: browser applications send their token in Authorization.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from accounts import selectors
from api.middleware import is_api_path

ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
ALLOWED_HEADERS = (
    "Authorization, Accept, Content-Type, Idempotency-Key, If-Match, If-None-Match, If-Unmodified-Since, "
    "X-API-Version, X-Correlation-ID, X-Organization-ID"
)
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Link, Location, Retry-After, X-API-Version, X-Correlation-ID, "
    "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Total-Count"
)
PREFLIGHT_MAX_AGE = 600


class CorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = request.headers.get("Origin")
        if not origin or not is_api_path(request.path):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)
            if selectors.origin_registered(origin=origin):
                response["Access-Control-Allow-Origin"] = origin
                response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
                response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
                response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
            patch_vary_headers(response, ["Origin"])
            return response
        response = self.get_response(request)
        application = getattr(getattr(request, "auth", None), "application", None)
        allowed = application.origin_allowed(origin) if application is not None else selectors.origin_registered(origin=origin)
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        patch_vary_headers(response, ["Origin"])
        return response
