"""Receiver-side helpers: verify a recorded request with the Standard Webhooks reference library."""

from __future__ import annotations

import datetime as dt
from typing import Any

import standardwebhooks.webhooks as standard
from standardwebhooks.webhooks import Webhook


def verify(secret: str, request: Any, at: dt.datetime | None = None) -> Any:
    """The parsed body of ``request`` when its signature verifies with ``secret`` (as of ``at``, default now)."""
    if at is None:
        return Webhook(secret).verify(request.body, request.headers)

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return at

    real = standard.datetime
    standard.datetime = Clock  # type: ignore[misc]
    try:
        return Webhook(secret).verify(request.body, request.headers)
    finally:
        standard.datetime = real  # type: ignore[misc]
