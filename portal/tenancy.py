"""Which developer organization a signed-in partner is working in, and in which environment: kept in the session,
checked every request.

The environment is Live (the developer organization itself) or Sandbox (its
sandbox organization, ``accounts.selectors.sandbox_of``): the one chosen on the
switch, else Sandbox for an organization whose only keys are test keys, else Live
(``environment_of``). Pages that manage what a partner
owns in an environment (webhook subscriptions, apps...) act in
``current_organization(request)``; permissions always come from the membership
in the developer organization (``membership_with``), since a sandbox has no
members of its own. Switching is ``set_environment`` (the portal's
``environment/`` action, which creates a missing sandbox first).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from accounts import selectors, workspace
from accounts.models import ApiKeyMode, Membership, Organization, OrganizationKind, User
from accounts.roles import role_has

SESSION_KEY = "portal_organization_id"
ENVIRONMENT_KEY = "portal_environment"
LIVE, SANDBOX = "live", "sandbox"
ENVIRONMENTS = (LIVE, SANDBOX)


def memberships(user: User) -> list[Membership]:
    """The user's developer organizations, oldest membership first."""
    return list(selectors.memberships_of(user=user, kind=OrganizationKind.DEVELOPER))


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership in the organization chosen in the session, else the user's first developer organization."""
    return workspace.current(request, kind=OrganizationKind.DEVELOPER, session_key=SESSION_KEY)


def switch(request: HttpRequest, organization_id: str) -> Membership:
    """Work in another organization; a 404 unless the user is a member of that developer organization."""
    return workspace.switch(request, organization_id, kind=OrganizationKind.DEVELOPER, session_key=SESSION_KEY)


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


# Why a page acts in its environment (``Environment.reason``).
CHOSEN, TEST_KEYS_ONLY, DEFAULT = "chosen", "test-keys-only", "default"


@dataclass(frozen=True)
class Environment:
    """The environment pages act in (LIVE or SANDBOX) and why: the partner ``CHOSEN`` it on the switch, or,
    without a choice, SANDBOX because every usable API key of the organization is a test key
    (``TEST_KEYS_ONLY``: test keys act only in the sandbox, so that is where their webhooks are), else
    LIVE (``DEFAULT``)."""

    name: str
    reason: str

    @property
    def sandbox(self) -> bool:
        return self.name == SANDBOX


def environment_of(request: HttpRequest, membership: Membership | None = None) -> Environment:
    """The environment of this request for ``membership`` (else the current one); remembered for the request.

    No query when the partner chose on the switch; else one (the organization's key modes).
    """
    chosen = request.session.get(ENVIRONMENT_KEY)
    if chosen in ENVIRONMENTS:
        return Environment(chosen, CHOSEN)
    membership = membership or current_membership(request)
    if membership is None:
        return Environment(LIVE, DEFAULT)
    remembered: dict[object, Environment] = request.__dict__.setdefault("_portal_environments", {})
    found = remembered.get(membership.organization_id)
    if found is None:
        modes = selectors.api_key_modes(organization=membership.organization)
        found = Environment(SANDBOX, TEST_KEYS_ONLY) if modes == {ApiKeyMode.TEST} else Environment(LIVE, DEFAULT)
        remembered[membership.organization_id] = found
    return found


def environment(request: HttpRequest, membership: Membership | None = None) -> str:
    """``"live"`` or ``"sandbox"``: see ``environment_of``."""
    return environment_of(request, membership).name


def set_environment(request: HttpRequest, value: str) -> None:
    """Choose the environment for every page (the organization switch keeps it). Raises ValueError for another value."""
    if value not in ENVIRONMENTS:
        raise ValueError(value)
    request.session[ENVIRONMENT_KEY] = value


def current_organization(request: HttpRequest, membership: Membership | None = None) -> Organization:
    """The organization the page acts in: the current developer organization, or its sandbox in the Sandbox environment.

    ``membership`` is the one the view already checked (``membership_with``),
    else the current one (404 without). While the developer organization has no
    sandbox (created on switching, see ``portal.sandbox``), this is the
    developer organization. One query in the Sandbox environment, none in Live.
    """
    membership = membership or membership_or_404(request)
    if environment(request, membership) == SANDBOX:
        sandbox = selectors.sandbox_of(membership.organization)
        if sandbox is not None:
            return sandbox
    return membership.organization


@dataclass(frozen=True)
class Scope:
    """Who acts on a page (the membership that was checked) and where: its developer organization, or that one's sandbox."""

    membership: Membership
    organization: Organization


def scope_with(request: HttpRequest, perm: str, refusal: str) -> Scope:
    """``membership_with``, and the organization of the chosen environment (``current_organization``)."""
    membership = membership_with(request, perm, refusal)
    return Scope(membership, current_organization(request, membership))
