"""Which developer organization a signed-in partner is working in: kept in the session, checked every request."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from accounts import selectors
from accounts.models import Membership, OrganizationKind, User
from accounts.roles import role_has

SESSION_KEY = "portal_organization_id"


def memberships(user: User) -> list[Membership]:
    """The user's developer organizations, oldest membership first."""
    return list(selectors.memberships_of(user=user, kind=OrganizationKind.DEVELOPER))


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership in the organization chosen in the session, else the user's first developer organization.

    A stale choice (the user was removed since) falls back to the first one.
    """
    user = request.user
    assert isinstance(user, User)
    chosen = request.session.get(SESSION_KEY)
    membership = None
    if chosen:
        membership = selectors.membership_for(user=user, organization_id=chosen, kind=OrganizationKind.DEVELOPER)
    if membership is None:
        membership = selectors.membership_for(user=user, organization_id=None, kind=OrganizationKind.DEVELOPER)
    return membership


def switch(request: HttpRequest, organization_id: str) -> Membership:
    """Choose the organization to work in; a 404 unless the user is a member of that developer organization."""
    user = request.user
    assert isinstance(user, User)
    try:
        uuid.UUID(str(organization_id))
    except ValueError:
        raise Http404("No such organization") from None
    membership = selectors.membership_for(user=user, organization_id=organization_id, kind=OrganizationKind.DEVELOPER)
    if membership is None:
        raise Http404("No such organization")
    request.session[SESSION_KEY] = str(membership.organization_id)
    return membership


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of a view behind ``sign_in_required``."""
    assert isinstance(request.user, User)
    return request.user


def membership_or_404(request: HttpRequest) -> Membership:
    """The current developer organization's membership; a 404 for a user who belongs to none."""
    membership = current_membership(request)
    if membership is None:
        raise Http404("You are not a member of a developer organization")
    return membership


def membership_with(request: HttpRequest, perm: str, refusal: str) -> Membership:
    """The current membership when its role holds ``perm`` (a ``Perm``); 403 with ``refusal`` otherwise, 404 without one."""
    membership = membership_or_404(request)
    if not role_has(membership.role, perm):
        raise PermissionDenied(refusal)
    return membership
