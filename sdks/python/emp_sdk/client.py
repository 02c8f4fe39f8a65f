"""A client with the platform's defaults: bearer credentials, a timeout, and errors raised for undocumented answers."""

from __future__ import annotations

import httpx

from emp_sdk.generated import AuthenticatedClient


def connect(base_url: str, token: str, *, timeout: float = 30.0, api_version: str | None = None) -> AuthenticatedClient:
    """A client for ``base_url`` (``https://events.example``) with an API key or an OAuth access token.

    ``api_version`` pins a minor version (``X-API-Version``); without it the
    server's default answers.
    """
    headers = {"X-API-Version": api_version} if api_version else {}
    return AuthenticatedClient(
        base_url=base_url.rstrip("/"),
        token=token,
        timeout=httpx.Timeout(timeout),
        headers=headers,
        raise_on_unexpected_status=True,
    )
