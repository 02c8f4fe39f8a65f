"""Committed changes to the stream's clients, through the channel layer, after the writer's commit.

Receivers of ``core.outbox.published`` (the rows are in the signal: no read) and of
``integrations.signals.deliveries_changed`` (one read of the deliveries, only when a client
listens somewhere). Each asks ``listeners.listening`` first, so a write that nobody streams
costs nothing more. A failed send is logged and never fails the write: a client that missed
an event resumes from the outbox with its last event id (docs/realtime.md).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer

from api.scopes import DELIVERY_UPDATED
from core.models import OutboxEvent
from integrations.models import WebhookDelivery
from realtime import listeners

logger = logging.getLogger(__name__)

# The layer message's type: consumers handle it in ``stream_events``.
MESSAGE_TYPE = "stream.events"


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def outbox_event(row: OutboxEvent) -> dict[str, Any]:
    """An outbox row as the stream sends it: the webhook envelope's fields (``id`` is the outbox row's)."""
    return {"id": str(row.id), "event": row.event_type, "timestamp": iso(row.created_at), "data": row.data}


def delivery_event(delivery: WebhookDelivery) -> dict[str, Any]:
    """A webhook delivery's state (no body: the deliveries API and page show it); ``id`` None: not resumable."""
    return {
        "id": None,
        "event": DELIVERY_UPDATED,
        "timestamp": iso(delivery.updated_at),
        "data": {
            "id": str(delivery.id),
            "subscriptionId": str(delivery.subscription_id),
            "subscriptionUrl": delivery.subscription.url,
            "eventType": delivery.event_type,
            "isTest": delivery.is_test,
            "status": delivery.status,
            "attemptCount": delivery.attempt_count,
            "lastStatusCode": delivery.last_status_code,
            "lastError": delivery.last_error[:200],
            "createdAt": iso(delivery.created_at),
            "lastAttemptAt": iso(delivery.last_attempt_at),
            "nextAttemptAt": iso(delivery.next_attempt_at),
        },
    }


def send(organization_id: uuid.UUID | str, events: list[dict[str, Any]]) -> None:
    """Hand ``events`` to the organization's group; logged, never raised."""
    layer = listeners.layer()
    if layer is None or not events:
        return
    group, message = listeners.group_name(organization_id), {"type": MESSAGE_TYPE, "events": events}
    try:
        home = listeners.home_loop() if isinstance(layer, InMemoryChannelLayer) else None
        if home is not None:
            # The in-memory layer's queues belong to the server's loop: hand the send to it (thread-safe), whatever
            # thread committed. A shared layer (Redis) sends from any loop.
            future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), home)
            future.add_done_callback(_log_failure)
        else:
            call_async(layer.group_send, group, message)
    except Exception:
        logger.warning("stream: events of %s not sent to the channel layer", organization_id, exc_info=True)


def call_async(function: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """``async_to_sync(function)(*args)``, from a thread that runs an event loop too (which ``async_to_sync`` refuses:
    a sync caller under an async framework's loop, a browser driver's in the tests): then from a short-lived thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return async_to_sync(function)(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(async_to_sync(function), *args).result()


def _log_failure(future: Any) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.warning("stream: events not sent to the channel layer", exc_info=future.exception())


def on_outbox_published(sender: Any, organization_id: uuid.UUID, ids: list[uuid.UUID], **kwargs: Any) -> None:
    if not listeners.listening(organization_id):
        return
    rows: list[OutboxEvent] | None = kwargs.get("rows")
    if rows is None:  # a sender that does not pass the rows: read them (someone listens)
        rows = list(OutboxEvent.objects.filter(pk__in=ids).order_by("created_at", "id"))
    send(organization_id, [outbox_event(row) for row in rows])


def on_deliveries_changed(sender: Any, ids: list[uuid.UUID], **kwargs: Any) -> None:
    if not listeners.listening():
        return
    by_org: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for delivery in WebhookDelivery.objects.filter(pk__in=list(ids)).select_related("subscription").order_by("created_at"):
        by_org[delivery.organization_id].append(delivery_event(delivery))
    for organization_id, events in by_org.items():
        if listeners.listening(organization_id):
            send(organization_id, events)
