"""Who is calling and for which organization: the auth context every selector takes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rest_framework.request import Request

from accounts import errors as account_errors
from accounts.models import Organization, User
from accounts.roles import role_has
from accounts.selectors import membership_for
from api.exceptions import ApiError
from core import errors as codes

ORGANIZATION_HEADER = "X-Organization-ID"


@dataclass(frozen=True)
class AuthContext:
    user: User
    organization: Organization
    role: str

    @property
    def actor(self) -> User:
        return self.user

    def can(self, permission: str) -> bool:
        return role_has(self.role, permission)


def resolve(request: Request) -> AuthContext:
    """The caller's organization: the one named by X-Organization-ID, else their first membership.

    Naming an organization the caller does not belong to is a 404, like any
    other tenant's object.
    """
    cached = getattr(request, "_auth_context", None)
    if cached is not None:
        return cached
    user = request.user
    assert isinstance(user, User)
    raw = request.headers.get(ORGANIZATION_HEADER)
    org_id: uuid.UUID | None = None
    if raw:
        try:
            org_id = uuid.UUID(raw)
        except ValueError:
            raise ApiError(account_errors.ORGANIZATION_NOT_FOUND, target=ORGANIZATION_HEADER) from None
    membership = membership_for(user=user, organization_id=org_id)
    if membership is None:
        if org_id is not None:
            raise ApiError(account_errors.ORGANIZATION_NOT_FOUND, target=ORGANIZATION_HEADER)
        raise ApiError(codes.NO_ORGANIZATION)
    ctx = AuthContext(user=user, organization=membership.organization, role=membership.role)
    request._auth_context = ctx  # type: ignore[attr-defined]
    return ctx
