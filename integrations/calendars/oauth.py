"""OAuth 2.0 for personal calendars: the authorization code grant with PKCE (RFC 6749 §4.1, RFC 7636), offline
access (a refresh token), the refresh (RFC 6749 §6), and a revoked grant.

The PKCE pair is authlib's (``create_s256_code_challenge``); the token requests go through the connector
framework (``connectors.calls`` + ``connectors.http``), so they are retried, logged and behind the breaker like any
other vendor call. A refresh answered ``invalid_grant`` (RFC 6749 §5.2: the user revoked the access, or the
refresh token expired) disconnects the connection and tells its owner once (``sync.connection_lost``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from connectors import calls, clock, http
from connectors import services as connector_services
from connectors.exceptions import Disconnected, Rejected, Unavailable
from connectors.models import Connection, ConnectionStatus
from core import secrets as stored_secrets
from integrations.calendars.port import CalendarAdapter, Tokens


@dataclass(frozen=True)
class Authorization:
    url: str
    state: str  # RFC 6749 §10.12: ties the callback to this browser's session
    verifier: str  # RFC 7636 §4.1: kept in the session, sent with the code


def authorization(adapter: CalendarAdapter, *, redirect_uri: str, login_hint: str = "") -> Authorization:
    """Where to send the user: the vendor's consent page for offline access to their calendar's events."""
    state = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(64)  # 86 characters of [A-Za-z0-9_-]: within RFC 7636's 43-128
    client_id, _ = adapter.client()
    params = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": " ".join(adapter.scopes),
        "state": state,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
        # Google names offline access so (and re-asks consent so a refresh token is issued again); Microsoft
        # issues one for the offline_access scope and ignores these.
        "access_type": "offline",
        "prompt": "consent",
    }
    if login_hint:
        params["login_hint"] = login_hint
    return Authorization(url=f"{adapter.authorize_url()}?{urlencode(params)}", state=state, verifier=verifier)


def _token_request(connection: Connection, adapter: CalendarAdapter, form: dict[str, str], operation: str) -> Tokens:
    client_id, client_secret = adapter.client()
    body = {**form, "client_id": client_id, "client_secret": client_secret}

    def attempt(a: calls.Attempt) -> Tokens:
        data = http.request(a, "POST", adapter.token_url(), data=body, headers={"Accept": "application/json"}).json()
        return Tokens(
            access_token=str(data["access_token"]),
            expires_in=int(data.get("expires_in") or 3600),
            refresh_token=str(data.get("refresh_token") or ""),
        )

    return calls.call(connection, operation, attempt, attempts=2, max_wait=2.0)


def exchange(connection: Connection, adapter: CalendarAdapter, *, code: str, verifier: str, redirect_uri: str) -> Tokens:
    """Trade the authorization code (and the PKCE verifier) for tokens and keep them, encrypted, on the connection."""
    tokens = _token_request(
        connection,
        adapter,
        {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier},
        "oauth.token",
    )
    connector_services.tokens_store(
        connection, access=tokens.access_token, expires_in=tokens.expires_in, refresh=tokens.refresh_token
    )
    return tokens


def access_token(connection: Connection, adapter: CalendarAdapter) -> str:
    """A valid access token: the stored one, or a refreshed one. Disconnected when the grant was revoked."""
    if connection.status == ConnectionStatus.DISCONNECTED:
        raise Disconnected("the calendar connection is disconnected")

    def refresh() -> tuple[str, int, str]:
        if not connection.refresh_token:
            raise Disconnected("no refresh token: the calendar must be connected again")
        form = {"grant_type": "refresh_token", "refresh_token": stored_secrets.decrypt(connection.refresh_token)}
        try:
            tokens = _token_request(connection, adapter, form, "oauth.refresh")
        except Rejected as exc:
            if exc.vendor_code == "invalid_grant":
                from integrations.calendars.sync import connection_lost

                connection_lost(connection=connection, reason=exc.message)
                raise Disconnected(f"the calendar's grant was revoked ({exc.vendor_code or exc.status_code})") from exc
            raise
        return tokens.access_token, tokens.expires_in, tokens.refresh_token  # a new refresh token replaces the old

    return connector_services.access_token(connection, refresh)


def api_call(
    connection: Connection,
    adapter: CalendarAdapter,
    operation: str,
    method: str,
    url: str,
    *,
    error_parser: Callable[[requests.Response], tuple[str, str]],
    idempotency_key: str = "",
    rate_limit_codes: frozenset[str] = frozenset(),
    **kwargs: Any,
) -> requests.Response:
    """One call to the vendor's API with the connection's bearer token, through the breaker, retries and log.

    A 401 means the access token expired or was revoked early: it is dropped, and the retry refreshes it (a
    revoked grant then ends in Disconnected). A 403 whose vendor code is in ``rate_limit_codes`` (Google's
    ``rateLimitExceeded``) is a rate limit, retried like a 429 rather than taken as refused credentials.
    """

    def attempt(a: calls.Attempt) -> requests.Response:
        token = access_token(connection, adapter)
        try:
            return http.request(a, method, url, headers={"Authorization": f"Bearer {token}"}, error_parser=error_parser, **kwargs)
        except Rejected as exc:
            if exc.status_code == 401:
                connection.token_expires_at = clock.now()
                Connection.objects.filter(pk=connection.pk).update(token_expires_at=connection.token_expires_at)
                raise Unavailable(exc.message, status_code=401) from exc
            if exc.status_code == 403 and exc.vendor_code in rate_limit_codes:
                raise Unavailable(exc.message, status_code=403, vendor_code=exc.vendor_code) from exc
            raise

    # A due refresh is made before the call, not inside it: the refresh is a breaker-guarded call of its own, and
    # nested inside a half-open probe (the first call after an outage) it would find the probe in flight and fail.
    access_token(connection, adapter)
    return calls.call(connection, operation, attempt, idempotency_key=idempotency_key, attempts=3, max_wait=5.0)
