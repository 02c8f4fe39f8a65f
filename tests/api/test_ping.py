"""GET /api/v1/ping: who is calling, for connectivity tests."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiKey
from accounts.services import sandbox_create
from core.audit import SYSTEM
from tests.conftest import error_of

pytestmark = pytest.mark.django_db


def test_ping_with_a_session_names_the_user_role_and_tier(client_owner, owner, org):
    body = client_owner.get("/api/v1/ping").json()
    assert body["kind"] == "session" and body["client"] is None and body["scopes"] is None
    assert body["user"] == {"id": str(owner.id), "email": owner.email, "name": owner.name}
    assert body["organization"] == {"id": str(org.id), "name": org.name, "slug": org.slug, "kind": "organizer"}
    assert body["role"] == "owner"
    assert body["rateLimit"] == {"tier": "user", "requestsPerMinute": 60, "burst": 20, "concurrentRequests": 10}
    assert body["serverTime"].endswith("Z")


def test_ping_with_a_key_names_the_key_scopes_and_partner_tier(org):
    key, raw = services.api_key_create(
        actor=SYSTEM, organization=org, data={"name": "Sync", "scopes": ["registrations:read"], "mode": "test"}, creator_role=None
    )
    sandbox, _ = sandbox_create(actor=SYSTEM, organization=org)
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw)
    body = client.get("/api/v1/ping").json()
    assert body["kind"] == "api_key" and body["user"] is None and body["role"] is None
    assert body["organization"] == {"id": str(sandbox.id), "name": sandbox.name, "slug": sandbox.slug, "kind": "sandbox"}
    assert body["client"] == {"type": "api_key", "id": str(key.id), "name": "Sync", "prefix": key.prefix, "mode": "test"}
    assert body["scopes"] == ["registrations:read"]
    assert body["rateLimit"]["tier"] == "partner" and body["rateLimit"]["requestsPerMinute"] == 300

    ApiKey.objects.filter(pk=key.pk).update(rate_tier="internal")
    assert client.get("/api/v1/ping").json()["rateLimit"]["tier"] == "internal"


def test_ping_without_credentials_is_a_401(api):
    response = api().get("/api/v1/ping")
    assert response.status_code == 401 and error_of(response)["code"] == "AUTHENTICATION_REQUIRED"
