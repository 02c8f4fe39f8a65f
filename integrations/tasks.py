"""Celery tasks of webhook delivery: adapters that take ids and call ``integrations.services``.

All are idempotent: the database says what is due (``next_attempt_at``) and
who holds it (row locks and leases), so a message delivered twice, or lost,
changes nothing; the sweep every 30 seconds sends whatever is due.
"""

from __future__ import annotations

import datetime as dt
import uuid

from celery import shared_task
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


def _send_or_run(delivery_id: uuid.UUID) -> None:
    """Hand the delivery to a worker; when the broker cannot take it, attempt it here."""
    if not send_now(deliver, str(delivery_id)):
        deliver_now(str(delivery_id))


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def dispatch_outbox(outbox_ids: list[str] | None = None) -> int:
    """Turn outbox rows into deliveries (``outbox_ids``, else the oldest undispatched) and send them."""
    delivery_ids = services.outbox_dispatch(outbox_ids=outbox_ids)
    for delivery_id in delivery_ids:
        send_now(deliver, str(delivery_id))
    return len(delivery_ids)


def deliver_now(delivery_id: str) -> services.Outcome | None:
    """Attempt the delivery in this process (callable directly), scheduling a near retry as a countdown task."""
    outcome = services.delivery_attempt(delivery_id=delivery_id)
    if outcome is not None and outcome.retry_at is not None and outcome.retry_at - timezone.now() <= COUNTDOWN_HORIZON:
        _later(delivery_id, outcome.retry_at)
    return outcome


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def deliver(delivery_id: str) -> str | None:
    """Attempt one delivery if it is due (a no-op otherwise)."""
    outcome = deliver_now(delivery_id)
    return None if outcome is None else outcome.status


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def sweep(batch: int = 500) -> int:
    """Every 30 s: dispatch outbox rows whose dispatch was missed, then send every delivery that is due."""
    # Batches until the backlog is gone (bounded: rows other dispatchers hold are skipped, not waited for).
    for _ in range(MAX_DISPATCH_BATCHES):
        services.outbox_dispatch(limit=batch)
        if not selectors.outbox_backlog():
            break
    due = selectors.deliveries_due(now=timezone.now(), limit=batch)
    for delivery_id in due:
        _send_or_run(delivery_id)
    return len(due)


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def recover(subscription_id: str, since: str) -> int:
    """Resend every failed delivery of the subscription created since ``since`` (ISO 8601)."""
    ids = services.subscription_recover(subscription_id=subscription_id, since=dt.datetime.fromisoformat(since))
    for delivery_id in ids:
        _send_or_run(delivery_id)
    return len(ids)


@shared_task(**TASK_DEFAULTS, autoretry_for=(DatabaseError, Busy))
def purge() -> int:
    """Daily: attempt logs, finished deliveries and dispatched outbox rows older than 30 days."""
    return services.attempts_purge()
