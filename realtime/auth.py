"""Who a stream connection is, in which organization, and which event types it may read.

The same credentials as the REST API, judged by the API's own authentication classes
(``api.authentication``): an API key or an OAuth access token in ``Authorization: Bearer``
(or ``X-API-Key``), or the session of a signed-in user. Browsers cannot set headers on a
WebSocket or an EventSource, so the credential may also come as the ``access_token`` query
parameter (RFC 6750 section 2.3) or, on a WebSocket, as the subprotocol ``bearer.<credential>``
offered beside ``emp.stream.v1``; one credential per connection, as on the API. A session
names its organization with the ``organization`` query parameter (else its first), and a
portal member may name their developer organization's sandbox. A session-authenticated
WebSocket must come from one of the platform's own origins (cross-site WebSocket hijacking:
browsers send cookies with a WebSocket to any origin's page).

Each event type needs the read scope of its resource (``api.scopes.STREAM_SCOPES``): an API
key or client-credentials application its scopes; a user's OAuth token the scope and the role's
permissions it exercises; a session the role's permissions.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest
from django.http.request import validate_host
from django.utils.functional import SimpleLazyObject
from rest_framework import exceptions as drf
from rest_framework.request import Request

from accounts import errors as account_errors
from accounts.models import AccessToken, ApiKey, Organization, OrganizationKind, User
from accounts.roles import role_has
from accounts.scopes import SCOPES
from accounts.selectors import membership_for
from api.authentication import ApiKeyAuthentication, OAuthTokenAuthentication, SessionAuthentication
from api.context import AuthContext, resolve
from api.exceptions import ApiError, CredentialsRejected, exception_handler
from api.scopes import STREAM_SCOPES
from core import errors as codes
from realtime import errors

PROTOCOL = "emp.stream.v1"  # the WebSocket subprotocol of the stream
BEARER_PROTOCOL = "bearer."  # a subprotocol carrying the credential: bearer.<API key or access token>
ORGANIZATION_PARAM = "organization"
TOKEN_PARAM = "access_token"


@dataclass(frozen=True)
class Listener:
    """A connection's right to the stream: its organization, the types it may read, when its credential ends."""

    organization_id: uuid.UUID
    types: frozenset[str]
    kind: str
    expires_at: dt.datetime | None = None


def readable_types(ctx: AuthContext) -> frozenset[str]:
    """The stream's event types the caller may read: the type's scope (tokens and keys) and its permissions (roles)."""
    found = set()
    for event_type, scope in STREAM_SCOPES.items():
        if ctx.scopes is not None and scope not in ctx.scopes:
            continue
        if ctx.role is not None and not all(role_has(ctx.role, perm) for perm in SCOPES[scope][1]):
            continue
        if ctx.role is None and ctx.scopes is None:
            continue
        found.add(event_type)
    return frozenset(found)


def request_from_scope(scope: dict[str, Any]) -> HttpRequest:
    """A Django request for a WebSocket's handshake (its headers, query, cookies, session), for the API's classes."""
    request = ASGIRequest({**scope, "method": "GET"}, io.BytesIO())
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
    return request


def reload_session(request: HttpRequest) -> None:
    """Read the request's session and user again (a connection checks them again while it lasts)."""
    if not hasattr(request, "session"):
        return
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.session.session_key)
    request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]


def take_credential(request: HttpRequest, *, protocols: list[str] | None = None) -> None:
    """Move a credential of the query (``access_token``) or of a subprotocol into ``Authorization``: one only."""
    # accessToken too: the API's query parameters are camelCase (the API middleware hands views snake_case).
    sent = [value for name in (TOKEN_PARAM, "accessToken") for value in request.GET.getlist(name) if value]
    sent += [
        p[len(BEARER_PROTOCOL) :] for p in protocols or [] if p.startswith(BEARER_PROTOCOL) and len(p) > len(BEARER_PROTOCOL)
    ]
    if not sent:
        return
    if len(sent) > 1 or request.META.get("HTTP_AUTHORIZATION") or request.META.get("HTTP_X_API_KEY"):
        raise CredentialsRejected("Send one credential: a header, the access_token parameter or a bearer subprotocol.")
    request.META["HTTP_AUTHORIZATION"] = f"Bearer {sent[0]}"


