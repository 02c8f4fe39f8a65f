"""Client addresses: who is on the other end of a request, behind the trusted proxies."""

from __future__ import annotations

import ipaddress
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
