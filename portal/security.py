"""The Content-Security-Policy of the developer portal's pages: the platform's (``core.csp``), set on every HTML
page by ``core.csp.ContentSecurityPolicyMiddleware``, and the one variant the portal needs.

``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin`` come
from Django's middleware (settings ``X_FRAME_OPTIONS``, ``SECURE_CONTENT_TYPE_NOSNIFF``, ``SECURE_REFERRER_POLICY``).
"""

from __future__ import annotations

from core import csp

CONTENT_SECURITY_POLICY = csp.CONTENT_SECURITY_POLICY
# The Apps pages show partners' logos from their own servers: https anywhere, http on loopback addresses
# (accounts.models.logo_url_problem). Scripts, styles and everything else stay as strict.
PARTNER_IMAGES_CONTENT_SECURITY_POLICY = csp.policy(img_src=["https:", "http://localhost:*", "http://127.0.0.1:*"])
