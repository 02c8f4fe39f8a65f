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
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from core import net

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


# Forms whose traffic reaches the embedded IPv4 host itself (the socket layer, a NAT64 translator, a 6to4
# relay): judged as that IPv4 address alone. Every other form is judged on its embedded address and then
# on itself (IPv4-compatible, IPv4-translated, Teredo and local-use NAT64 are never globally routable).
_STANDS_FOR_IPV4 = ("IPv4-mapped", "NAT64", "6to4")


def refusal(address: str, *, allow_loopback: bool) -> str | None:
    """Why ``address`` may not be contacted, or None for a public address.

    An IPv6 address that embeds an IPv4 address (``core.net.embedded_ipv4``: IPv4-mapped, IPv4-compatible,
    IPv4-translated, 6to4, Teredo, NAT64, ISATAP) is refused when an embedded address would be.
    """
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = net.embedded_ipv4(ip)
        for form, ipv4 in embedded:
            reason = _kind(ipv4, allow_loopback=allow_loopback)
            if reason:
                return reason if form == "IPv4-mapped" else f"{reason} {ipv4} embedded by {form}"
        if embedded and embedded[0][0] in _STANDS_FOR_IPV4:
            return None
    return _kind(ip, allow_loopback=allow_loopback)


def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, *, allow_loopback: bool) -> str | None:
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    # Most specific first (``is_private`` also covers link-local, reserved and unspecified ranges).
    checks = (
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("not globally routable", not ip.is_global),
    )
    return next((label for label, hit in checks if hit), None)


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


def _abort(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


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
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(parts.hostname, port, timeout=timeout, context=ssl.create_default_context())
        else:
            connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

        def pinned(target: Any, timeout: Any = None, source_address: Any = None) -> socket.socket:
            return socket.create_connection((address, target[1]), timeout, source_address)

        connection._create_connection = pinned  # type: ignore[attr-defined]
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # ``timeout`` bounds each socket operation; this bounds the whole exchange (a receiver that
        # trickles its answer a byte at a time would otherwise hold the worker for hours).
        deadline = threading.Timer(timeout, _abort, args=(connection,))
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
