"""Server-side cache of API reads (integration specification, section 8.3).

A view opts in per action (``cached_actions``); the cache is on when
``API_READ_CACHE_SECONDS`` is above 0. Entries are keyed by organization, the
organization's generation (``core.generations``, which every committed write
moves on), the caller's role, the served API version and the full URL, so a
write retires every cached read of its organization at once and nothing stale
is served. The TTL bounds what a change made outside the services could leave.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.http import parse_http_date_safe
from rest_framework.request import Request
from rest_framework.response import Response

from core import generations

HEADER = "X-Cache"
_KEPT_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Link", "X-Total-Count", "Cache-Control")


class Hit(Exception):
    def __init__(self, response: HttpResponse, etag: str | None, timestamp: int | None) -> None:
        self.response = response
        self.etag = etag
        self.timestamp = timestamp


def enabled() -> bool:
    return int(getattr(settings, "API_READ_CACHE_SECONDS", 0) or 0) > 0


def key_for(request: Request, organization_id: Any, role: str | None) -> str:
    version = getattr(request._request, "api_version", "")
    url = request._request.get_full_path()
    # One entry per representation (ADR 0023): the PDF of an invoice is not its JSON.
    media_type = getattr(request, "accepted_media_type", "") or ""
    digest = hashlib.sha256(f"{version}|{role}|{url}|{media_type}".encode()).hexdigest()[:40]
    return f"apiread:{organization_id}:{generations.current(organization_id)}:{digest}"


def lookup(key: str) -> None:
    """Raise Hit with the stored response, or return when there is none."""
    stored = cache.get(key)
    if stored is None:
        return
    response = HttpResponse(stored["body"], status=200)
    for name, value in stored["headers"].items():
        response[name] = value
    response[HEADER] = "hit"
    last_modified = stored["headers"].get("Last-Modified")
    raise Hit(response, stored["headers"].get("ETag"), parse_http_date_safe(last_modified) if last_modified else None)


def store(key: str, response: Response) -> None:
    if response.status_code != 200:
        return
    response.render()
    headers = {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)}
    cache.set(key, {"body": response.content, "headers": headers}, timeout=settings.API_READ_CACHE_SECONDS)
    response[HEADER] = "miss"
