"""Security headers of the developer portal's pages.

The portal's templates have no inline scripts or styles (scripts and styles are
static files), so its pages carry a strict Content-Security-Policy.
``X-Frame-Options: DENY`` and ``X-Content-Type-Options: nosniff`` come from
Django's middleware (settings ``X_FRAME_OPTIONS`` and ``SECURE_CONTENT_TYPE_NOSNIFF``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PORTAL_PREFIX = "/portal/"


def _policy(img_src: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {img_src}",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = _policy("'self' data:")  # the TOTP QR code is an SVG data URI
# The Apps pages show partners' logos from their own servers: https anywhere, http on loopback addresses
# (accounts.models.logo_url_problem). Scripts, styles and everything else stay as strict.
PARTNER_IMAGES_CONTENT_SECURITY_POLICY = _policy(
    "'self' data: https: http://localhost:* http://127.0.0.1:*"
)  # CSP has no IPv6 literals


class ContentSecurityPolicyMiddleware:
    """Adds the portal's Content-Security-Policy to every response under /portal/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PORTAL_PREFIX):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.setdefault("Referrer-Policy", "same-origin")
        return response
