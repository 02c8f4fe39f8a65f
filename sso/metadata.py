"""A SAML identity provider's metadata, fetched from the URL the IdP publishes it at (ADR 0021).

The URL is the organization owner's input, so the platform fetches it as it delivers webhooks: https only
(``SSO_METADATA_ALLOW_HTTP`` for local development), the host resolved once and every address checked
(``core.net.refusal``: no loopback, private, link-local ... address, so the platform's own network cannot be
probed), the connection opened to the address that was checked (no second lookup), no redirects followed, at most
``SSO_METADATA_MAX_BYTES`` read, and ``SSO_HTTP_TIMEOUT`` for the whole exchange. Every failure is a
``Unreachable`` saying what went wrong, which the services turn into IDENTITY_PROVIDER_METADATA_UNREACHABLE.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

from core import net

ACCEPT = "application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8"


class Unreachable(Exception):
    """The metadata could not be fetched from the URL (the message says why, for the owner)."""


def _address(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unreachable(f"{host} does not resolve ({exc})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        reason = net.refusal(address, allow_loopback=settings.SSO_METADATA_ALLOW_LOOPBACK)
        if reason:
            raise Unreachable(f"{host} resolves to {address} ({reason}), which the platform does not contact")
    if not addresses:
        raise Unreachable(f"{host} does not resolve")
    return addresses[0]


def fetch(url: str) -> str:
    """The document at ``url`` (UTF-8 text); raises Unreachable."""
    parts = urlsplit(url)
    schemes = ("https", "http") if settings.SSO_METADATA_ALLOW_HTTP else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise Unreachable(f"the metadata URL must be an {' or '.join(schemes)} URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Unreachable("the URL's port is not a number") from None
    address = _address(parts.hostname, port)
    timeout = float(settings.SSO_HTTP_TIMEOUT)
    limit = int(settings.SSO_METADATA_MAX_BYTES)
    connection = net.pinned_connection(parts.scheme, parts.hostname, port, address, timeout=timeout)
    started = time.monotonic()
    deadline = threading.Timer(timeout, net.cut, args=(connection,))  # bounds the whole exchange, not each read
    deadline.daemon = True
    deadline.start()
    try:
        connection.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), headers={"Accept": ACCEPT})
        response = connection.getresponse()
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise Unreachable(f"the document is {declared} bytes, more than the {limit} accepted")
        body = response.read(limit + 1)
    except Unreachable:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if time.monotonic() - started >= timeout:
            raise Unreachable(f"no complete answer from {parts.hostname} within {timeout:g} s") from None
        raise Unreachable(f"{parts.hostname}: {type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from None
    finally:
        deadline.cancel()
        connection.close()
    if time.monotonic() - started >= timeout:
        raise Unreachable(f"no complete answer from {parts.hostname} within {timeout:g} s")
    if response.status != 200:
        where = f" to {response.getheader('Location')}" if 300 <= response.status < 400 else ""
        hint = " (redirects are not followed: give the final URL)" if where else ""
        raise Unreachable(f"{url} answered {response.status} {response.reason}{where}{hint}")
    if len(body) > limit:
        raise Unreachable(f"the document is more than the {limit} bytes accepted")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreachable("the document is not UTF-8 text") from None
