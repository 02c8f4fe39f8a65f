"""Celery tasks of the API layer: the upkeep of idempotency records, rate-limit rows and usage counters."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from api import idempotency, metering, ratelimit
from core.jobs import TASK_DEFAULTS
from core.locks import Busy


@shared_task(name="api.purge_idempotency_keys", autoretry_for=(OperationalError, Busy), **TASK_DEFAULTS)
def purge_idempotency_keys() -> int:
    """Delete Idempotency-Key records past their TTL (beat, hourly); ``manage.py purge_idempotency_keys`` runs it."""
    return idempotency.purge_expired()


@shared_task(name="api.purge_rate_limits", autoretry_for=(OperationalError, Busy), **TASK_DEFAULTS)
def purge_rate_limits() -> int:
    """Delete refilled buckets and stale leases of the database store (beat); ``manage.py purge_rate_limits`` runs it."""
    return ratelimit.purge()


@shared_task(name="api.purge_usage", autoretry_for=(OperationalError, Busy), **TASK_DEFAULTS)
def purge_usage() -> int:
    """Delete request counters older than API_USAGE_RETENTION_DAYS (beat, daily); ``manage.py purge_api_usage`` runs it."""
    return metering.purge()
