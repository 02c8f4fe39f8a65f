"""Fixtures of the portal's organization pages: a developer organization and members of it in any role."""

from __future__ import annotations

import pytest

from accounts.models import OrganizationKind
from accounts.roles import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def dev_org():
    return OrganizationFactory(name="Partner Labs", slug="partner-labs", kind=OrganizationKind.DEVELOPER)


@pytest.fixture
def dev_member(dev_org):
    def make(role=Role.OWNER, organization=None, **kwargs):
        user = UserFactory(**kwargs)
        MembershipFactory(user=user, organization=organization or dev_org, role=role)
        return user

    return make
