"""Inbound vendor notifications: verify, store under the vendor's event id, answer at once, process in a task.

A notification is a trigger, not the truth: the adapter's ``handle`` fetches the object from the vendor and
acts on what the vendor says now, so duplicates and out-of-order deliveries end in the same state. A forged or
stale one is refused before anything is stored.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from connectors import clock, registry
from connectors.exceptions import VendorError
from connectors.models import Connection, ConnectionStatus, InboundEvent, InboundStatus
from core.jobs import enqueue

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    text: str | None = None  # answered as text/plain instead of JSON (a vendor's endpoint-validation handshake)


def receive(
    *, connection_id: uuid.UUID, channel: str, body: bytes, headers: Mapping[str, str], query: Mapping[str, str] | None = None
) -> Answer:
    """What the vendor is answered. 200 for a stored or repeated notification; the vendor's refusal status for a
    bad signature; 404 for an unknown connection; 410 for a disconnected one (nothing more will be accepted).

    A vendor that proves the endpoint before sending to it (Microsoft Graph's ``validationToken``) declares a
    ``handshake(query) -> text | None`` in ``Vendor.extra``; its text is the answer, and nothing is stored."""
    from connectors.tasks import process_inbound

    connection = Connection.objects.filter(pk=connection_id).first()
    spec = None if connection is None else registry.get(connection.kind, connection.vendor)
    if connection is None or spec is None or spec.intake is None:
        return Answer(404, {"error": "unknown endpoint"})
    if connection.status == ConnectionStatus.DISCONNECTED:
        return Answer(410, {"error": "connection disconnected"})
    handshake = spec.extra.get("handshake")
    if handshake is not None and query:
        text = handshake(query)
        if text is not None:
            return Answer(200, {}, text=text)
    try:
        note = spec.intake.verify(connection, body=body, headers=headers, channel=channel)
    except registry.SignatureInvalid as exc:
        logger.warning("refused a %s notification for connection %s: %s", connection.vendor, connection.pk, exc)
        return Answer(spec.refused_status, {"error": "signature verification failed"})
    except VendorError as exc:  # the vendor's own verification call failed: let it send the notification again
        logger.warning("could not verify a %s notification: %s", connection.vendor, exc)
        return Answer(503, {"error": "verification unavailable"})
    try:
        with transaction.atomic():
            event = InboundEvent.objects.create(
                organization_id=connection.organization_id,
                connection=connection,
                channel=channel,
                vendor_event_id=note.vendor_event_id[:255],
                event_type=note.event_type[:120],
                payload=dict(note.payload),
                received_at=clock.now(),
            )
            enqueue(process_inbound, str(event.pk))
    except IntegrityError:
        InboundEvent.objects.filter(connection=connection, vendor_event_id=note.vendor_event_id[:255]).update(
            deliveries=F("deliveries") + 1
        )
        return Answer(200, {"received": True, "duplicate": True})
    return Answer(200, {"received": True})


def process(event_id: uuid.UUID | str) -> str | None:
    """Act on one stored notification unless it is done or another worker holds it; its status afterwards."""
    now = clock.now()
    lease = now + dt.timedelta(seconds=settings.CONNECTOR_JOB_LEASE_SECONDS)
    claimed = (
        InboundEvent.objects.filter(pk=event_id, status__in=(InboundStatus.RECEIVED, InboundStatus.FAILED))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    event = InboundEvent.objects.select_related("connection").get(pk=event_id)
    spec = registry.get(event.connection.kind, event.connection.vendor)
    try:
        acted = spec is not None and spec.intake is not None and spec.intake.handle(event.connection, event)
    except Exception as exc:  # kept and retried by the sweep; the error is shown in the log
        logger.warning("processing notification %s failed", event.pk, exc_info=True)
        message = exc.message if isinstance(exc, VendorError) else f"{type(exc).__name__}: {exc}"
        InboundEvent.objects.filter(pk=event.pk).update(status=InboundStatus.FAILED, lease_until=None, error=message[:500])
        return InboundStatus.FAILED
    status = InboundStatus.PROCESSED if acted else InboundStatus.IGNORED
    InboundEvent.objects.filter(pk=event.pk).update(status=status, lease_until=None, error="", processed_at=clock.now())
    return status


def due(*, limit: int) -> list[str]:
    """Notifications to (re)process: failed ones and received ones whose message was lost, a minute on."""
    now = clock.now()
    settle = now - dt.timedelta(seconds=60)
    ids = (
        InboundEvent.objects.filter(
            Q(status=InboundStatus.FAILED) | Q(status=InboundStatus.RECEIVED, received_at__lt=settle),
            attempts__lt=settings.CONNECTOR_JOB_MAX_ATTEMPTS,
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    return [str(i) for i in ids]
