"""Verify a webhook's signature (Standard Webhooks, ``v1``), with no dependency beyond the standard library.

The platform signs ``{webhook-id}.{webhook-timestamp}.{body}`` with HMAC-SHA256
keyed by the subscription's secret (``whsec_`` + base64); ``webhook-signature``
holds one ``v1,<base64>`` per valid secret, separated by spaces, while a rotated
secret is still accepted. Verify the raw body, before parsing it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

TOLERANCE_SECONDS = 5 * 60


class WebhookVerificationError(ValueError):
    """The request is not a delivery of the platform signed with this secret, or it is too old or too new."""


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise WebhookVerificationError(f"missing header {name}")


def verify(
    secret: str, headers: Mapping[str, str], body: bytes, *, tolerance: int = TOLERANCE_SECONDS, now: float | None = None
) -> Any:
    """The delivery's JSON payload when its signature is valid; :class:`WebhookVerificationError` otherwise."""
    message_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not a number") from None
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        raise WebhookVerificationError("webhook-timestamp is outside the tolerance")
    try:
        key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except binascii.Error:
        raise WebhookVerificationError("the secret is not whsec_ + base64") from None
    content = f"{message_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    for candidate in signatures.split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return json.loads(body)
    raise WebhookVerificationError("no signature matches")
