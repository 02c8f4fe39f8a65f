"""Outbound webhook requests, refused when they would reach the platform's own network (SSRF).

The destination host is resolved once, by ``resolve`` (the one place that does),
every address is checked with ``ipaddress``, and the connection is opened to the
address that was checked: no second lookup can swap in another one (DNS
rebinding). TLS still verifies the certificate against the host name and sends
it as SNI, and the Host header names the host. Checking resolved addresses, not
the URL's text, also covers the spellings ``getaddrinfo`` accepts for 127.0.0.1:
``2130706433``, ``0x7f000001``, ``127.1``, ``0177.0.0.1``, ``::ffff:127.0.0.1``, and the IPv6 forms
that carry an IPv4 address (6to4 ``2002:7f00:1::1``, Teredo, NAT64 ``64:ff9b::7f00:1`` ...), which are
judged on the address they carry.
Redirects are never followed (``http.client`` does not).
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from core.net import cut, pinned_connection, refusal

MAX_LOGGED_BYTES = 4096


class DestinationRefused(Exception):
    """The URL or an address its host resolves to is not a public destination."""


@dataclass
class Result:
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    duration_ms: int = 0
    error: str = ""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the one DNS lookup of a delivery)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_address(host: str, port: int, *, allow_loopback: bool) -> str:
    """The address to connect to; raises DestinationRefused when any address of ``host`` is not public."""
    try:
        addresses = resolve(host, port)
    except (socket.gaierror, UnicodeError) as exc:
        raise DestinationRefused(f"{host} does not resolve ({exc})") from exc
    if not addresses:
        raise DestinationRefused(f"{host} does not resolve")
    for address in addresses:
        reason = refusal(address, allow_loopback=allow_loopback)
        if reason:
            raise DestinationRefused(f"{host} resolves to {address} ({reason})")
    return addresses[0]


def post(url: str, headers: dict[str, str], body: bytes, *, timeout: float) -> Result:
    """POST ``body`` to ``url`` through a connection pinned to the checked address; never raises for network errors."""
    started = time.monotonic()
    result = Result()
    try:
        parts = urlsplit(url)
        allowed = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
        if parts.scheme not in allowed or not parts.hostname:
            raise DestinationRefused(f"{parts.scheme or 'no'} scheme is not allowed")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = checked_address(parts.hostname, port, allow_loopback=settings.WEBHOOK_ALLOW_LOOPBACK)
        connection = pinned_connection(parts.scheme, parts.hostname, port, address, timeout=timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # ``timeout`` bounds each socket operation; this bounds the whole exchange (a receiver that
        # trickles its answer a byte at a time would otherwise hold the worker for hours).
        deadline = threading.Timer(timeout, cut, args=(connection,))
        deadline.daemon = True
        deadline.start()
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            merged: dict[str, str] = {}
            for name, value in response.getheaders():
                merged[name.lower()] = f"{merged[name.lower()]}, {value}" if name.lower() in merged else value
            content = response.read(MAX_LOGGED_BYTES)
        finally:
            deadline.cancel()
            connection.close()
        if time.monotonic() - started >= timeout:  # what came before the cut is not an answer
            raise TimeoutError(f"no complete answer within {timeout:g} s")
        result.status, result.headers, result.body = response.status, merged, content
    except DestinationRefused as exc:
        result.error = f"refused: {exc}"
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if time.monotonic() - started >= timeout:
            result.error = f"timed out: no complete answer within {timeout:g} s"
        else:
            result.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    result.duration_ms = int((time.monotonic() - started) * 1000)
    return result
