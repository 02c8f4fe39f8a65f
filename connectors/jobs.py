"""Durable connector jobs: a vendor call decided in a transaction and made after it commits.

A service calls ``submit`` inside its transaction (the row commits with the decision, or not at all); the job
is handed to a worker on commit, and the sweep runs any job whose message was lost. A handler registered with
``@operation("stripe.refund")`` makes the call through ``connectors.calls`` with ``job.idempotency_key`` and
records the outcome through the owning app's service; ``on_failure`` runs once when the job gives up.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Q

from connectors import clock
from connectors.calls import backoff
from connectors.exceptions import Disconnected, Rejected, Unavailable
from connectors.models import Connection, ConnectorJob, JobStatus
from core.jobs import enqueue

logger = logging.getLogger(__name__)

Handler = Callable[[Connection, ConnectorJob], dict[str, Any]]
FailureHandler = Callable[[Connection, ConnectorJob, str], None]


@dataclass(frozen=True)
class Operation:
    name: str
    run: Handler
    on_failure: FailureHandler | None = None


_OPERATIONS: dict[str, Operation] = {}


def operation(name: str, *, on_failure: FailureHandler | None = None) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _OPERATIONS[name] = Operation(name=name, run=fn, on_failure=on_failure)
        return fn

    return register


def submit(*, connection: Connection, operation: str, payload: dict[str, Any], idempotency_key: str) -> ConnectorJob:
    """Record the job in the caller's transaction and run it after the commit (once: the key is unique)."""
    if operation not in _OPERATIONS:
        raise LookupError(f"no connector operation {operation!r}")
    from connectors.tasks import run_job

    job, created = ConnectorJob.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "organization_id": connection.organization_id,
            "connection": connection,
            "operation": operation,
            "payload": payload,
            "next_attempt_at": clock.now(),
        },
    )
    if created:
        enqueue(run_job, str(job.pk))
    return job


def _claim(job_id: Any, now: dt.datetime) -> bool:
    lease = now + dt.timedelta(seconds=settings.CONNECTOR_JOB_LEASE_SECONDS)
    return bool(
        ConnectorJob.objects.filter(pk=job_id, status=JobStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease, attempts=F("attempts") + 1)
    )


def _give_up(op: Operation | None, job: ConnectorJob, error: str) -> None:
    ConnectorJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, last_error=error[:500], lease_until=None, finished_at=clock.now()
    )
    if op is not None and op.on_failure is not None:
        op.on_failure(job.connection, job, error)


def run(job_id: Any) -> str | None:
    """Attempt the job if it is due and nobody holds it; its status afterwards (None: not attempted)."""
    now = clock.now()
    if not _claim(job_id, now):
        return None
    job = ConnectorJob.objects.select_related("connection").get(pk=job_id)
    op = _OPERATIONS.get(job.operation)
    if op is None:
        _give_up(None, job, f"no connector operation {job.operation!r}")
        return JobStatus.FAILED
    try:
        result = op.run(job.connection, job)
    except (Rejected, Disconnected) as exc:
        _give_up(op, job, exc.message)
        return JobStatus.FAILED
    except Unavailable as exc:
        if job.attempts >= settings.CONNECTOR_JOB_MAX_ATTEMPTS:
            _give_up(op, job, exc.message)
            return JobStatus.FAILED
        due = clock.now() + dt.timedelta(seconds=backoff(job.attempts + 2, exc.retry_after))
        ConnectorJob.objects.filter(pk=job.pk).update(next_attempt_at=due, lease_until=None, last_error=exc.message[:500])
        return JobStatus.PENDING
    ConnectorJob.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, result=result, lease_until=None, last_error="", finished_at=clock.now()
    )
    return JobStatus.SUCCEEDED


def due(*, limit: int) -> list[str]:
    now = clock.now()
    ids = (
        ConnectorJob.objects.filter(status=JobStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return [str(i) for i in ids]
