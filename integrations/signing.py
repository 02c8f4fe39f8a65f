"""Webhook signatures per the Standard Webhooks specification (symmetric, ``v1``).

A secret is ``whsec_`` + base64 of 32 random bytes; the HMAC-SHA256 key is the
decoded part after the prefix. The signed content is ``{webhook-id}.{webhook-timestamp}.{body}``
and the header value ``v1,<base64 digest>``, several separated by spaces while
an old secret is still valid (spec: "Signature scheme", "Secret rotation").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,`` + base64 HMAC-SHA256 of ``{message_id}.{timestamp}.{body}`` keyed by the decoded secret."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    content = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


def signature_header(secrets_: Sequence[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: one signature per valid secret, the current one first."""
    return " ".join(sign(secret, message_id, timestamp, body) for secret in secrets_)
