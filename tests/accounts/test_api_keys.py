"""API keys: created by organization admins (shown once, stored hashed), used as Bearer or X-API-Key,
limited by scopes, expiry and an IP allowlist, revoked at once or rotated with a grace period."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiKey
from accounts.roles import Role
from accounts.services import sandbox_create
from core.audit import SYSTEM
from core.errors import DomainError
from core.models import AuditEntry
from core.secrets import digest
from tests.conftest import error_of
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

KEYS = "/api/v1/api-keys"


def make_key(org: Any, scopes: list[str], **data: Any) -> tuple[ApiKey, str]:
    return services.api_key_create(
        actor=SYSTEM, organization=org, data={"name": "Sync", "scopes": scopes, **data}, creator_role=None
    )


def keyed(raw: str, header: str = "bearer", **extra: Any) -> APIClient:
    client = APIClient(**extra)
    if header == "bearer":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    else:
        client.credentials(HTTP_X_API_KEY=raw)
    return client


def test_an_admin_creates_a_key_that_is_shown_once_and_stored_hashed(api, member, org):
    admin = api(member(Role.ADMIN))
    response = admin.post(
        KEYS,
        {"name": "Badge printer", "scopes": ["registrations:read", "events:read"], "allowedIps": ["10.0.0.0/8", "192.0.2.7"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    raw = body["key"]
    assert raw.startswith("emp_live_") and len(raw) >= len("emp_live_") + 43
    assert body["prefix"] == raw[:17] and body["status"] == "active" and response["Cache-Control"] == "no-store"
    assert body["scopes"] == ["events:read", "registrations:read"]
    assert body["allowedIps"] == ["10.0.0.0/8", "192.0.2.7/32"]

    stored = ApiKey.objects.get(pk=body["id"])
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiKey.objects.filter(pk=stored.pk).values().get())
    assert "key" not in admin.get(f"{KEYS}/{stored.id}").json()
    assert [k["id"] for k in admin.get(KEYS).json()["data"]] == [str(stored.id)]
    entry = AuditEntry.objects.get(action="api_key.created")
    assert raw not in str(entry.changes) and entry.changes["prefix"] == stored.prefix


def test_the_key_works_as_bearer_and_as_x_api_key_and_is_limited_to_its_organization(org, other_org):
    EventFactory(organization=org, title="Ours")
    EventFactory(organization=other_org, title="Theirs")
    key, raw = make_key(org, ["events:read"])
    for client in (keyed(raw), keyed(raw, header="x-api-key")):
        response = client.get("/api/v1/events")
        assert response.status_code == 200
        assert [e["title"] for e in response.json()["data"]] == ["Ours"]
    key.refresh_from_db()
    assert key.last_used_at is not None
    response = keyed(raw).get("/api/v1/events", HTTP_X_ORGANIZATION_ID=str(other_org.id))
    assert response.status_code == 404 and error_of(response)["code"] == "ORGANIZATION_NOT_FOUND"


def test_a_missing_scope_is_named_and_writes_are_audited_as_the_key(org):
    _, raw = make_key(org, ["events:read"])
    response = keyed(raw).post("/api/v1/venues", {"name": "Hall", "city": "Oslo"}, format="json")
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "INSUFFICIENT_SCOPE" and error["details"]["requiredScope"] == "events:write"

    _, writer = make_key(org, ["events:write"])
    assert keyed(writer).post("/api/v1/venues", {"name": "Hall", "city": "Oslo"}, format="json").status_code == 201
    entry = AuditEntry.objects.get(action="venue.created")
    assert entry.actor_id.startswith("api_key:") and "API key Sync" in entry.actor_label


@pytest.mark.parametrize(
    ("raw", "message"),
    [("emp_live_" + "x" * 43, "not valid"), ("emp_test_short", "not valid")],
)
def test_unknown_keys_are_refused_and_audited(raw, message):
    response = keyed(raw).get("/api/v1/events")
    assert response.status_code == 401 and message in error_of(response)["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    entry = AuditEntry.objects.get(action="auth.failed")
    assert entry.organization_id is None and raw not in str(entry.changes)


def test_a_malformed_bearer_never_falls_back_to_the_session(client_owner):
    client_owner.credentials(HTTP_AUTHORIZATION="Bearer not-a-key")
    response = client_owner.get("/api/v1/events")
    assert response.status_code == 401 and error_of(response)["code"] == "AUTHENTICATION_FAILED"


def test_expired_and_revoked_keys_are_refused(org, owner):
    now = timezone.now()
    expiring, raw = make_key(org, ["events:read"], expires_at=now + dt.timedelta(minutes=5))
    assert keyed(raw).get("/api/v1/events").status_code == 200
    ApiKey.objects.filter(pk=expiring.pk).update(expires_at=now - dt.timedelta(seconds=1))
    response = keyed(raw).get("/api/v1/events")
    assert response.status_code == 401 and error_of(response)["message"] == "The API key is expired."

    revoked, raw = make_key(org, ["events:read"])
    services.api_key_revoke(actor=owner, key=revoked)
    response = keyed(raw).get("/api/v1/events")
    assert response.status_code == 401 and error_of(response)["message"] == "The API key is revoked."
    assert AuditEntry.objects.filter(action="auth.failed", organization_id=org.id).count() == 2


def test_the_ip_allowlist(org):
    _, raw = make_key(org, ["events:read"], allowed_ips=["192.0.2.0/24"])
    assert keyed(raw, REMOTE_ADDR="192.0.2.44").get("/api/v1/events").status_code == 200
    response = keyed(raw, REMOTE_ADDR="198.51.100.1").get("/api/v1/events")
    assert response.status_code == 403 and error_of(response)["code"] == "IP_NOT_ALLOWED"


def test_the_ip_allowlist_reads_the_trusted_proxy_hop(settings, org):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    _, raw = make_key(org, ["events:read"], allowed_ips=["192.0.2.0/24"])
    client = keyed(raw, REMOTE_ADDR="10.0.0.1")
    assert client.get("/api/v1/events", HTTP_X_FORWARDED_FOR="198.51.100.9, 192.0.2.5").status_code == 200
    assert client.get("/api/v1/events", HTTP_X_FORWARDED_FOR="192.0.2.5, 198.51.100.9").status_code == 403


def test_rotation_keeps_the_old_key_for_the_grace_period(api, member, org):
    admin = api(member(Role.ADMIN))
    created = admin.post(KEYS, {"name": "Sync", "scopes": ["events:read"]}, format="json").json()
    response = admin.post(f"{KEYS}/{created['id']}/rotate", {"gracePeriodHours": 2}, format="json")
    assert response.status_code == 201
    new = response.json()
    assert new["key"] != created["key"] and new["scopes"] == ["events:read"] and new["name"] == "Sync"
    old = admin.get(f"{KEYS}/{created['id']}").json()
    assert old["replacedById"] == new["id"] and old["status"] == "active"
    assert (
        dt.timedelta(hours=1, minutes=59) < dt.datetime.fromisoformat(old["expiresAt"]) - timezone.now() <= dt.timedelta(hours=2)
    )
    assert keyed(created["key"]).get("/api/v1/events").status_code == 200
    assert keyed(new["key"]).get("/api/v1/events").status_code == 200

    ApiKey.objects.filter(pk=created["id"]).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert keyed(created["key"]).get("/api/v1/events").status_code == 401
    response = admin.post(f"{KEYS}/{created['id']}/rotate", {"gracePeriodHours": 1}, format="json")
    assert response.status_code == 409 and error_of(response)["code"] == "API_KEY_NOT_ACTIVE"


@pytest.mark.parametrize("hours", [-1, 169])
def test_rotation_grace_is_at_most_seven_days(api, member, hours):
    admin = api(member(Role.ADMIN))
    created = admin.post(KEYS, {"name": "Sync", "scopes": ["events:read"]}, format="json").json()
    response = admin.post(f"{KEYS}/{created['id']}/rotate", {"gracePeriodHours": hours}, format="json")
    assert response.status_code == 400 and error_of(response)["target"] == "gracePeriodHours"


def test_rotation_without_grace_revokes_the_old_key_and_revoke_is_immediate(api, member):
    admin = api(member(Role.ADMIN))
    created = admin.post(KEYS, {"name": "Sync", "scopes": ["events:read"]}, format="json").json()
    new = admin.post(f"{KEYS}/{created['id']}/rotate", {"gracePeriodHours": 0}, format="json").json()
    assert keyed(created["key"]).get("/api/v1/events").status_code == 401
    assert admin.post(f"{KEYS}/{new['id']}/revoke").json()["status"] == "revoked"
    assert keyed(new["key"]).get("/api/v1/events").status_code == 401
    assert admin.post(f"{KEYS}/{new['id']}/revoke").status_code == 200  # revoking twice changes nothing
    assert AuditEntry.objects.filter(action="api_key.revoked").count() == 1


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ({"name": "K", "scopes": []}, "scopes"),
        ({"name": "K", "scopes": ["events:delete"]}, "scopes[0]"),
        ({"name": "K", "scopes": ["events:read"], "allowedIps": ["10.0.0.300"]}, "allowedIps"),
        ({"name": "K", "scopes": ["events:read"], "expiresAt": "2001-01-01T00:00:00Z"}, "expiresAt"),
        ({"name": "K", "scopes": ["events:read"], "mode": "prod"}, "mode"),
        ({"scopes": ["events:read"]}, "name"),
    ],
)
def test_bad_key_input_is_refused_and_nothing_is_created(client_owner, body, target):
    response = client_owner.post(KEYS, body, format="json")
    assert response.status_code == 400 and error_of(response)["target"] == target
    assert ApiKey.objects.count() == 0


def test_an_admin_cannot_grant_what_their_role_cannot_do(api, member):
    admin = api(member(Role.ADMIN))  # admins do not issue refunds
    response = admin.post(KEYS, {"name": "K", "scopes": ["payments:write"]}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["target"] == "scopes" and error["details"][0]["code"] == "SCOPE_NOT_GRANTABLE"
    assert api(member(Role.OWNER)).post(KEYS, {"name": "K", "scopes": ["payments:write"]}, format="json").status_code == 201


@pytest.mark.parametrize("role", [Role.EDITOR, Role.FINANCE, Role.CHECKIN, Role.VIEWER])
def test_only_owners_and_admins_manage_keys(api, member, role):
    client = api(member(role))
    assert client.get(KEYS).status_code == 403
    assert client.post(KEYS, {"name": "K", "scopes": ["events:read"]}, format="json").status_code == 403


def test_a_key_cannot_manage_keys(org):
    _, raw = make_key(org, list(services.scopes_module.SCOPES))
    response = keyed(raw).post(KEYS, {"name": "Escalate", "scopes": ["events:read"]}, format="json")
    assert response.status_code == 403 and error_of(response)["code"] == "PERMISSION_DENIED"
    assert keyed(raw).get(KEYS).status_code == 403


def test_test_keys_have_their_own_prefix_and_act_only_in_a_sandbox(org):
    _, raw = make_key(org, ["events:read"], mode="test")
    assert raw.startswith("emp_test_")
    refused = keyed(raw).get("/api/v1/events")
    assert refused.status_code == 403 and error_of(refused)["code"] == "SANDBOX_UNAVAILABLE"
    sandbox_create(actor=SYSTEM, organization=org)
    assert keyed(raw).get("/api/v1/events").status_code == 200


def test_last_use_is_written_at_most_once_a_minute(org, django_assert_num_queries):
    key, raw = make_key(org, ["events:read"])
    client = keyed(raw)
    client.get("/api/v1/ping")
    with django_assert_num_queries(1):  # the key and its organization; no write
        assert client.get("/api/v1/ping").status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    # the key, then the UPDATE in its own transaction (a savepoint and its release inside the test's),
    # its lock wait bounded on PostgreSQL (SET LOCAL lock_timeout, ADR 0018)
    with django_assert_num_queries(1 + 3 + (1 if connection.vendor == "postgresql" else 0)):
        client.get("/api/v1/ping")
    assert ApiKey.objects.get(pk=key.pk).last_used_at > timezone.now() - dt.timedelta(minutes=1)


def test_create_api_key_command_prints_the_key_once(org):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_key", "--org", org.slug, "--scopes", "events:read, registrations:write", "--test", stdout=out, stderr=err
    )
    raw = out.getvalue().strip()
    key = ApiKey.objects.get()
    assert raw.startswith("emp_test_") and key.key_hash == digest(raw)
    assert key.scopes == ["events:read", "registrations:write"] and raw not in err.getvalue()
    sandbox_create(actor=SYSTEM, organization=org)
    assert keyed(raw).get("/api/v1/events").status_code == 200

    with pytest.raises(CommandError, match="No organization"):
        call_command("create_api_key", "--org", "nope", "--scopes", "events:read", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="Unknown scope"):
        call_command("create_api_key", "--org", org.slug, "--scopes", "events:nuke", stdout=StringIO(), stderr=StringIO())


def test_the_service_refuses_an_expiry_in_the_past(org):
    with pytest.raises(DomainError) as excinfo:
        make_key(org, ["events:read"], expires_at=timezone.now() - dt.timedelta(days=1))
    assert excinfo.value.target == "expiresAt"
