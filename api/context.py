"""Who is calling and for which organization: the auth context every selector takes."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import Any

from rest_framework.request import Request

from accounts import errors as account_errors
from accounts import scopes as scope_table
from accounts.models import AccessToken, ApiKey, Organization, RateTier, User
from accounts.roles import role_has
from accounts.selectors import acting_organization, membership_for
from api.exceptions import ApiError
from core import errors as codes
from core.logs import annotate_request
from core.net import client_ip

ORGANIZATION_HEADER = "X-Organization-ID"


class Kind:
    SESSION = "session"
    API_KEY = "api_key"
    OAUTH = "oauth"


@dataclass(frozen=True)
class ClientActor:
    """A client acting without a user (an API key, a client-credentials application), as audit entries name it."""

    audit_id: str
    audit_label: str


@dataclass(frozen=True)
class AuthContext:
    """The caller: a user (session or OAuth token) or a client without one, in one organization.

    ``role`` is the user's role there (None for a client without a user);
    ``scopes`` what the token or key was granted (None for a console session,
    which its role alone limits).
    """

    user: User | None
    organization: Organization
    role: str | None
    kind: str = Kind.SESSION
    scopes: frozenset[str] | None = None
    client: Any = None  # the ApiKey or OAuth application
    client_actor: ClientActor | None = None
    # Who the caller counts as for rate limits and idempotency keys, and its tier (``client_identity``).
    client_key: str = ""
    tier: str = RateTier.USER

    @property
    def actor(self) -> Any:
        return self.user if self.user is not None else self.client_actor

    def can(self, permission: str) -> bool:
        """The role's permission for a user; for a client without a user, what its scopes exercise."""
        if self.role is not None:
            return role_has(self.role, permission)
        return permission in scope_table.permissions_of(self.scopes or frozenset())


def client_identity(request: Request) -> tuple[str, str]:
    """Who a request counts as, and its rate-limit tier: the API key; the OAuth application with its user;
    the signed-in user; else the caller's address (anonymous callers, refused credentials)."""
    auth = request.auth
    if isinstance(auth, ApiKey):
        return f"key:{auth.pk}", auth.tier
    application = getattr(auth, "application", None)
    if application is not None:
        return f"app:{application.pk}:{getattr(auth, 'user_id', None) or '-'}", application.rate_tier or RateTier.PARTNER
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "pk", None) is not None:
        return f"user:{user.pk}", RateTier.USER
    return f"ip:{client_ip(request.META)}", RateTier.ANONYMOUS


def _named_organization(request: Request) -> uuid.UUID | None:
    raw = request.headers.get(ORGANIZATION_HEADER)
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ApiError(account_errors.ORGANIZATION_NOT_FOUND, target=ORGANIZATION_HEADER) from None


def _check_named(request: Request, own: uuid.UUID | None, acting: uuid.UUID | None) -> None:
    """X-Organization-ID may name the credential's organization or the one it acts in (its sandbox for test mode)."""
    named = _named_organization(request)
    if named is not None and named not in (own, acting):
        raise ApiError(account_errors.ORGANIZATION_NOT_FOUND, target=ORGANIZATION_HEADER)


def _for_api_key(request: Request, key: ApiKey) -> AuthContext:
    """A key acts in its organization, a test key in that organization's sandbox (ADR 0010)."""
    organization = acting_organization(key.organization, key.mode)
    _check_named(request, key.organization_id, organization.pk)
    return AuthContext(
        user=None,
        organization=organization,
        role=None,
        kind=Kind.API_KEY,
        scopes=frozenset(key.scopes),
        client=key,
        client_actor=ClientActor(audit_id=f"api_key:{key.pk}", audit_label=f"API key {key.name} ({key.prefix}…)"),
    )


def _for_oauth_token(request: Request, token: AccessToken) -> AuthContext:
    """A token acts in the organization it was granted for: a user's with their current role there (a user who
    left it has no access), a client-credentials application's with its scopes alone. A test application's token
    acts in that organization's sandbox, with the same role or scopes (ADR 0010)."""
    application = token.application
    organization = acting_organization(token.organization, application.mode) if token.organization else None
    _check_named(request, token.organization_id, organization.pk if organization else None)
    common: dict[str, Any] = {
        "kind": Kind.OAUTH,
        "scopes": frozenset(token.scope.split()),
        "client": application,
    }
    if token.user is None:
        if organization is None:  # an application that belongs to no organization: nothing to act in
            raise ApiError(account_errors.ORGANIZATION_NOT_FOUND, details="This token was not granted for an organization.")
        return AuthContext(
            user=None,
            organization=organization,
            role=None,
            client_actor=ClientActor(audit_id=application.audit_id, audit_label=application.audit_label),
            **common,
        )
    membership = membership_for(user=token.user, organization_id=token.organization_id) if token.organization_id else None
    if membership is None:
        raise ApiError(
            account_errors.ORGANIZATION_NOT_FOUND, details="The user is no longer a member of the organization this token is for."
        )
    return AuthContext(user=token.user, organization=organization or membership.organization, role=membership.role, **common)


def resolve(request: Request) -> AuthContext:
    """The caller and their organization: the key's or token's, or the one named by X-Organization-ID, else the first
    membership.

    Naming an organization the caller does not belong to is a 404, like any
    other tenant's object.
    """
    cached = getattr(request, "_auth_context", None)
    if cached is not None:
        return cached
    if isinstance(request.auth, ApiKey):
        ctx = _for_api_key(request, request.auth)
    elif isinstance(request.auth, AccessToken):
        ctx = _for_oauth_token(request, request.auth)
    else:
        user = request.user
        assert isinstance(user, User)
        org_id = _named_organization(request)
        membership = membership_for(user=user, organization_id=org_id)
        if membership is None:
            if org_id is not None:
                raise ApiError(account_errors.ORGANIZATION_NOT_FOUND, target=ORGANIZATION_HEADER)
            raise ApiError(codes.NO_ORGANIZATION)
        ctx = AuthContext(user=user, organization=membership.organization, role=membership.role)
    client_key, tier = client_identity(request)
    ctx = dataclasses.replace(ctx, client_key=client_key, tier=tier)
    request._auth_context = ctx  # type: ignore[attr-defined]
    annotate_request(request, organization=str(ctx.organization.pk), client=client_key)
    return ctx
