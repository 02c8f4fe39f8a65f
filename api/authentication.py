"""Authentication classes of the API: API keys, OAuth 2.0 access tokens, the console's session.

A request that carries credentials in a header is judged on them alone: a bad
key or token is a 401, never a fall-back to the session cookie. It carries one:
an ``X-API-Key`` with an ``Authorization`` header that is not the same key, or an
``Authorization`` scheme other than Bearer, is a 401 whatever else is valid.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import authentication
from rest_framework.request import Request

from accounts import errors as account_errors
from accounts import selectors, services, signin
from accounts.models import AccessToken, ApiKey, Organization, User
from accounts.oauth.tokens import InvalidAccessToken, decode_access_token
from api import metering
from api.exceptions import ApiError, CredentialsRejected
from api.models import CredentialKind
from core import errors as codes
from core import net
from core.errors import DomainError
from core.net import ip_allowed
from core.secrets import digest

API_KEY_HEADER = "X-API-Key"
API_KEY_PREFIXES = tuple(services.API_KEY_PREFIXES.values())


class ClientPrincipal:
    """``request.user`` for a client without a user (an API key, a client-credentials application)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, label: str) -> None:
        self.label = label

    def __str__(self) -> str:
        return self.label


def bearer(request: Request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def record_failure(request: Request, method: str, reason: str, client: Any = None, organization_id: Any = None) -> None:
    """Audit a refused credential (``auth.failed``), with the organization when the client is known."""
    services.auth_failure_record(
        ip=net.client_ip(request.META),
        method=method,
        reason=reason,
        client=client,
        organization_id=organization_id,
        path=request.path,
    )


def check_acting_organization(request: Request, method: str, organization: Organization, mode: str, client: Any) -> None:
    """Refuse (403, audited) a test credential whose organization has no sandbox and a live credential of a sandbox.

    Test credentials act only in their organization's sandbox, live ones never do
    (``accounts.selectors.acting_organization``, ADR 0010). The sandbox was loaded
    with the key or token, so this asks the database nothing.
    """
    try:
        selectors.acting_organization(organization, mode)
    except DomainError as exc:
        record_failure(request, method, exc.error.title, client, organization.pk)
        raise ApiError(exc.error, details=exc.details) from None


def refuse_mixed_credentials(request: Request) -> None:
    """401 (audited) when the headers carry more than one credential, or one in a scheme the API does not take.

    Judging only the credential one class happens to read first would let a valid
    ``X-API-Key`` hide a junk ``Authorization`` header (or the reverse): every
    credential a request presents must stand, so a request presents one.
    """
    header_key = request.META.get("HTTP_X_API_KEY")
    authorization = request.META.get("HTTP_AUTHORIZATION")
    if authorization and bearer(request) is None:
        record_failure(request, "authorization", "unsupported Authorization scheme")
        raise CredentialsRejected("The Authorization header is not valid; use Authorization: Bearer <token or API key>.")
    if header_key and authorization and bearer(request) != header_key:
        record_failure(request, "api_key", "two credentials")
        raise CredentialsRejected("Send one credential: an X-API-Key header or an Authorization header, not both.")


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer emp_live_...`` (or ``emp_test_``), or ``X-API-Key: emp_...``."""

    def authenticate(self, request: Request) -> tuple[ClientPrincipal, ApiKey] | None:
        refuse_mixed_credentials(request)
        raw = request.META.get("HTTP_X_API_KEY") or bearer(request)
        if not raw or not raw.startswith(API_KEY_PREFIXES):
            return None
        key = selectors.api_key_by_hash(key_hash=digest(raw))
        now = timezone.now()
        if key is None:
            shown = len(API_KEY_PREFIXES[0]) + services.API_KEY_DISPLAY_CHARS
            record_failure(request, "api_key", f"unknown key {raw[:shown]}…" if len(raw) > 2 * shown else "malformed key")
            raise CredentialsRejected("The API key is not valid.")
        # Refused below or not, whose it is is known: the request counts in the key's usage.
        metering.note_credential(request, CredentialKind.API_KEY, key.pk, key.organization_id)
        status = key.status_at(now)
        if status != "active":
            record_failure(request, "api_key", f"key {status}", key, key.organization_id)
            raise CredentialsRejected(f"The API key is {status}.")
        if not ip_allowed(net.client_ip(request.META), key.allowed_ips):
            record_failure(request, "api_key", "address not in the allowlist", key, key.organization_id)
            raise ApiError(
                codes.IP_NOT_ALLOWED, details=f"Requests from {net.client_ip(request.META)} are not allowed for this key."
            )
        check_acting_organization(request, "api_key", key.organization, key.mode, key)
        services.api_key_mark_used(key=key, now=now)
        return ClientPrincipal(f"API key {key.name}"), key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class OAuthTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <JWT>``: an access token of the platform's authorization server (RFC 6750).

    The signature (against the published keys), ``iss``, ``aud`` and ``exp`` are
    checked first, so a forged or expired token costs no query; then the token
    is looked up (its hash) with its user, application and organization in one
    query, so a revoked token is refused at once; a test application's token acts in
    the sandbox of its organization (loaded in the same query). ``request.auth`` is the
    AccessToken; ``request.user`` its user, or a ClientPrincipal for client
    credentials.
    """

    def authenticate(self, request: Request) -> tuple[Any, AccessToken] | None:
        raw = bearer(request)
        if not raw or raw.startswith(API_KEY_PREFIXES):
            return None
        try:
            decode_access_token(raw)
        except InvalidAccessToken as exc:
            record_failure(request, "oauth_token", str(exc))
            raise CredentialsRejected("The access token is not valid.", details=f"The token is refused: {exc}.") from None
        token = selectors.oauth_access_token(raw=raw)
        if token is None:
            record_failure(request, "oauth_token", "token revoked or unknown")
            raise CredentialsRejected("The access token is not valid.", details="The token was revoked.")
        application = token.application
        if application is not None:  # refused below or not: the request counts in the application's usage
            metering.note_credential(
                request, CredentialKind.OAUTH_APP, application.pk, token.organization_id or application.organization_id
            )
        if token.is_expired() or application is None:
            record_failure(request, "oauth_token", "token expired", application, token.organization_id)
            raise CredentialsRejected("The access token has expired.")
        if token.user is not None and not token.user.is_active:
            record_failure(request, "oauth_token", "user deactivated", application, token.organization_id)
            raise CredentialsRejected("The access token is not valid.")
        if not ip_allowed(net.client_ip(request.META), application.allowed_ips):
            record_failure(request, "oauth_token", "address not in the allowlist", application, token.organization_id)
            raise ApiError(
                codes.IP_NOT_ALLOWED, details=f"Requests from {net.client_ip(request.META)} are not allowed for this application."
            )
        if token.organization is not None:
            check_acting_organization(request, "oauth_token", token.organization, application.mode, application)
        if token.user is not None:
            return token.user, token
        return ClientPrincipal(f"OAuth application {application.name or application.client_id}"), token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """Django session of a signed-in user; writes need the CSRF token (X-CSRFToken).

    A session of a user with an authenticator that never passed it is no session (anonymous: 401); a member who
    must set up two-factor authentication (their organization requires it) is a 403 ``TWO_FACTOR_REQUIRED``.
    """

    def authenticate(self, request: Request) -> Any:
        if bearer(request) or request.META.get("HTTP_X_API_KEY"):
            # Credentials in a header that no other class took (a malformed key or token): refuse them
            # rather than fall back on a session cookie the same request may carry.
            raise CredentialsRejected("The credentials in the Authorization or X-API-Key header are not valid.")
        # accounts.signin.SignInMiddleware already made a session that skipped the second factor anonymous; the
        # check is repeated here so the API never depends on the middleware's presence.
        if signin.second_factor_missing(request._request, getattr(request._request, "user", None)):
            return None
        found = super().authenticate(request)
        if found is not None and isinstance(found[0], User) and signin.must_set_up_second_factor(found[0]):
            raise ApiError(account_errors.TWO_FACTOR_REQUIRED)
        return found

    def authenticate_header(self, request: Request) -> str:
        # Answer 401 (not 403) to anonymous callers, naming how to authenticate.
        return 'Session realm="api"'