def _same_origin(request: HttpRequest) -> bool:
    """Whether the page that opened the WebSocket is the platform's: its ``Origin`` names the host the connection
    was made to (or ``SITE_URL``'s), and that host is one the platform answers to."""
    origin = request.META.get("HTTP_ORIGIN", "")
    host = urlsplit(origin).hostname if origin else None
    if host is None or not validate_host(host, [*settings.ALLOWED_HOSTS, urlsplit(settings.SITE_URL).hostname or ""]):
        return False
    connected_to = urlsplit(f"//{request.META.get('HTTP_HOST', '')}").hostname
    return host in {connected_to, urlsplit(settings.SITE_URL).hostname}


def _named_organization(request: HttpRequest) -> uuid.UUID | None:
    raw = request.GET.get(ORGANIZATION_PARAM) or request.headers.get("X-Organization-ID")
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ApiError(account_errors.ORGANIZATION_NOT_FOUND, target=ORGANIZATION_PARAM) from None


def _session_context(request: Request, user: User) -> AuthContext:
    """A signed-in user in the organization named (or their first), or in the sandbox of a developer organization
    they belong to, with their role there (a sandbox has no members of its own, ADR 0010)."""
    named = _named_organization(request._request)
    membership = membership_for(user=user, organization_id=named)
    if membership is not None:
        return AuthContext(user=user, organization=membership.organization, role=membership.role)
    if named is None:
        raise ApiError(codes.NO_ORGANIZATION)
    sandbox = Organization.objects.filter(pk=named, kind=OrganizationKind.SANDBOX).first()
    parent = membership_for(user=user, organization_id=sandbox.sandbox_of_id) if sandbox is not None else None
    if sandbox is None or parent is None:
        raise ApiError(account_errors.ORGANIZATION_NOT_FOUND, target=ORGANIZATION_PARAM)
    return AuthContext(user=user, organization=sandbox, role=parent.role)


def authenticate(request: HttpRequest, *, websocket: bool = False) -> Listener:
    """The listener of a connection's request; raises the API's errors (``ApiError``, 401/403/404) as the API would.

    Runs the API's authentication classes; a session also needs the platform's own ``Origin`` on a WebSocket.
    """
    drf_request = Request(request, authenticators=[ApiKeyAuthentication(), OAuthTokenAuthentication(), SessionAuthentication()])
    return listener_of(drf_request, websocket=websocket)


def listener_of(drf_request: Request, *, websocket: bool = False) -> Listener:
    """``authenticate`` for a request the API's view has wrapped already (its credentials are judged once)."""
    request = drf_request._request
    user = drf_request.user
    if not (user and user.is_authenticated):
        raise ApiError(codes.AUTHENTICATION_REQUIRED)
    auth = drf_request.auth
    expires_at = None
    if isinstance(auth, ApiKey | AccessToken):
        # The credential's organization decides, as on the API (resolve() refuses another in X-Organization-ID).
        ctx = resolve(drf_request)
        named = _named_organization(request)
        if named is not None and named not in (ctx.organization.pk, getattr(auth, "organization_id", None)):
            raise ApiError(account_errors.ORGANIZATION_NOT_FOUND, target=ORGANIZATION_PARAM)
        if isinstance(auth, AccessToken):
            expires_at = auth.expires
    else:
        assert isinstance(user, User)
        if websocket and not _same_origin(request):
            raise ApiError(codes.PERMISSION_DENIED, "A signed-in session streams only from the platform's own pages.")
        ctx = _session_context(drf_request, user)
    types = readable_types(ctx)
    if not types:
        raise ApiError(errors.NO_STREAM_EVENTS)
    return Listener(organization_id=ctx.organization.pk, types=types, kind=ctx.kind, expires_at=expires_at)


def error_of(exc: drf.APIException) -> dict[str, Any]:
    """A refusal as the API's error body (``{"error": {...}}``)."""
    return dict(exception_handler(exc, {"request": None}).data)
