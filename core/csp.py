"""The Content-Security-Policy of every HTML page: one policy, set by one middleware.

No template of the platform has inline scripts, inline styles or event-handler
attributes (scripts and styles are static files of this origin), so every page
gets a strict policy: the developer portal, the organizer console (the Django
admin, whose own scripts and styles are static files too), the authorization
server's sign-in and consent pages, the API docs (Swagger UI from local static
files) and the error reference. A page that needs more says so with ``allow``
(partners' logos, the consent page's redirect to the client); nothing else
loosens the policy.

Under ``DEBUG`` Django's technical error pages (inline styles and scripts) are
left without a policy so that they stay readable; every other response keeps it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"

DIRECTIVES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),  # data: for the TOTP QR code (an SVG data URI) and Swagger UI's icons
    "frame-ancestors": ("'none'",),
    "form-action": ("'self'",),
    "base-uri": ("'self'",),
    "object-src": ("'none'",),
}
# Fetch directives a page may add with ``allow`` (they start from the page's default-src 'self').
ADDABLE = ("connect-src", "frame-src", "font-src")
# Stripe.js (the hosted checkout page): its script, its iframes and its API, and nothing else (docs.stripe.com/security/guide#content-security-policy).
STRIPE_JS = {
    "script_src": ("https://js.stripe.com", "https://*.js.stripe.com"),
    "frame_src": ("https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"),
    "connect_src": ("https://api.stripe.com",),
}
# Documents a browser may run scripts in; JSON, CSV and the like need no policy.
DOCUMENT_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml")
# CSP host sources name no IPv6 literal: a loopback http URL is allowed by these names, on any port.
_LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def policy(**extra: Iterable[str]) -> str:
    """The platform's policy with ``extra`` sources added to their directives (``img_src=["https:"]`` -> img-src)."""
    directives = {name: list(sources) for name, sources in DIRECTIVES.items()}
    for key, sources in extra.items():
        name = key.replace("_", "-")
        if name not in directives and name in ADDABLE:
            directives[name] = ["'self'"]
        if name not in directives:
            raise ValueError(f"unknown directive {name}")
        for source in sources:
            if source and source not in directives[name]:
                directives[name].append(source)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


CONTENT_SECURITY_POLICY = policy()


def allow(response: HttpResponse, **extra: Iterable[str]) -> HttpResponse:
    """Give ``response`` the platform's policy with ``extra`` sources added (see ``policy``); returns it."""
    response[HEADER] = policy(**extra)
    return response


def source_of(url: str) -> str:
    """The source expression that names ``url``'s origin, or "" where CSP cannot name it.

    ``https://host[:port]`` for a web URL; ``http://127.0.0.1:*`` for a loopback http URL (a native app's
    redirect URI may use any port, RFC 8252 section 7.3); ``scheme:`` for a private-use URI scheme
    (RFC 8252 section 7.1). An IPv6 literal has no source expression (CSP Level 3, host-source).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if not scheme:
        return ""
    if scheme not in ("http", "https"):
        return f"{scheme}:"
    if not host or _is_ipv6(host):
        return ""
    if scheme == "http" and host in _LOOPBACK_NAMES:
        return f"http://{host}:*"
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


class ContentSecurityPolicyMiddleware:
    """Adds the platform's Content-Security-Policy to every HTML response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER in response or not response.get("Content-Type", "").startswith(DOCUMENT_TYPES):
            return response
        if settings.DEBUG and response.status_code >= 400:
            return response  # Django's technical error pages use inline styles and scripts
        response[HEADER] = CONTENT_SECURITY_POLICY
        return response
