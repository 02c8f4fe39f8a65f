"""Client addresses (who is on the other end of a request, behind the trusted proxies), and which addresses the
platform may contact on its own (SSRF: ``refusal``)."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Mapping
from typing import Any

from django.conf import settings


def client_ip(meta: Mapping[str, Any]) -> str:
    """REMOTE_ADDR, or the address the nearest of ``NUM_PROXIES`` trusted proxies saw (X-Forwarded-For).

    ``meta`` is a request's META (or the headers django-oauth-toolkit hands oauthlib, which copy it).
    """
    proxies = int(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        hops = [h.strip() for h in str(forwarded).split(",") if h.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return str(meta.get("REMOTE_ADDR", ""))


def ip_allowed(address: str, allowed: list[str]) -> bool:
    """Whether ``address`` is in one of the CIDR ranges (an empty list allows every address)."""
    if not allowed:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(cidr, strict=False) for cidr in allowed)


# IPv6 prefixes whose addresses carry an IPv4 address (RFC 6052 section 2.1, RFC 8215, RFC 4291 section 2.5.5,
# RFC 2765 section 2.1). ``ipaddress`` decodes 6to4, Teredo and IPv4-mapped itself; these it does not.
NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
# ISATAP interface identifiers (RFC 5214 section 6.1): ``0000:5efe`` or ``0200:5efe`` then the IPv4 address.
_ISATAP_IDS = (0x00005EFE, 0x02005EFE)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses ``ip`` carries, each with the name of the form that carries it; empty for none.

    Teredo (2001::/32, RFC 4380 section 4) carries two: the server (bits 32-63) and the client (the last
    32 bits inverted). A local-use NAT64 prefix (64:ff9b:1::/48) may be cut at any RFC 6052 length; the
    last 32 bits (the /96 layout DNS64 uses) are reported. ``::`` and ``::1`` are not IPv4-compatible.
    """
    value = int(ip)
    low = ipaddress.IPv4Address(value & 0xFFFFFFFF)
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if ip.ipv4_mapped is not None:
        found.append(("IPv4-mapped", ip.ipv4_mapped))
    elif ip in IPV4_TRANSLATED:
        found.append(("IPv4-translated", low))
    elif ip in IPV4_COMPATIBLE and value > 1:
        found.append(("IPv4-compatible", low))
    elif ip in NAT64_WELL_KNOWN:
        found.append(("NAT64", low))
    elif ip in NAT64_LOCAL_USE:
        found.append(("local-use NAT64", low))
    elif ip.sixtofour is not None:
        found.append(("6to4", ip.sixtofour))
    elif ip.teredo is not None:
        server, client = ip.teredo
        found += [("Teredo server", server), ("Teredo client", client)]
    if (value >> 32) & 0xFFFFFFFF in _ISATAP_IDS:
        found.append(("ISATAP", low))
    return found


# Forms whose traffic reaches the embedded IPv4 host itself (the socket layer, a NAT64 translator, a 6to4
# relay): judged as that IPv4 address alone. Every other form is judged on its embedded address and then
# on itself (IPv4-compatible, IPv4-translated, Teredo and local-use NAT64 are never globally routable).
_STANDS_FOR_IPV4 = ("IPv4-mapped", "NAT64", "6to4")


def refusal(address: str, *, allow_loopback: bool) -> str | None:
    """Why ``address`` may not be contacted, or None for a public address.

    An IPv6 address that embeds an IPv4 address (``embedded_ipv4``: IPv4-mapped, IPv4-compatible,
    IPv4-translated, 6to4, Teredo, NAT64, ISATAP) is refused when an embedded address would be.
    """
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = embedded_ipv4(ip)
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


def pinned_connection(scheme: str, host: str, port: int, address: str, *, timeout: float) -> http.client.HTTPConnection:
    """A connection to ``host`` whose socket goes to ``address`` (the one that was checked with ``refusal``), so no
    second DNS lookup can swap in another (DNS rebinding); TLS still verifies the certificate against ``host`` and
    sends it as SNI, and the Host header names it. Redirects are never followed (``http.client`` does not)."""
    connection: http.client.HTTPConnection
    if scheme == "https":
        connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def pinned(target: Any, timeout: Any = None, source_address: Any = None) -> socket.socket:
        return socket.create_connection((address, target[1]), timeout, source_address)

    connection._create_connection = pinned  # type: ignore[attr-defined]
    return connection


def cut(connection: http.client.HTTPConnection) -> None:
    """Shut the connection's socket: a deadline timer's action, bounding a whole exchange where ``timeout`` bounds
    each socket operation only (a server trickling its answer a byte at a time)."""
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
