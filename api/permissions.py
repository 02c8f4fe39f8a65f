"""Permission classes: the endpoint's scope (tokens and keys), membership, then the role table per action."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from accounts.models import ApiKey
from api import scopes
from api.context import resolve
from api.exceptions import ApiError
from core import errors as codes


def granted_scopes(request: Request) -> frozenset[str] | None:
    """The scopes of the request's token or key; None for a console session (no scope limits)."""
    auth = request.auth
    if isinstance(auth, ApiKey):
        return frozenset(auth.scopes)
    token_scopes = getattr(auth, "scope", None)  # an OAuth access token: space-separated
    if isinstance(token_scopes, str):
        return frozenset(token_scopes.split())
    return None


def check_scope(request: Request) -> None:
    """403 INSUFFICIENT_SCOPE (naming the scope) when a token or key lacks what the endpoint needs."""
    granted = granted_scopes(request)
    if granted is None:
        return
    needed = scopes.required_scope(request)
    if needed == scopes.ANY:
        return
    if needed is None or needed == scopes.USER_SESSION:
        raise ApiError(
            codes.PERMISSION_DENIED,
            "This endpoint is for signed-in users of the console, not for tokens or API keys.",
        )
    if needed not in granted:
        raise ApiError(
            codes.INSUFFICIENT_SCOPE,
            f"This endpoint needs the scope {needed}.",
            details={"requiredScope": needed, "grantedScopes": sorted(granted)},
        )


class IsOrganizationMember(permissions.BasePermission):
    """Authenticated, holding the endpoint's scope, a member of the organization in play, and holding
    the action's permission.

    A view declares ``required_permissions = {"list": Perm.EVENTS_VIEW, ...}``;
    an action missing from the map needs no more than membership. A client
    without a user (an API key) is decided by its scopes alone.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        check_scope(request)
        ctx = resolve(request)
        if ctx.role is None:
            return True
        needed = getattr(view, "required_permissions", {}).get(getattr(view, "action", None))
        return needed is None or ctx.can(needed)


class IsAuthenticated(permissions.IsAuthenticated):
    """A signed-in user; no organization needed (one's own profile, accepting an invitation)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        check_scope(request)
        return getattr(request.user, "pk", None) is not None
