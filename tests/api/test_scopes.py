"""Scopes: one table names the scope of every endpoint; a key or OAuth token without it is refused, one with it
let through, and a user's token is also limited by the user's role."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.roles import Role
from accounts.scopes import API_SCOPES, IDENTITY_SCOPES, SCOPES, grantable_by, permissions_of
from api import scopes
from core.audit import SYSTEM
from tests.api.test_tenancy import CASES, _api_v1_route_names, fill
from tests.conftest import error_of

pytestmark = pytest.mark.django_db

# One case per route and method: the scope is a property of the pair.
PAIRS = list({(c.route, c.method): c for c in CASES}.values())


def test_every_endpoint_has_a_scope_and_every_scope_exists():
    missing = sorted({(c.route, c.method) for c in CASES if scopes.scope_for(c.route, c.method) is None})
    assert not missing, f"add these to api.scopes.ENDPOINT_SCOPES: {missing}"
    routes = _api_v1_route_names()
    stale = sorted({name for name, _ in scopes.ENDPOINT_SCOPES} - routes)
    assert not stale, f"ENDPOINT_SCOPES names routes that do not exist: {stale}"
    assert set(scopes.ENDPOINT_SCOPES.values()) <= set(SCOPES) | {scopes.ANY, scopes.USER_SESSION, scopes.PUBLIC}


def test_the_schema_shows_each_operations_scope(client_owner):
    schema = client_owner.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = {
        (path, method.upper()): op for path, item in schema["paths"].items() for method, op in item.items() if "operationId" in op
    }
    assert operations[("/api/v1/events", "GET")]["x-required-scope"] == "events:read"
    assert operations[("/api/v1/registrations", "POST")]["x-required-scope"] == "registrations:write"
    assert operations[("/api/v1/api-keys", "POST")]["x-required-scope"] == "session"
    assert "Scope: `payments:write`" in operations[("/api/v1/payments/{id}/refund", "POST")]["description"]
    assert all(op.get("x-required-scope") for op in operations.values())
    assert {"apiKeyBearer", "apiKeyHeader", "sessionAuth", "oauth2"} <= set(schema["components"]["securitySchemes"])
    # The OAuth 2.0 requirement of each operation names its scope; tokens are refused where only sessions go.
    assert {"oauth2": ["events:read"]} in operations[("/api/v1/events", "GET")]["security"]
    assert {"oauth2": ["payments:write"]} in operations[("/api/v1/payments/{id}/refund", "POST")]["security"]
    assert not any("oauth2" in r for r in operations[("/api/v1/api-keys", "POST")]["security"])
    flows = schema["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["authorizationCode"]["authorizationUrl"].endswith("/o/authorize/")
    assert set(flows["authorizationCode"]["scopes"]) == set(SCOPES)
    assert set(flows["clientCredentials"]["scopes"]) == set(API_SCOPES)


def _key(organization: Any, granted: list[str]) -> APIClient:
    _, raw = account_services.api_key_create(
        actor=SYSTEM, organization=organization, data={"name": "Matrix", "scopes": granted}, creator_role=None
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _send(client: APIClient, case: Any, ids: dict[str, str]) -> Any:
    return getattr(client, case.method.lower())(fill(case.path, ids), fill(case.body, ids), format="json")


@pytest.mark.parametrize("case", PAIRS, ids=[f"{c.method} {c.route}" for c in PAIRS])
def test_scope_matrix(case, world):
    """Aimed at organization B's own API (the tenancy table's requests, sent by B's keys)."""
    from accounts.models import Organization

    ids = world["ids"]
    b_org = Organization.objects.exclude(pk=ids["org_a"]).get(memberships__user=world["attacker"])
    needed = scopes.scope_for(case.route, case.method)

    if needed in (scopes.ANY, scopes.PUBLIC):
        _assert_served(_send(_key(b_org, ["events:read"]), case, _own(ids, b_org)), case)
        return
    if needed == scopes.USER_SESSION or needed in IDENTITY_SCOPES:
        response = _send(_key(b_org, list(SCOPES)), case, ids)
        assert response.status_code == 403 and error_of(response)["code"] == "PERMISSION_DENIED"
        return

    without = _send(_key(b_org, [s for s in API_SCOPES if s != needed]), case, ids)
    assert without.status_code == 403, without.content
    error = error_of(without)
    assert error["code"] == "INSUFFICIENT_SCOPE" and error["details"]["requiredScope"] == needed

    with_it = _send(_key(b_org, [needed]), case, ids)
    assert with_it.status_code not in (401, 403), with_it.content


def _own(ids: dict[str, str], b_org: Any) -> dict[str, str]:
    """The tenancy table's ids with organization A's replaced by B's: a route any scope reads (the stream) that names
    its organization is aimed at B's own here (naming A is a 404, which tests/api/test_tenancy.py checks)."""
    return {**ids, "org_a": str(b_org.pk)}


def _assert_served(response: Any, case: Any, kind: str = "key") -> None:
    """200, or for the real-time stream the 503 STREAM_UNAVAILABLE a WSGI server (this test client) answers only
    once the credentials, the tenancy and the scopes let the caller in (tests/realtime streams over ASGI)."""
    if case.route == "stream":
        assert response.status_code == 503, (kind, response.content)
        assert error_of(response)["code"] == "STREAM_UNAVAILABLE", kind
        return
    assert response.status_code == 200, (kind, response.content)


