"""Background jobs: how the apps enqueue Celery tasks and the retry policy they share.

Tasks are enqueued only once the writer's transaction has committed, so a worker
never looks for a row that is not there yet and a rolled-back change sends
nothing. A broker that cannot be reached does not fail the request: the job's
owner keeps a durable record (an outbox row, a delivery, an export job) that its
periodic sweep picks up later.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)

# What every platform task shares (DESIGN.md, Celery): acknowledged after it ran, retried with
# exponential backoff and jitter. Pass as ``@shared_task(**TASK_DEFAULTS)`` and add ``autoretry_for``
# (database errors, and ``core.locks.Busy``: a row lock not granted in time is retried, never a failure).
# A retry waits at most 4 minutes: a countdown message not yet due counts as unacknowledged on Redis,
# and one held past the visibility timeout (CELERY_VISIBILITY_TIMEOUT, 5 minutes) would run twice.
# Work due later is kept in the database and picked up by its owner's sweep (webhook retries).
TASK_DEFAULTS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "retry_backoff": 5,
    "retry_backoff_max": 240,
    "retry_jitter": True,
    "max_retries": 8,
}


def send_now(task: Task, *args: Any, countdown: float = 0, **kwargs: Any) -> bool:
    """Hand ``task`` to the broker (to run ``countdown`` seconds from now); False (logged) when it cannot take it."""
    options: dict[str, Any] = {"countdown": countdown} if countdown > 0 else {}
    try:
        # No publish retries: a request must not hang on a broker that is down; the sweep catches up.
        task.apply_async(args=list(args), kwargs=kwargs, retry=False, **options)
    except Exception:
        logger.warning("could not enqueue %s; its periodic sweep will pick it up", task.name, exc_info=True)
        return False
    return True


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send ``task(*args, **kwargs)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_now(task, *args, **kwargs))
