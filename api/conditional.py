"""ETag and Last-Modified on reads, 304 on a matching If-None-Match / If-Modified-Since,
412 on a failed If-Match / If-Unmodified-Since before a write (RFC 9110, section 13), checked by the
write's service under its locks (``ApiViewSet.precondition``), so it still holds when the write happens.

The ETag is a hash of the representation's bytes: the body a GET sends, or, for
a write's If-Match, the same data rendered by the same JSON renderer, so a GET's
tag and a later write's check compare the same bytes. A GET hashes the body it
renders anyway, so the representation is encoded once per request (ADR 0024).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from rest_framework.request import Request
from rest_framework.response import Response

from api.casing import CamelCaseJSONRenderer
from api.exceptions import ApiError
from core import errors as codes

_JSON = CamelCaseJSONRenderer()


def _tag(raw: bytes) -> str:
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def etag_for(data: Any) -> str:
    """A strong validator of the representation: a document's own bytes, or the data as the API's JSON renders it
    (the bytes of the JSON body a GET of it sends)."""
    return _tag(data if isinstance(data, bytes) else _JSON.render(data))


def apply_read_validators(request: Request, response: Response, last_modified: dt.datetime | None) -> Response:
    """Set ETag/Last-Modified on a 200 GET and answer 304 when the client's copy is current.

    ``response`` has its renderer (``finalize_response``): it is rendered here and its body hashed.
    """
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    media_type = getattr(request, "accepted_media_type", "") or ""
    if isinstance(response.data, bytes):
        etag = etag_for(response.data)
    elif type(getattr(request, "accepted_renderer", None)) is CamelCaseJSONRenderer:  # what etag_for renders
        etag = _tag(response.render().content)
    else:  # one validator per representation: the CSV of a list is not its JSON (the media type goes into the tag)
        etag = _tag(media_type.encode() + b"\n" + response.render().content)
    response["ETag"] = etag
    # Clients and shared caches may keep the answer but must revalidate it (ETag) before use.
    response["Cache-Control"] = "private, no-cache"
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    return answer_not_modified(request, response, etag, timestamp)


def answer_not_modified(request: Request, response: Any, etag: str | None, timestamp: int | None) -> Any:
    """A 304 carrying the validators when If-None-Match / If-Modified-Since match, else ``response``."""
    not_modified = get_conditional_response(request._request, etag=etag, last_modified=timestamp, response=response)
    if not_modified is response:
        return response
    short = Response(status=304)
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary", "X-Cache"):
        if response.has_header(header):
            short[header] = response[header]
    return short


def has_write_preconditions(request: Request) -> bool:
    return "If-Match" in request.headers or "If-Unmodified-Since" in request.headers


def check_write_preconditions(request: Request, current_data: Any, last_modified: dt.datetime | None) -> None:
    """Raise 412 PRECONDITION_FAILED when If-Match or If-Unmodified-Since no longer holds."""
    if_match = request.headers.get("If-Match")
    if if_match:
        etags = parse_etags(if_match)
        current = etag_for(current_data)
        if "*" not in etags and current not in etags and f"W/{current}" not in etags:
            raise ApiError(codes.PRECONDITION_FAILED, details=f"Current ETag is {current}", target="If-Match")
        return
    if_unmodified = request.headers.get("If-Unmodified-Since")
    if if_unmodified and last_modified is not None:
        since = parse_http_date_safe(if_unmodified)
        if since is not None and int(last_modified.timestamp()) > since:
            raise ApiError(codes.PRECONDITION_FAILED, target="If-Unmodified-Since")
