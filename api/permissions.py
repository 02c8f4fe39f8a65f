"""Permission classes: membership of an organization, then the role table per action."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from api.context import resolve


class IsOrganizationMember(permissions.BasePermission):
    """Authenticated, member of the organization in play, and holding the action's permission.

    A view declares ``required_permissions = {"list": Perm.EVENTS_VIEW, ...}``;
    an action missing from the map needs no more than membership.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        ctx = resolve(request)
        needed = getattr(view, "required_permissions", {}).get(getattr(view, "action", None))
        return needed is None or ctx.can(needed)


class IsAuthenticated(permissions.IsAuthenticated):
    """Signed in; no organization needed (one's own profile, accepting an invitation)."""
