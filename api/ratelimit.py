"""Rate limits per client: a token bucket (requests a minute and burst) and a cap on requests in flight.

Tiers come from the integration specification (``settings.RATE_LIMIT_TIERS``).
A client is an API key, an OAuth application with its user, a signed-in user,
or for anonymous callers their address. The state is shared by every worker:
in Redis in production (one Lua script a request, atomic), in the database on
a single machine (UNLOGGED tables on PostgreSQL). Every API response carries
``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``; a
request over the limit is a 429 ``RATE_LIMITED`` with ``Retry-After``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import secrets
import time
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from rest_framework import exceptions as drf
from rest_framework.request import Request

from accounts.models import RateTier
from api.context import client_identity
from api.exceptions import ApiError
from api.models import RateBucket, RateLease
from core import errors as codes
from core import locks, metrics


@dataclass(frozen=True)
class Tier:
    name: str
    per_minute: int
    burst: int
    concurrent: int

    @property
    def rate(self) -> float:
        """Tokens a second."""
        return self.per_minute / 60.0


def tier(name: str) -> Tier:
    spec = settings.RATE_LIMIT_TIERS[name]
    return Tier(name=name, per_minute=spec["per_minute"], burst=spec["burst"], concurrent=spec["concurrent"])


@dataclass(frozen=True)
class Decision:
    allowed: bool
    tier: Tier
    tokens: float  # left in the bucket after this request
    now: float
    reason: str = ""  # "rate" or "concurrency" when refused
    lease: str | None = None

    @property
    def remaining(self) -> int:
        return max(0, math.floor(self.tokens))

    @property
    def reset(self) -> int:
        """Unix time at which the bucket is full again."""
        return math.ceil(self.now + max(0.0, self.tier.burst - self.tokens) / self.tier.rate)

    @property
    def retry_after(self) -> int:
        if self.reason == "rate":
            return max(1, math.ceil((1 - self.tokens) / self.tier.rate))
        return 1

    def headers(self) -> dict[str, str]:
        out = {
            "X-RateLimit-Limit": str(self.tier.per_minute),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            out["Retry-After"] = str(self.retry_after)
        return out


class Store(Protocol):
    def acquire(self, key: str, tier: Tier, now: float) -> Decision: ...

    def release(self, key: str, lease: str) -> None: ...


def _take(tokens: float, stamp: float, tier: Tier, now: float) -> float:
    """The bucket's tokens at ``now`` (refilled since ``stamp``, capped at the burst)."""
    return min(float(tier.burst), tokens + max(0.0, now - stamp) * tier.rate)


class DatabaseStore:
    """Buckets and leases in the database: for a single machine (the default without Redis)."""

    def acquire(self, key: str, tier: Tier, now: float) -> Decision:
        lease_seconds = settings.RATE_LIMIT_LEASE_SECONDS
        with transaction.atomic(), locks.bounded():
            bucket = RateBucket.objects.select_for_update().filter(key=key).first()
            if bucket is None:  # a new client: a full bucket, created once whoever races for it
                RateBucket.objects.bulk_create([RateBucket(key=key, tokens=tier.burst, stamp=now)], ignore_conflicts=True)
                bucket = RateBucket.objects.select_for_update().get(key=key)
            tokens = _take(bucket.tokens, bucket.stamp, tier, now)
            if tokens < 1:
                reason = "rate"
            elif RateLease.objects.filter(key=key, started__gt=now - lease_seconds).count() >= tier.concurrent:
                reason = "concurrency"
            else:
                reason = ""
                tokens -= 1
            RateBucket.objects.filter(key=key).update(tokens=tokens, stamp=now)
            lease = None
            if not reason:
                lease = secrets.token_hex(16)
                RateLease.objects.create(id=lease, key=key, started=now)
        return Decision(allowed=not reason, tier=tier, tokens=tokens, now=now, reason=reason, lease=lease)

    def release(self, key: str, lease: str) -> None:
        RateLease.objects.filter(id=lease).delete()


# KEYS: the bucket (a hash) and the leases (a sorted set by start time).
# ARGV: now, rate a second, burst, concurrent limit, lease id, lease seconds.
_LUA = """
local now = tonumber(ARGV[1]); local rate = tonumber(ARGV[2]); local burst = tonumber(ARGV[3])
local limit = tonumber(ARGV[4]); local lease = ARGV[5]; local ttl = tonumber(ARGV[6])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1]); local stamp = tonumber(state[2])
if tokens == nil then tokens = burst; stamp = now end
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - ttl)
local reason = ''
if tokens < 1 then
  reason = 'rate'
elseif redis.call('ZCARD', KEYS[2]) >= limit then
  reason = 'concurrency'
else
  tokens = tokens - 1
  redis.call('ZADD', KEYS[2], now, lease)
  redis.call('EXPIRE', KEYS[2], math.ceil(ttl))
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return {reason, tostring(tokens)}
"""


