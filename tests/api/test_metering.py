"""Request metering: real requests with an API key and an OAuth token counted per route template and status class,
refused requests of known credentials included; the bulk flush adds to stored rows; no SQL on the request path."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import AccessToken, ApiKey, Application
from api import metering
from api.metering import METER
from api.models import ApiUsage, CredentialKind
from core.audit import SYSTEM
from tests.oauth.helpers import client_credentials_token, make_app

pytestmark = pytest.mark.django_db


def key_client(org: Any, scopes: list[str] | None = None, **fields: Any) -> tuple[ApiKey, APIClient]:
    key, raw = account_services.api_key_create(
        actor=SYSTEM, organization=org, data={"name": "Sync", "scopes": scopes or ["events:read"], **fields}, creator_role=None
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return key, client


def rows_of(kind: str, credential_id: Any) -> dict[tuple[str, int], ApiUsage]:
    return {(u.route, u.status_class): u for u in ApiUsage.objects.filter(credential_kind=kind, credential_id=str(credential_id))}


def test_requests_with_an_api_key_are_counted_by_route_template_and_status_class(org):
    key, client = key_client(org)
    assert client.get("/api/v1/ping").status_code == 200
    assert client.get("/api/v1/ping").status_code == 200
    assert client.get("/api/v1/events").status_code == 200
    assert client.get(f"/api/v1/events/{uuid.uuid4()}").status_code == 404
    assert client.get(f"/api/v1/events/{uuid.uuid4()}").status_code == 404
    assert client.get("/api/v1/registrations").status_code == 403  # no registrations:read scope
    assert ApiUsage.objects.count() == 0  # nothing written on the request path

    assert METER.flush() == 4
    rows = rows_of(CredentialKind.API_KEY, key.pk)
    assert {k: (r.requests, r.errors) for k, r in rows.items()} == {
        ("/api/v1/ping", 2): (2, 0),
        ("/api/v1/events", 2): (1, 0),
        ("/api/v1/events/{id}", 4): (2, 2),
        ("/api/v1/registrations", 4): (1, 1),
    }
    ping = rows[("/api/v1/ping", 2)]
    assert ping.organization_id == org.pk
    assert 0 < ping.latency_ms_max <= ping.latency_ms_total < 10_000
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    assert ping.hour in (hour, hour - dt.timedelta(hours=1))  # the hour may have turned since the request


def test_requests_with_an_oauth_token_count_for_the_application_in_the_tokens_organization(org):
    app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"], name="Sync")
    token = client_credentials_token(app, secret, "events:read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/ping").status_code == 200
    assert client.get(f"/api/v1/events/{uuid.uuid4()}/sessions").status_code == 404
    assert client.post("/api/v1/events", {}, format="json").status_code == 403  # events:write not granted
    METER.flush()
    rows = rows_of(CredentialKind.OAUTH_APP, app.pk)
    assert {k: r.requests for k, r in rows.items()} == {
        ("/api/v1/ping", 2): 1,
        ("/api/v1/events/{eventId}/sessions", 4): 1,
        ("/api/v1/events", 4): 1,
    }
    assert {r.organization_id for r in rows.values()} == {org.pk}
    assert not ApiUsage.objects.filter(route="/o/token/").exists()  # the token endpoint is not the API


def test_refused_requests_of_a_known_credential_count_others_do_not(org, owner, api, settings):
    key, client = key_client(org)
    ApiKey.objects.filter(pk=key.pk).update(allowed_ips=["203.0.113.0/24"])
    assert client.get("/api/v1/ping").status_code == 403  # IP_NOT_ALLOWED
    ApiKey.objects.filter(pk=key.pk).update(allowed_ips=[], revoked_at=timezone.now())
    assert client.get("/api/v1/ping").status_code == 401  # revoked

    app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"])
    token = client_credentials_token(app, secret, "events:read")
    AccessToken.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bearer.get("/api/v1/ping").status_code == 401  # stored token expired (the JWT still verifies)

    # Unknown keys, sessions and anonymous callers belong to no credential: not metered.
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer emp_test_" + "x" * 43)
    assert stranger.get("/api/v1/ping").status_code == 401
    assert api(owner).get("/api/v1/ping").status_code == 200
    assert api().get("/api/v1/ping").status_code == 401

    METER.flush()
    assert {k: (r.requests, r.errors) for k, r in rows_of(CredentialKind.API_KEY, key.pk).items()} == {
        ("/api/v1/ping", 4): (2, 2)
    }
    assert {k: r.requests for k, r in rows_of(CredentialKind.OAUTH_APP, app.pk).items()} == {("/api/v1/ping", 4): 1}
    assert ApiUsage.objects.count() == 2


def test_a_request_refused_by_the_rate_limit_counts_as_a_4xx(org, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_STORE, settings.RATE_LIMIT_REDIS_URL = "database", ""
    settings.RATE_LIMIT_TIERS = {**settings.RATE_LIMIT_TIERS, "partner": {"per_minute": 1, "burst": 1, "concurrent": 5}}
    key, client = key_client(org)
    assert client.get("/api/v1/ping").status_code == 200
    assert client.get("/api/v1/ping").status_code == 429
    METER.flush()
    assert {k: r.requests for k, r in rows_of(CredentialKind.API_KEY, key.pk).items()} == {
        ("/api/v1/ping", 2): 1,
        ("/api/v1/ping", 4): 1,
    }


def test_two_flushes_of_the_same_bucket_add_up(org):
    _key, client = key_client(org)
    client.get("/api/v1/ping")
    client.get("/api/v1/ping")
    assert METER.flush() == 1
    [first] = ApiUsage.objects.all()
    client.get("/api/v1/ping")
    assert METER.pending == 1
    assert METER.flush() == 1
    [second] = ApiUsage.objects.all()
    assert second.pk == first.pk and second.requests == 3 and second.errors == 0
    assert second.latency_ms_total > first.latency_ms_total
    assert second.latency_ms_max >= first.latency_ms_max
    assert METER.flush() == 0  # nothing new: no statement at all


def test_the_upsert_adds_counts_keeps_the_largest_latency_and_writes_many_buckets(org):
    hour = 500_000
    kinds = CredentialKind.API_KEY, "k1", org.pk
    metering.write({(*kinds, "/api/v1/ping", 2, hour): [3, 0, 30.0, 20.0]})
    metering.write(
        {
            (*kinds, "/api/v1/ping", 2, hour): [2, 0, 5.0, 4.0],
            **{(*kinds, f"/api/v1/route{i}", 5, hour): [1, 1, 1.0, 1.0] for i in range(1200)},  # three statements
        }
    )
    ping = ApiUsage.objects.get(route="/api/v1/ping")
    assert (ping.requests, ping.errors, ping.latency_ms_total, ping.latency_ms_max) == (5, 0, 35.0, 20.0)
    assert ping.hour == dt.datetime.fromtimestamp(hour * 3600, tz=dt.UTC)
    assert ApiUsage.objects.filter(status_class=5, errors=1).count() == 1200


def test_the_flush_runs_after_the_response_once_enough_requests_are_counted(org, settings):
    settings.API_USAGE_FLUSH_REQUESTS = 3
    _key, client = key_client(org)
    client.get("/api/v1/ping")
    client.get("/api/v1/ping")
    assert not ApiUsage.objects.exists() and METER.pending == 2
    client.get("/api/v1/ping")  # request_finished: due, written
    assert ApiUsage.objects.get().requests == 3 and METER.pending == 0


def test_the_flush_runs_once_the_interval_has_passed(org, settings):
    _key, client = key_client(org)
    client.get("/api/v1/ping")
    assert not ApiUsage.objects.exists()
    settings.API_USAGE_FLUSH_SECONDS = 0
    client.get("/api/v1/ping")
    assert ApiUsage.objects.get().requests == 2


def test_metering_adds_no_query_to_an_api_request(org, settings, django_assert_num_queries):
    _key, client = key_client(org)
    client.get("/api/v1/ping")  # warm what is loaded once (the route template cache)
    settings.API_USAGE_METERING = False
    with CaptureQueriesContext(connection) as off:
        assert client.get("/api/v1/ping").status_code == 200
    settings.API_USAGE_METERING = True
    with django_assert_num_queries(len(off.captured_queries)):
        assert client.get("/api/v1/ping").status_code == 200
    assert METER.pending == 2  # the metered requests were counted, in memory only


def test_metering_off_counts_nothing(org, settings):
    settings.API_USAGE_METERING = False
    _key, client = key_client(org)
    client.get("/api/v1/ping")
    assert METER.pending == 0 and METER.flush() == 0


def _api_routes(patterns: list[Any], prefix: str = "") -> list[str]:
    routes = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes.extend(_api_routes(pattern.url_patterns, route))
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            routes.append(route)
    return routes


def test_every_api_route_template_is_a_path_of_the_api_reference():
    schema_paths = set(SchemaGenerator().get_schema(request=None, public=True)["paths"])
    # The index's route is /api/v1/; the reference names it /api/v1 (no documented path ends in a slash).
    templates = {metering.route_template(route).rstrip("/") for route in _api_routes(get_resolver().url_patterns)}
    assert templates <= schema_paths
    assert schema_paths <= templates
    assert metering.route_template("api/v1/events/(?P<pk>[0-9a-f]{8}(-[0-9a-f]{4}){3})$") == "/api/v1/events/{id}"
    assert metering.route_template("api/v1/events/<uuid:event_pk>/registration-settings") == (
        "/api/v1/events/{eventId}/registration-settings"
    )


def test_old_rows_are_purged_by_the_daily_job(org, settings):
    settings.API_USAGE_RETENTION_DAYS = 30
    now = timezone.now()
    old = int((now - dt.timedelta(days=31)).timestamp() // 3600)
    recent = int((now - dt.timedelta(days=29)).timestamp() // 3600)
    base = (CredentialKind.API_KEY, "k1", org.pk, "/api/v1/ping", 2)
    metering.write({(*base, old): [1, 0, 1.0, 1.0], (*base, recent): [1, 0, 1.0, 1.0]})
    call_command("purge_api_usage", stdout=io.StringIO())
    assert [u.hour.timestamp() // 3600 for u in ApiUsage.objects.all()] == [recent]


def test_a_failed_flush_keeps_its_counts_for_the_next_one(org, caplog):
    _, client = key_client(org)
    client.get("/api/v1/ping")
    # A row the database refuses (status_class is a positive field: a CHECK constraint on both backends).
    METER.add((CredentialKind.API_KEY, "k1", org.pk, "/api/v1/ping", -1, 1), 1.0, False)
    assert METER.flush() == 0
    assert "could not write API usage" in caplog.text
    assert not ApiUsage.objects.exists()
    assert METER.pending == 0 and not METER.due()  # the next attempt waits a full interval
    kept = METER.take()
    assert len(kept) == 2 and sum(c[0] for c in kept.values()) == 2
