"""Rate limits per client and tier: headers on every answer, 429 after the burst, Retry-After, concurrency."""

from __future__ import annotations

import http.client
import math
import os
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ApiKey, RateTier
from api import ratelimit
from api.models import RateBucket, RateLease
from api.views import PingView
from core.audit import SYSTEM
from tests.conftest import error_of

TIERS = django_settings.RATE_LIMIT_TIERS
REDIS_URL = os.environ.get("REDIS_URL", "")


class Clock:
    """The limiter's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    fake = Clock()
    monkeypatch.setattr(ratelimit.time, "time", fake)
    return fake


@pytest.fixture(params=["database", "redis"])
def store(request: Any, settings: Any) -> str:
    """Each test runs against both stores (Redis when REDIS_URL is set, as in CI)."""
    settings.RATE_LIMITS_ENABLED = True
    if request.param == "redis":
        if not REDIS_URL:
            pytest.skip("needs Redis (set REDIS_URL): the production store")
        settings.RATE_LIMIT_STORE, settings.RATE_LIMIT_REDIS_URL = "redis", REDIS_URL
        settings.RATE_LIMIT_REDIS_PREFIX = f"rl-test-{uuid.uuid4().hex}"  # no test sees another's buckets
    else:
        settings.RATE_LIMIT_STORE, settings.RATE_LIMIT_REDIS_URL = "database", ""
    return request.param


def key_client(org: Any, tier: str = "") -> APIClient:
    key, raw = account_services.api_key_create(
        actor=SYSTEM, organization=org, data={"name": f"k{tier}", "scopes": ["events:read"]}, creator_role=None
    )
    if tier:
        ApiKey.objects.filter(pk=key.pk).update(rate_tier=tier)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def client_for(tier: str, org: Any, api: Any, owner: Any) -> APIClient:
    if tier == "anonymous":
        return APIClient()
    if tier == "user":
        return api(owner)
    return key_client(org, "" if tier == "partner" else tier)


@pytest.mark.django_db
@pytest.mark.parametrize("tier", list(TIERS))
def test_each_tier_allows_its_burst_then_429_with_retry_after_honoured(tier, store, clock, org, api, owner):
    spec = TIERS[tier]
    client = client_for(tier, org, api, owner)
    expected = 401 if tier == "anonymous" else 200
    first = client.get("/api/v1/ping")
    assert first.status_code == expected
    assert first["X-RateLimit-Limit"] == str(spec["per_minute"])
    assert first["X-RateLimit-Remaining"] == str(spec["burst"] - 1)
    assert int(first["X-RateLimit-Reset"]) == math.ceil(clock.now + 60 / spec["per_minute"])
    for _ in range(spec["burst"] - 1):
        assert client.get("/api/v1/ping").status_code == expected

    refused = client.get("/api/v1/ping")
    assert refused.status_code == 429
    error = error_of(refused)
    assert error["code"] == "RATE_LIMITED" and f"The {tier} tier" in error["details"]
    retry_after = int(refused["Retry-After"])
    assert retry_after == math.ceil(60 / spec["per_minute"])
    assert refused["X-RateLimit-Remaining"] == "0"

    assert client.get("/api/v1/ping").status_code == 429  # retrying at once does not help
    clock.now += retry_after
    answer = client.get("/api/v1/ping")
    assert answer.status_code == expected
    assert answer["X-RateLimit-Remaining"] == str(math.floor(retry_after * spec["per_minute"] / 60 - 1))


@pytest.mark.django_db
def test_clients_have_their_own_buckets_and_tiers(store, clock, org, api, owner):
    first, second = key_client(org), key_client(org)
    for _ in range(TIERS["partner"]["burst"]):
        first.get("/api/v1/ping")
    assert first.get("/api/v1/ping").status_code == 429
    assert second.get("/api/v1/ping").status_code == 200
    assert api(owner).get("/api/v1/ping")["X-RateLimit-Limit"] == "60"
    internal = key_client(org, "internal").get("/api/v1/ping")
    assert internal["X-RateLimit-Limit"] == "600" and internal["X-RateLimit-Remaining"] == "199"


@pytest.mark.django_db
def test_refused_credentials_count_against_the_address(store, clock):
    guesser = APIClient(REMOTE_ADDR="203.0.113.9")
    guesser.credentials(HTTP_AUTHORIZATION="Bearer emp_live_" + "g" * 43)
    for _ in range(TIERS["anonymous"]["burst"]):
        assert guesser.get("/api/v1/events").status_code == 401
    assert guesser.get("/api/v1/events").status_code == 429
    assert APIClient(REMOTE_ADDR="203.0.113.10").get("/api/v1/events").status_code == 401  # another address


@pytest.mark.django_db
@pytest.mark.parametrize("tier", list(TIERS))
def test_the_store_caps_requests_in_flight_and_frees_slots(tier, store, clock):
    """Every tier's concurrency cap, in the store itself (anonymous callers never reach a slow view)."""
    limiter, spec = ratelimit.store(), ratelimit.tier(tier)
    held = [limiter.acquire("client", spec, clock.now) for _ in range(spec.concurrent)]
    assert all(d.allowed and d.lease for d in held)
    over = limiter.acquire("client", spec, clock.now)
    assert not over.allowed and over.reason == "concurrency" and over.retry_after == 1
    limiter.release("client", held[0].lease)
    assert limiter.acquire("client", spec, clock.now).allowed
    # A worker killed mid-request does not hold its slot for ever.
    clock.now += django_settings.RATE_LIMIT_LEASE_SECONDS + 1
    assert limiter.acquire("client", spec, clock.now).allowed


