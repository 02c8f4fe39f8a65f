"""Celery tasks of the API layer: the upkeep of idempotency records and rate-limit rows."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from api import idempotency, ratelimit
from core.jobs import TASK_DEFAULTS


@shared_task(name="api.purge_idempotency_keys", autoretry_for=(OperationalError,), **TASK_DEFAULTS)
def purge_idempotency_keys() -> int:
    """Delete Idempotency-Key records past their TTL (beat, hourly); ``manage.py purge_idempotency_keys`` runs it."""
    return idempotency.purge_expired()


@shared_task(name="api.purge_rate_limits", autoretry_for=(OperationalError,), **TASK_DEFAULTS)
def purge_rate_limits() -> int:
    """Delete refilled buckets and stale leases of the database store (beat); ``manage.py purge_rate_limits`` runs it."""
    return ratelimit.purge()