def _bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _oauth_clients(organization: Any, user: Any) -> dict[str, Any]:
    """Token makers for organization B: client credentials (the application's organization), and a user's token
    from a first-party application (the password grant, through the real token endpoint)."""
    from accounts.models import Application
    from tests.oauth.helpers import client_credentials_token, make_app, password_token

    server_app, server_secret = make_app(
        organization=organization, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=list(SCOPES), name="Matrix server"
    )
    user_app, user_secret = make_app(organization=organization, grant=Application.GRANT_PASSWORD, first_party=True, name="Matrix")

    def client_token(granted: list[str]) -> APIClient:
        return _bearer(client_credentials_token(server_app, server_secret, " ".join(granted)))

    def user_token(granted: list[str], who: Any = user) -> APIClient:
        return _bearer(password_token(user_app, user_secret, who.email, " ".join(granted), organization)["access_token"])

    return {"client": client_token, "user": user_token}


@pytest.mark.parametrize("case", PAIRS, ids=[f"{c.method} {c.route}" for c in PAIRS])
def test_scope_matrix_with_oauth_tokens(case, world):
    """The same matrix with access tokens: a client-credentials application's (its scopes alone decide) and a
    user's (B's owner, whose role allows everything), each without the endpoint's scope and with it."""
    from accounts.models import Organization

    ids = world["ids"]
    b_org = Organization.objects.exclude(pk=ids["org_a"]).get(memberships__user=world["attacker"])
    needed = scopes.scope_for(case.route, case.method)
    tokens = _oauth_clients(b_org, world["attacker"])

    for kind, token in tokens.items():
        if needed in (scopes.ANY, scopes.PUBLIC):
            _assert_served(_send(token(["events:read"]), case, _own(ids, b_org)), case, kind)
            continue
        if needed == scopes.USER_SESSION or (needed in IDENTITY_SCOPES and kind == "client"):
            refused = _send(token(list(SCOPES)), case, ids)
            assert refused.status_code == 403 and error_of(refused)["code"] == "PERMISSION_DENIED", (kind, refused.content)
            continue
        everything = API_SCOPES if needed not in IDENTITY_SCOPES else tuple(SCOPES)
        without = _send(token([s for s in everything if s != needed]), case, ids)
        assert without.status_code == 403, (kind, without.content)
        error = error_of(without)
        assert error["code"] == "INSUFFICIENT_SCOPE" and error["details"]["requiredScope"] == needed, kind
        with_it = _send(token([needed]), case, ids)
        assert with_it.status_code not in (401, 403), (kind, with_it.content)


ROLE_LIMITED = [
    ("GET", "/api/v1/events", None, "events:read", Role.VIEWER, 200),
    (
        "POST",
        "/api/v1/venues",
        {"name": "Hall", "address": "1 Road", "city": "Oslo", "country": "NO"},
        "events:write",
        Role.VIEWER,
        403,
    ),
    (
        "POST",
        "/api/v1/venues",
        {"name": "Hall", "address": "1 Road", "city": "Oslo", "country": "NO"},
        "events:write",
        Role.EDITOR,
        201,
    ),
    ("GET", "/api/v1/payments", None, "payments:read", Role.CHECKIN, 403),
    ("GET", "/api/v1/payments", None, "payments:read", Role.FINANCE, 200),
    ("GET", "/api/v1/audit-log", None, "users:read", Role.EDITOR, 403),
    ("POST", "/api/v1/invitations", {"email": "x@b.example", "role": "viewer"}, "users:write", Role.EDITOR, 403),
]


@pytest.mark.parametrize(("method", "path", "body", "scope", "role", "status"), ROLE_LIMITED)
def test_a_users_token_is_also_limited_by_the_users_role(method, path, body, scope, role, status, org):
    """The token holds the scope, yet the user's role in the organization decides (the intersection of both)."""
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory()
    MembershipFactory(user=user, organization=org, role=role)
    client = _oauth_clients(org, user)["user"]([scope])
    response = getattr(client, method.lower())(path, body, format="json")
    assert response.status_code == status, response.content
    if status == 403:
        assert error_of(response)["code"] == "PERMISSION_DENIED"


def test_scopes_grantable_by_each_role_follow_the_role_table():
    assert grantable_by(None) == frozenset(SCOPES)
    assert "payments:write" in grantable_by("owner") and "payments:write" not in grantable_by("admin")
    assert grantable_by("viewer") >= {"events:read", "registrations:read", "openid", "profile", "email"}
    assert "events:write" not in grantable_by("viewer") and "users:read" not in grantable_by("viewer")
    assert permissions_of(frozenset({"events:write"})) == {"events.edit", "events.publish"}


def test_the_documentation_shows_both_tables_verbatim():
    from pathlib import Path

    from accounts.scopes import markdown_table as scope_table

    text = (Path(__file__).resolve().parents[2] / "docs" / "authentication.md").read_text(encoding="utf-8")
    assert scope_table() in text
    assert scopes.markdown_table() in text