@pytest.mark.django_db
def test_the_database_store_keeps_little_and_purges_the_rest(settings, clock):
    settings.RATE_LIMITS_ENABLED = True
    limiter = ratelimit.DatabaseStore()
    decision = limiter.acquire("client", ratelimit.tier("user"), clock.now)
    assert RateBucket.objects.get().tokens == TIERS["user"]["burst"] - 1 and RateLease.objects.count() == 1
    limiter.release("client", decision.lease)
    assert RateLease.objects.count() == 0
    assert ratelimit.purge(now=clock.now + 1) == 0
    assert ratelimit.purge(now=clock.now + 3600) == 1 and RateBucket.objects.count() == 0


@pytest.mark.postgres  # many threads at once on one in-memory SQLite database lock its tables
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tier", ["user", "partner", "internal"])
def test_parallel_slow_requests_beyond_the_concurrency_limit_are_refused(tier, store, live_server, monkeypatch, org, owner):
    """``concurrent + 3`` requests at once, each held in the view until three have been refused."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    spec = TIERS[tier]
    release = threading.Event()
    original = PingView.get

    def slow_get(self: Any, request: Any) -> Any:
        release.wait(timeout=30)
        return original(self, request)

    monkeypatch.setattr(PingView, "get", slow_get)
    if tier == "user":
        django_client = APIClient()
        django_client.force_login(owner)
        headers = {"Cookie": f"sessionid={django_client.cookies['sessionid'].value}"}
    else:
        _, raw = account_services.api_key_create(
            actor=SYSTEM, organization=org, data={"name": "slow", "scopes": ["events:read"]}, creator_role=None
        )
        if tier == "internal":
            ApiKey.objects.update(rate_tier="internal")
        headers = {"Authorization": f"Bearer {raw}"}

    statuses: list[int] = []
    lock = threading.Lock()
    host, port = live_server.thread.host, live_server.thread.port

    def call() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        conn.request("GET", "/api/v1/ping", headers=headers)
        status = conn.getresponse().status
        conn.close()
        with lock:
            statuses.append(status)

    with ThreadPoolExecutor(max_workers=spec["concurrent"] + 3) as pool:
        futures = [pool.submit(call) for _ in range(spec["concurrent"] + 3)]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and Counter(statuses)[429] < 3:
            time.sleep(0.05)
        release.set()
        for future in futures:
            future.result()
    assert Counter(statuses) == {200: spec["concurrent"], 429: 3}


@pytest.mark.django_db
def test_purge_rate_limits_command(settings):
    from io import StringIO

    from django.core.management import call_command

    RateBucket.objects.create(key="ip:old", tokens=1, stamp=time.time() - 3600)
    RateLease.objects.create(id="stale", key="ip:old", started=time.time() - 3600)
    out = StringIO()
    call_command("purge_rate_limits", stdout=out)
    assert "Deleted 2 rate-limit row(s)." in out.getvalue() and not RateBucket.objects.exists()


def test_the_documentation_shows_the_tier_table():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "authentication.md").read_text(encoding="utf-8")
    assert ratelimit.markdown_table() in text
    # Every tier a client can be given (accounts.RateTier) has its numbers in settings, and no others.
    assert {"anonymous", "user", "partner", "internal"} == set(TIERS) == set(RateTier.values)


@pytest.mark.django_db
def test_an_oauth_application_and_its_user_share_a_bucket_in_the_applications_tier(store, clock, org):
    from accounts.models import Application
    from tests.oauth.helpers import client_credentials_token, make_app

    app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"])
    first, second = (client_credentials_token(app, secret, "events:read") for _ in range(2))
    answers = [APIClient().get("/api/v1/ping", HTTP_AUTHORIZATION=f"Bearer {token}") for token in (first, second)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0]["X-RateLimit-Limit"] == "300"  # partner, the default of applications
    # Two tokens of the same application (no user): one client, one bucket.
    assert int(answers[1]["X-RateLimit-Remaining"]) == int(answers[0]["X-RateLimit-Remaining"]) - 1
    Application.objects.filter(pk=app.pk).update(rate_tier="internal")
    assert APIClient().get("/api/v1/ping", HTTP_AUTHORIZATION=f"Bearer {first}")["X-RateLimit-Limit"] == "600"
