"""Celery tasks of the shared kernel: the worker's heartbeat that ``/health/ready`` reads, and the change log's purge."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError

from core import changes
from core.health import WORKER, record_heartbeat
from core.jobs import TASK_DEFAULTS
from core.locks import Busy

logger = logging.getLogger(__name__)


# No retries: a heartbeat that failed is replaced by the next one (beat, every HEALTH_HEARTBEAT_SECONDS).
@shared_task(name="core.heartbeat", **{**TASK_DEFAULTS, "max_retries": 0})
def heartbeat() -> None:
    """Record that a worker took a task from the queue and ran it now (idempotent: it overwrites one row)."""
    record_heartbeat(WORKER)


@shared_task(name="core.purge_changes", **TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def purge_changes() -> dict[str, int]:
    """Daily (beat): the change feed's retention and compaction (``core.changes.purge``). Idempotent."""
    done = changes.purge()
    logger.info(
        "change log purged: %d numbered, %d past the retention, %d superseded",
        done.stamped,
        done.expired,
        done.compacted,
    )
    return {"stamped": done.stamped, "expired": done.expired, "compacted": done.compacted}
