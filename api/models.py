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
