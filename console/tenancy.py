"""Which organizer organization a signed-in member is working in, and what their role there lets them do.

The choice is kept in the session (``switch``) and checked on every request
against the user's memberships, so a removed member loses access at once. Pages
ask for a permission of ``accounts.roles`` (the API's table): a missing
membership or an object of another organization is a 404, a role without the
permission a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect

from accounts import selectors, workspace
from accounts.models import Membership, Organization, OrganizationKind, User
from accounts.roles import Perm, role_has
from accounts.signin import sign_in_url

SESSION_KEY = "console_organization_id"


def memberships(user: User) -> list[Membership]:
    """The user's organizer organizations, oldest membership first."""
    return list(selectors.memberships_of(user=user, kind=OrganizationKind.ORGANIZER))


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership in the organization chosen in the session, else the user's first organizer organization."""
    return workspace.current(request, kind=OrganizationKind.ORGANIZER, session_key=SESSION_KEY)


def switch(request: HttpRequest, organization_id: str) -> Membership:
    """Work in another organization; a 404 unless the user is a member of that organizer organization."""
    return workspace.switch(request, organization_id, kind=OrganizationKind.ORGANIZER, session_key=SESSION_KEY)


@dataclass(frozen=True)
class Scope:
    """Who acts (their membership and role) and where (the organization): every console view gets one."""

    membership: Membership
    user: User

    @property
    def organization(self) -> Organization:
        return self.membership.organization

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, perm: str) -> bool:
        return role_has(self.membership.role, perm)

    def require(self, perm: str) -> None:
        if not self.can(perm):
            raise PermissionDenied(f"Your role ({self.membership.get_role_display()}) does not allow this.")


def scope_of(request: HttpRequest, perm: str) -> Scope:
    membership = current_membership(request)
    if membership is None:
        raise Http404("You are not a member of an organizer organization")
    user = request.user
    assert isinstance(user, User)
    scope = Scope(membership, user)
    scope.require(perm)
    return scope


View = Callable[..., HttpResponseBase]


def console_page(perm: str = Perm.CONSOLE_OPEN) -> Callable[[View], View]:
    """A console view: signed in through the platform's one sign-in, in a current organization whose role holds ``perm``.

    The view is called as ``view(request, scope, **kwargs)``.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return HttpResponseRedirect(sign_in_url(request.get_full_path()))
            scope = scope_of(request, perm)
            request.console_scope = scope  # type: ignore[attr-defined]
            return view(request, scope, *args, **kwargs)

        return wrapper

    return decorate


__all__ = ["REDIRECT_FIELD_NAME", "Scope", "console_page", "current_membership", "memberships", "scope_of", "switch"]
