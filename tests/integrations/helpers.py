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


# Every IPv6 form that carries an IPv4 address, each carrying a non-public one: (address, form, IPv4, reason).
# Teredo (RFC 4380 section 4): 2001:0:<server>:<flags>:<port ^ 0xffff>:<client ^ 0xffffffff>; 93.184.216.34
# inverted is a247:27dd, 127.0.0.1 inverted is 80ff:fffe.
EMBEDDED_IPV4 = [
    ("::ffff:127.0.0.1", "IPv4-mapped", "127.0.0.1", "loopback"),
    ("::ffff:169.254.169.254", "IPv4-mapped", "169.254.169.254", "link-local"),
    ("::7f00:1", "IPv4-compatible", "127.0.0.1", "loopback"),
    ("::ffff:0:a00:1", "IPv4-translated", "10.0.0.1", "private"),
    ("2002:7f00:1::1", "6to4", "127.0.0.1", "loopback"),
    ("2002:a9fe:a9fe::1", "6to4", "169.254.169.254", "link-local"),
    ("2001:0:5db8:d822:8000:f227:80ff:fffe", "Teredo client", "127.0.0.1", "loopback"),
    ("2001:0:a00:1:8000:f227:a247:27dd", "Teredo server", "10.0.0.1", "private"),
    ("64:ff9b::7f00:1", "NAT64", "127.0.0.1", "loopback"),
    ("64:ff9b::a9fe:a9fe", "NAT64", "169.254.169.254", "link-local"),
    ("64:ff9b:1::a00:1", "local-use NAT64", "10.0.0.1", "private"),
    ("2a00:1450:4001:81c::5efe:a00:1", "ISATAP", "10.0.0.1", "private"),
]


def embedded_refusal(form: str, ipv4: str, reason: str) -> str:
    """The refusal ``integrations.network.refusal`` gives for an address of EMBEDDED_IPV4."""
    return reason if form == "IPv4-mapped" else f"{reason} {ipv4} embedded by {form}"
