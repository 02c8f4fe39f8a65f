"""Celery tasks of the shared kernel: the worker's heartbeat that ``/health/ready`` reads."""

from __future__ import annotations

from celery import shared_task

from core.health import WORKER, record_heartbeat
from core.jobs import TASK_DEFAULTS


# No retries: a heartbeat that failed is replaced by the next one (beat, every HEALTH_HEARTBEAT_SECONDS).
@shared_task(name="core.heartbeat", **{**TASK_DEFAULTS, "max_retries": 0})
def heartbeat() -> None:
    """Record that a worker took a task from the queue and ran it now (idempotent: it overwrites one row)."""
    record_heartbeat(WORKER)
