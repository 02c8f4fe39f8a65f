"""Which organization a signed-in person works in, kept in their session: the portal's (developer organizations)
and the console's (organizer organizations) share it, each under its own session key."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from accounts import selectors
from accounts.models import Membership, User


def current(request: HttpRequest, *, kind: str, session_key: str) -> Membership | None:
    """The membership in the organization chosen in the session, else the user's first organization of ``kind``
    (a stale choice, the user removed since, falls back to that too)."""
    user = request.user
    assert isinstance(user, User)
    return selectors.membership_chosen(user=user, chosen=request.session.get(session_key), kind=kind)


def switch(request: HttpRequest, organization_id: str, *, kind: str, session_key: str) -> Membership:
    """Work in another organization; a 404 unless the user is a member of that organization of ``kind``."""
    user = request.user
    assert isinstance(user, User)
    try:
        uuid.UUID(str(organization_id))
    except ValueError:
        raise Http404("No such organization") from None
    membership = selectors.membership_for(user=user, organization_id=organization_id, kind=kind)
    if membership is None:
        raise Http404("No such organization")
    request.session[session_key] = str(membership.organization_id)
    return membership
