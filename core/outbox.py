"""The transactional outbox: what partners may subscribe to, written in the writer's transaction.

``publish`` must be called inside the service's ``transaction.atomic`` block, so
the outbox row commits with the change it describes, or not at all. Delivery
(webhooks, connectors) reads committed rows later; nothing is sent from here.

The hook for delivery: once the writer's transaction has committed, the signal
``published`` is sent with the organization and the rows written (``sender=OutboxEvent``,
keyword arguments ``organization_id``, ``ids`` and ``rows``, the OutboxEvent instances in
the order they were published: a receiver that needs their type or data reads no row).
Receivers run after the commit, outside the writer's transaction, and must be
cheap: the registration hot path sends it. A receiver that fails is logged and
does not fail the request; the periodic sweep of ``integrations`` dispatches any
row whose dispatch was missed. core imports no app, so ``integrations`` connects
to the signal in its ``AppConfig.ready``.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.dispatch import Signal
from django.utils import timezone

from core import rows
from core.correlation import get_correlation_id
from core.models import OutboxEvent

# The catalog of event types (integration specification, section 6.1): type -> description.
EVENT_TYPES: dict[str, str] = {
    "event.created": "New event created",
    "event.updated": "Event details updated",
    "event.published": "Event published and made public",
    "event.cancelled": "Event cancelled",
    "registration.created": "New registration submitted",
    "registration.confirmed": "Registration confirmed",
    "registration.cancelled": "Registration cancelled",
    "payment.completed": "Payment successfully processed",
    "payment.failed": "Payment processing failed",
    "payment.refunded": "Payment refunded",
    "checkin.completed": "Attendee checked in",
    "session.created": "New session created",
    "session.updated": "Session details updated",
    "session.cancelled": "Session cancelled",
}


logger = logging.getLogger(__name__)

# Sent after the commit of a transaction that published rows: organization_id, ids, rows (module docstring).
published = Signal()


class UnknownEventType(ValueError):
    pass


# Rows published in the current transaction and not yet announced, kept on its connection. Every publish
# registers the callback (one registered in a savepoint that rolls back is dropped with it); the first to run
# after the commit announces them all, once per organization, and the others find nothing left. When none of
# those callbacks is pending, what is left belongs to a transaction that rolled back and is dropped.
def _queue_announcement(organization_id: uuid.UUID, rows_out: list[OutboxEvent]) -> None:
    connection = transaction.get_connection()
    ours = any(func is _announce_pending for _, func, _ in connection.run_on_commit)
    pending: dict[uuid.UUID, list[OutboxEvent]] | None = getattr(connection, "outbox_pending", None) if ours else None
    if pending is None:
        pending = connection.outbox_pending = {}  # type: ignore[attr-defined]
    pending.setdefault(organization_id, []).extend(rows_out)
    transaction.on_commit(_announce_pending)


def _announce_pending() -> None:
    connection = transaction.get_connection()
    pending = getattr(connection, "outbox_pending", None) or {}
    connection.outbox_pending = {}  # type: ignore[attr-defined]
    for organization_id, rows_out in pending.items():
        _announce(organization_id, rows_out)


def _announce(organization_id: uuid.UUID, rows_out: list[OutboxEvent]) -> None:
    ids = [row.id for row in rows_out]
    for receiver, result in published.send_robust(sender=OutboxEvent, organization_id=organization_id, ids=ids, rows=rows_out):
        if isinstance(result, Exception):
            logger.warning("outbox receiver %r failed; the sweep will dispatch", receiver, exc_info=result)


def publish(event_type: str, organization_id: uuid.UUID, data: dict[str, Any]) -> OutboxEvent:
    """Record that ``event_type`` happened, with ``data`` as the API renders the resource.

    Raises UnknownEventType for a type outside the catalog, and RuntimeError
    outside a transaction (a row written in autocommit could describe a change
    that is then rolled back).
    """
    [row] = publish_many(organization_id, [(event_type, data)])
    return row


def publish_many(
    organization_id: uuid.UUID,
    events: Sequence[tuple[str, dict[str, Any]]],
    *,
    together_with: Sequence[Sequence[Model]] = (),
) -> list[OutboxEvent]:
    """``publish`` each ``(event_type, data)``, in order (checked all before any is written). Raises as ``publish``.

    ``together_with``: unsaved rows of the same change (the rows it describes, their
    audit entries) written in the same statement as the outbox rows, before them
    (``core.rows.insert_together``): a hot path saves its round trips.
    """
    for event_type, _ in events:
        if event_type not in EVENT_TYPES:
            raise UnknownEventType(event_type)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("core.outbox.publish must run inside the service's transaction")
    correlation_id = get_correlation_id()
    now = timezone.now()
    # One INSERT for all (core.rows: bulk_create's UNNEST arrays cost more for a few rows), each row a
    # microsecond after the one before, so created_at keeps the order they were published in.
    rows_out = [
        OutboxEvent(
            organization_id=organization_id,
            event_type=event_type,
            data=data,
            correlation_id=correlation_id,
            created_at=now + dt.timedelta(microseconds=i),
        )
        for i, (event_type, data) in enumerate(events)
    ]
    rows.insert_together([*together_with, rows_out])
    # Registering the callback costs no query; what receivers do happens after the commit.
    _queue_announcement(organization_id, rows_out)
    return rows_out


def purge_dispatched(*, before: dt.datetime) -> int:
    """Delete outbox rows dispatched before ``before``; returns how many.

    A dispatched row has served its purpose: each delivery keeps its own copy of
    the body it sends. Rows not yet dispatched are never deleted.
    """
    deleted, _ = OutboxEvent.objects.filter(dispatched_at__isnull=False, dispatched_at__lt=before).delete()
    return deleted
