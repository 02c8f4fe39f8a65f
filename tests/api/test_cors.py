"""CORS: only origins registered on an OAuth application get the headers; never cookies."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import services as account_services
from accounts.models import Application
from core.audit import SYSTEM
from tests.oauth.helpers import client_credentials_token, make_app

pytestmark = pytest.mark.django_db

SPA = "https://app.partner.example"
OTHER = "https://evil.example"


@pytest.fixture
def spa(org):
    app, secret = make_app(
        organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"], allowed_origins=SPA
    )
    return app, secret


def preflight(origin: str) -> object:
    return Client().options(
        "/api/v1/events",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )


def test_a_preflight_is_answered_for_a_registered_origin_only(spa):
    allowed = preflight(SPA)
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == SPA
    assert "Authorization" in allowed["Access-Control-Allow-Headers"] and "PATCH" in allowed["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in allowed and "Origin" in allowed["Vary"]

    refused = preflight(OTHER)
    assert refused.status_code == 204 and "Access-Control-Allow-Origin" not in refused


def test_a_token_reads_the_api_from_its_applications_origin_only(spa, org):
    app, secret = spa
    token = client_credentials_token(app, secret, "events:read")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get("/api/v1/events", HTTP_ORIGIN=SPA)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == SPA
    assert "X-RateLimit-Remaining" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/events", HTTP_ORIGIN=OTHER)

    # Another application's origin does not open this token's answers.
    make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"], allowed_origins=OTHER)
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/events", HTTP_ORIGIN=OTHER)


def test_api_keys_and_pages_outside_the_api_get_no_cors(spa, org):
    _, raw = account_services.api_key_create(
        actor=SYSTEM, organization=org, data={"name": "k", "scopes": ["events:read"]}, creator_role=None
    )
    keyed = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert "Access-Control-Allow-Origin" not in keyed.get("/api/v1/events", HTTP_ORIGIN=OTHER)
    assert "Access-Control-Allow-Origin" not in Client().get("/api/errors/", HTTP_ORIGIN=SPA)
    # An error a registered origin's page runs into is readable by it.
    assert Client().get("/api/v1/events", HTTP_ORIGIN=SPA)["Access-Control-Allow-Origin"] == SPA
