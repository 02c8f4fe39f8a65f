"""Authentication classes of the API. OAuth 2.0 bearer tokens and API keys join here."""

from __future__ import annotations

from rest_framework import authentication
from rest_framework.request import Request


class SessionAuthentication(authentication.SessionAuthentication):
    """Django session of a signed-in user; writes need the CSRF token (X-CSRFToken)."""

    def authenticate_header(self, request: Request) -> str:
        # Answer 401 (not 403) to anonymous callers, naming how to authenticate.
        return 'Session realm="api"'
