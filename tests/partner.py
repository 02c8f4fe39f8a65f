"""A partner's API key in an organization, as the SDK, sample and guide tests make it."""

from __future__ import annotations

from typing import Any

from accounts import services as account_services
from accounts.roles import Role
from tests.factories import MembershipFactory, UserFactory


def partner_key(organization: Any, scopes: list[str]) -> str:
    """A new API key of ``organization`` with ``scopes``, created by its owner (owner@acme.example)."""
    owner = UserFactory(email="owner@acme.example")
    MembershipFactory(user=owner, organization=organization, role=Role.OWNER)
    _, key = account_services.api_key_create(
        actor=owner, organization=organization, data={"name": "Partner", "scopes": scopes}, creator_role=Role.OWNER
    )
    return key
