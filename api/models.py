"""Rows the HTTP layer keeps: stored responses for Idempotency-Key."""

from __future__ import annotations

from django.db import models


class IdempotencyRecord(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress"
        COMPLETED = "completed"

    id = models.BigAutoField(primary_key=True)
    scope = models.CharField(max_length=100, help_text="organization and caller the key belongs to")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of method, path and body")
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_headers = models.JSONField(default=dict)
    response_body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_unique_per_scope")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class RateBucket(models.Model):
    """A client's token bucket (rate and burst) when the rate limiter keeps its state in the database.

    Kept in an UNLOGGED table on PostgreSQL: losing it in a crash only refills the buckets.
    """

    key = models.CharField(max_length=200, primary_key=True)
    tokens = models.FloatField()
    stamp = models.FloatField(help_text="Unix time of the last update.")

    def __str__(self) -> str:
        return self.key


class RateLease(models.Model):
    """One request in flight for a client (the concurrency limit); stale leases of killed workers expire."""

    id = models.CharField(max_length=32, primary_key=True)
    key = models.CharField(max_length=200)
    started = models.FloatField(help_text="Unix time the request started.")

    class Meta:
        indexes = [models.Index(fields=["key", "started"])]

    def __str__(self) -> str:
        return f"{self.key} {self.id}"


class CredentialKind(models.TextChoices):
    API_KEY = "api_key", "API key"
    OAUTH_APP = "oauth_app", "OAuth application"


class ApiUsage(models.Model):
    """Requests of one credential to one route in one hour, with one status class (``api.metering``).

    Counters only grow: each worker adds what it counted in memory since its
    last flush (one ``INSERT ... ON CONFLICT DO UPDATE``). ``organization`` is the
    one the request acted in (a key's own; the token's for an OAuth application);
    it is not a foreign key, so a flush never fails on a tenant deleted meanwhile
    (its rows age out with the others).
    """

    id = models.BigAutoField(primary_key=True)
    credential_kind = models.CharField(max_length=10, choices=CredentialKind.choices)
    credential_id = models.CharField(max_length=40, help_text="The API key's UUID or the OAuth application's id.")
    organization_id = models.UUIDField()
    route = models.CharField(max_length=200, help_text="The route template, e.g. /api/v1/events/{id}.")
    status_class = models.PositiveSmallIntegerField(help_text="2, 3, 4 or 5 (2xx ... 5xx).")
    hour = models.DateTimeField(help_text="Start of the hour the requests finished in (UTC).")
    requests = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0, help_text="Requests answered 4xx or 5xx.")
    latency_ms_total = models.FloatField(default=0.0)
    latency_ms_max = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            # The upsert's conflict target, and (credential first, then hour) the index of every read.
            models.UniqueConstraint(
                fields=["credential_kind", "credential_id", "hour", "route", "status_class", "organization_id"],
                name="api_usage_bucket_unique",
            )
        ]
        indexes = [models.Index(fields=["hour"], name="api_usage_hour")]

    def __str__(self) -> str:
        return f"{self.credential_kind}:{self.credential_id} {self.route} {self.status_class}xx @{self.hour:%Y-%m-%d %H}"