class RedisStore:
    """Buckets and leases in Redis, shared by every machine; one atomic script a request."""

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.script = self.client.register_script(_LUA)

    def acquire(self, key: str, tier: Tier, now: float) -> Decision:
        lease = secrets.token_hex(16)
        raw_reason, raw_tokens = self.script(
            keys=[f"{settings.RATE_LIMIT_REDIS_PREFIX}:b:{key}", f"{settings.RATE_LIMIT_REDIS_PREFIX}:c:{key}"],
            args=[now, tier.rate, tier.burst, tier.concurrent, lease, settings.RATE_LIMIT_LEASE_SECONDS],
        )
        reason = raw_reason.decode() if isinstance(raw_reason, bytes) else str(raw_reason or "")
        tokens = float(raw_tokens)
        return Decision(allowed=not reason, tier=tier, tokens=tokens, now=now, reason=reason, lease=None if reason else lease)

    def release(self, key: str, lease: str) -> None:
        self.client.zrem(f"{settings.RATE_LIMIT_REDIS_PREFIX}:c:{key}", lease)


@functools.cache
def _store(kind: str, url: str) -> Store:
    return RedisStore(url) if kind == "redis" else DatabaseStore()


def store() -> Store:
    return _store(settings.RATE_LIMIT_STORE, settings.RATE_LIMIT_REDIS_URL)


def enabled() -> bool:
    return bool(settings.RATE_LIMITS_ENABLED)


def acquire(request: Request) -> Decision:
    key, tier_name = client_identity(request)
    decision = store().acquire(key, tier(tier_name), time.time())
    request._rate_limit = (key, decision)  # type: ignore[attr-defined]
    return decision


def attempt(key: str, tier_name: str) -> Decision:
    """Count one attempt of ``key`` (a sign-in form, say) against a tier's rate; holds no concurrency slot."""
    limiter = store()
    decision = limiter.acquire(key, tier(tier_name), time.time())
    if decision.lease is not None:
        limiter.release(key, decision.lease)
    if not decision.allowed:
        metrics.rate_limit_refused(tier_name, "rate")
    return decision


def release(request: Request) -> None:
    held: Any = getattr(request, "_rate_limit", None)
    if held is not None and held[1].lease is not None:
        store().release(held[0], held[1].lease)
        request._rate_limit = (held[0], dataclasses.replace(held[1], lease=None))  # type: ignore[attr-defined]


def decision_of(request: Request) -> Decision | None:
    held = getattr(request, "_rate_limit", None)
    return held[1] if held is not None else None


def purge(now: float | None = None) -> int:
    """Delete database buckets that have refilled and leases past their time (the database store's upkeep)."""
    now = now or time.time()
    longest = max(spec["burst"] / (spec["per_minute"] / 60.0) for spec in settings.RATE_LIMIT_TIERS.values())
    buckets, _ = RateBucket.objects.filter(stamp__lt=now - longest).delete()
    leases, _ = RateLease.objects.filter(started__lt=now - settings.RATE_LIMIT_LEASE_SECONDS).delete()
    return buckets + leases


class RateLimitedView:
    """DRF view mixin: counts every request against its client before the permission checks.

    Refused credentials count against the caller's address, so guessing keys is
    limited like any anonymous traffic. The lease on a concurrency slot is given
    back when the response is finalized.
    """

    def perform_authentication(self, request: Request) -> None:
        # DRF's initial() authenticates, then checks permissions and throttles: the limit goes in between.
        try:
            super().perform_authentication(request)  # type: ignore[misc]
        except (drf.AuthenticationFailed, drf.NotAuthenticated, ApiError):
            _limit(request)
            raise
        _limit(request)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        decision = decision_of(request)
        if decision is not None:
            release(request)
            for name, value in decision.headers().items():
                response[name] = value
        return response


def _limit(request: Request) -> None:
    if not enabled():
        return
    decision = acquire(request)
    if not decision.allowed:
        metrics.rate_limit_refused(decision.tier.name, "concurrency" if decision.reason == "concurrency" else "rate")
        what = (
            f"more than {decision.tier.concurrent} requests at once"
            if decision.reason == "concurrency"
            else f"more than {decision.tier.per_minute} requests a minute (bursts of {decision.tier.burst})"
        )
        raise ApiError(
            codes.RATE_LIMITED,
            details=f"The {decision.tier.name} tier allows {what}. Retry after {decision.retry_after} s.",
        )


def markdown_table() -> str:
    """The tier table as docs/authentication.md shows it."""
    lines = ["| tier | client type | requests/minute | burst | concurrent requests |", "|---|---|---|---|---|"]
    for name, spec in settings.RATE_LIMIT_TIERS.items():
        label = RateTier(name).label
        lines.append(f"| `{name}` | {label} | {spec['per_minute']} | {spec['burst']} | {spec['concurrent']} |")
    return "\n".join(lines)
