"""Enforced single sign-on: members cannot sign in with a password (the form, the password grant), break-glass
owners still can, and an owner cannot enforce it before a provider works behind a verified domain."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Application, Membership
from accounts.roles import Role
from core.audit import SYSTEM
from core.errors import DomainError
from core.models import AuditEntry
from sso import services
from tests.factories import verified
from tests.oauth.helpers import make_app, token_response
from tests.sso.conftest import make_provider, verified_domain

pytestmark = pytest.mark.django_db

SIGN_IN = "/portal/accounts/login/"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def enforced(org, provider, owner):
    services.organization_enforce_sso(actor=owner, organization=org, enforced=True, break_glass=[owner])
    org.refresh_from_db()
    return org


def test_a_member_of_an_enforcing_organization_cannot_sign_in_with_a_password(enforced, member):
    editor = verified(member(Role.EDITOR))
    response = Client().post(SIGN_IN, {"login": editor.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "signs in with single sign-on" in response.content.decode()
    assert "_auth_user_id" not in Client().session
    assert AuditEntry.objects.filter(action="auth.failed", changes__reason="single sign-on enforced").exists()


def test_a_break_glass_owner_still_signs_in_with_a_password(enforced, owner):
    verified(owner)
    client = Client()
    response = client.post(SIGN_IN, {"login": owner.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert client.get("/api/v1/users/me").json()["email"] == owner.email


def test_an_owner_who_is_not_break_glass_is_refused_too(enforced, member):
    other_owner = verified(member(Role.OWNER))
    response = Client().post(SIGN_IN, {"login": other_owner.email, "password": PASSWORD})
    assert response.status_code == 200 and "single sign-on" in response.content.decode()


def test_the_password_grant_is_refused_as_well(enforced, member, org):
    editor = verified(member(Role.EDITOR))
    app, secret = make_app(organization=org, grant=Application.GRANT_PASSWORD, first_party=True)
    response = token_response(Client(), app, secret, grant_type="password", username=editor.email, password=PASSWORD)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant" and "single sign-on" in response.json()["error_description"]


def test_members_still_sign_in_through_the_provider(enforced, flow, browser, signed_in_user):
    assert flow.sign_in(browser, "ada@acme.example").status_code == 302
    assert signed_in_user(browser).email == "ada@acme.example"


def test_enforcing_needs_a_provider_behind_a_verified_domain_and_a_break_glass_owner(org, owner, idp_keys):
    with pytest.raises(DomainError) as no_provider:
        services.organization_enforce_sso(actor=owner, organization=org, enforced=True, break_glass=[owner])
    assert no_provider.value.error.code == "SSO_ENFORCE_WITHOUT_PROVIDER"
    provider = make_provider(org, idp_keys[0])
    verified_domain(org, provider)
    with pytest.raises(DomainError):
        services.organization_enforce_sso(actor=owner, organization=org, enforced=True, break_glass=[])
    services.organization_enforce_sso(actor=SYSTEM, organization=org, enforced=True, break_glass=[owner])
    assert Membership.objects.get(user=owner, organization=org).sso_break_glass is True
