"""Idempotency-Key on POST: the first response is stored for 24 hours and replayed.

The key is scoped to the caller and organization. The same key with a
different method, path or body is a 422; a key whose first request is still
running is a 409. Server errors (5xx) are not stored, so the client may retry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

from api.exceptions import ApiError
from api.models import IdempotencyRecord
from core import errors as codes

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
_KEPT_HEADERS = ("Content-Type", "Location", "ETag", "Last-Modified")


class Replay(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


@dataclass
class Claim:
    record_id: int


def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update((request.method or "").encode())
    digest.update(b"\0")
    digest.update(request.get_full_path().encode())
    digest.update(b"\0")
    if (request.content_type or "").startswith("multipart/"):
        # Uploads are not read into memory here; their size stands in for the body.
        digest.update(request.headers.get("Content-Length", "").encode())
    else:
        digest.update(request._request.body)
    return digest.hexdigest()


def begin(request: Request, scope: str) -> Claim | None:
    """Claim the key for this request, or raise Replay / ApiError. None when no key was sent."""
    key = request.headers.get(HEADER)
    if key is None or request.method != "POST":
        return None
    if not _VALID_KEY.match(key):
        raise ApiError(codes.INVALID_IDEMPOTENCY_KEY, target=HEADER)
    fingerprint = _fingerprint(request)
    now = timezone.now()
    for _ in range(2):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope,
                    key=key,
                    fingerprint=fingerprint,
                    expires_at=now + dt.timedelta(seconds=settings.API_IDEMPOTENCY_TTL_SECONDS),
                )
            return Claim(record_id=record.id)
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
            if existing is None:
                continue
            if existing.expires_at <= now:
                existing.delete()
                continue
            if existing.fingerprint != fingerprint:
                raise ApiError(codes.IDEMPOTENCY_KEY_REUSED, target=HEADER) from None
            if existing.state == IdempotencyRecord.State.IN_PROGRESS:
                raise ApiError(codes.IDEMPOTENCY_KEY_IN_PROGRESS, target=HEADER) from None
            raise Replay(_replayed(existing)) from None
    raise ApiError(codes.IDEMPOTENCY_KEY_IN_PROGRESS, target=HEADER)


def _replayed(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body), status=record.response_status or 200)
    for name, value in record.response_headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def finish(claim: Claim, response: Response) -> None:
    """Store a final response; release the key after a server error so a retry can run."""
    if response.status_code >= 500:
        IdempotencyRecord.objects.filter(pk=claim.record_id).delete()
        return
    response.render()
    IdempotencyRecord.objects.filter(pk=claim.record_id).update(
        state=IdempotencyRecord.State.COMPLETED,
        response_status=response.status_code,
        response_headers={h: response[h] for h in _KEPT_HEADERS if response.has_header(h)},
        response_body=response.content,
    )


def purge_expired() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
