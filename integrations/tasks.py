"""Celery tasks of webhook delivery: adapters that take ids and call ``integrations.services``.

All are idempotent: the database says what is due (``next_attempt_at``) and
who holds it (row locks and leases), so a message delivered twice, or lost,
changes nothing; the sweep every 30 seconds sends whatever is due.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence

from celery import Task, shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from core.jobs import TASK_DEFAULTS, send_now
from core.locks import Busy
from integrations import selectors, services

# A retry due sooner than this is also sent as a countdown message (the 5-second retry); later ones wait
# for the sweep. Either way the delivery row is the record: a lost message only delays the attempt.
COUNTDOWN_HORIZON = dt.timedelta(seconds=60)
MAX_DISPATCH_BATCHES = 20


def _later(delivery_id: str, when: dt.datetime) -> None:
    # A message that cannot be sent is only logged: the delivery row is due, and the sweep sends it.
    send_now(deliver, delivery_id, countdown=max((when - timezone.now()).total_seconds(), 0.0))


def batches(delivery_ids: Sequence[uuid.UUID | str]) -> Iterator[list[str]]:
    """``delivery_ids`` in lists of at most ``WEBHOOK_BATCH_SIZE``: one task message each."""
    ids = [str(i) for i in delivery_ids]
    size = max(settings.WEBHOOK_BATCH_SIZE, 1)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _send_or_run(delivery_ids: list[str]) -> None:
    """Hand a batch to a worker; when the broker cannot take it, attempt it here."""
    if not send_now(deliver_batch, delivery_ids):
        deliver_now(delivery_ids)


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def dispatch_outbox(outbox_ids: list[str] | None = None) -> int:
    """Turn outbox rows into deliveries (``outbox_ids``, else the oldest undispatched) and send them in batches."""
    delivery_ids = services.outbox_dispatch(outbox_ids=outbox_ids)
    for batch in batches(delivery_ids):
        send_now(deliver_batch, batch)
    return len(delivery_ids)


def deliver_now(delivery_ids: list[str]) -> dict[uuid.UUID, services.Outcome]:
    """Attempt the deliveries in this process (callable directly), scheduling near retries as countdown tasks."""
    outcomes = services.deliveries_attempt(delivery_ids=delivery_ids)
    horizon = timezone.now() + COUNTDOWN_HORIZON
    for delivery_id, outcome in outcomes.items():
        if outcome.retry_at is not None and outcome.retry_at <= horizon:
            _later(str(delivery_id), outcome.retry_at)
    return outcomes


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def deliver(delivery_id: str) -> str | None:
    """Attempt one delivery if it is due (a no-op otherwise): a retry's countdown, a test message, a replay."""
    outcome = deliver_now([delivery_id]).get(uuid.UUID(delivery_id))
    return None if outcome is None else outcome.status


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def deliver_batch(delivery_ids: list[str]) -> int:
    """Attempt every delivery of the batch that is due, each on its own schedule; returns how many were attempted."""
    return sum(outcome.attempted for outcome in deliver_now(delivery_ids).values())


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def sweep(batch: int = 500) -> int:
    """Every 30 s: dispatch outbox rows whose dispatch was missed, then send every delivery that is due."""
    # Batches until the backlog is gone (bounded: rows other dispatchers hold are skipped, not waited for).
    for _ in range(MAX_DISPATCH_BATCHES):
        services.outbox_dispatch(limit=batch)
        if not selectors.outbox_backlog():
            break
    due = selectors.deliveries_due(now=timezone.now(), limit=batch)
    for ids in batches(due):
        _send_or_run(ids)
    return len(due)


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def recover(subscription_id: str, since: str) -> int:
    """Resend every failed delivery of the subscription created since ``since`` (ISO 8601)."""
    ids = services.subscription_recover(subscription_id=subscription_id, since=dt.datetime.fromisoformat(since))
    for batch in batches(ids):
        _send_or_run(batch)
    return len(ids)


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def purge() -> int:
    """Daily: attempt logs, finished deliveries and dispatched outbox rows older than 30 days."""
    return services.attempts_purge()


# -- batch exports (integrations.exports) ---------------------------------------------------------
@shared_task(name="integrations.run_export", bind=True, **TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def run_export(self: Task, job_id: str) -> bool:
    """Run an export job if no live worker holds it; True when this run recorded its file. Idempotent.

    A message redelivered while the dead worker's lease still runs comes back when the lease ends.
    """
    from integrations import exports

    if exports.export_run(job_id=job_id):
        return True
    left = exports.lease_left(job_id)
    if left is not None:
        raise self.retry(countdown=left + 1, max_retries=None)
    return False


@shared_task(name="integrations.sweep_exports", **TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def sweep_exports() -> int:
    """Send every export job whose message was lost or whose worker died (its lease ran out); beat runs it."""
    from integrations import exports

    due = exports.exports_due()
    for job_id in due:
        send_now(run_export, str(job_id))
    return len(due)


# -- scheduled exports (integrations.schedules) -----------------------------------------------------
@shared_task(name="integrations.export_schedules_tick", **TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def export_schedules_tick() -> int:
    """Every minute (beat): start the scheduled exports that are due and send the runs whose retry is due."""
    from integrations import schedules

    return len(schedules.schedules_tick())


@shared_task(name="integrations.run_scheduled_export", **TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def run_scheduled_export(run_id: str) -> str | None:
    """Export and deliver one run of a schedule if it is due and free (idempotent: the run's lease and status)."""
    from integrations import schedules

    return schedules.run_attempt(run_id=run_id)


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError,))
def calendars_on_outbox(ids: list[str]) -> int:
    """Connected calendars to bring in step after committed outbox rows (a sync job per calendar and event)."""
    from integrations.calendars import sync

    return sync.on_outbox(ids)


@shared_task(name="integrations.calendars_sweep", **TASK_DEFAULTS, autoretry_for=(DatabaseError,))
def calendars_sweep() -> dict[str, int]:
    """Beat: renew the change-notification channels about to expire, and sync the outbox rows whose
    ``calendars_on_outbox`` message was lost."""
    from integrations.calendars import sync

    return {"renewing": sync.renew_due_watches(), "synced": sync.sweep_outbox()}
