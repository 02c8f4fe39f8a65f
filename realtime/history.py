"""Reads of the stream: an organization's outbox rows after a given one (resume), and recent changes (polling)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection

from django.db.models import Q

from core.models import OutboxEvent
from integrations.models import WebhookDelivery


def events_after(
    *, organization_id: uuid.UUID, event_id: uuid.UUID, types: Collection[str], limit: int
) -> list[OutboxEvent] | None:
    """The organization's rows of ``types`` published after its row ``event_id``, oldest first, at most ``limit``.

    None when ``event_id`` is not one of the organization's rows (another's, or purged after its dispatch): the
    stream cannot say what was missed. Uses the index (organization_id, event_type, created_at).
    """
    anchor = OutboxEvent.objects.filter(organization_id=organization_id, pk=event_id).values_list("created_at", flat=True).first()
    if anchor is None:
        return None
    return list(
        OutboxEvent.objects.filter(organization_id=organization_id, event_type__in=list(types))
        .filter(Q(created_at__gt=anchor) | Q(created_at=anchor, pk__gt=event_id))
        .order_by("created_at", "id")[:limit]
    )


def events_since(*, organization_id: uuid.UUID, types: Collection[str], since: dt.datetime, limit: int) -> list[OutboxEvent]:
    """The organization's rows of ``types`` published at or after ``since``, oldest first (polling)."""
    return list(
        OutboxEvent.objects.filter(organization_id=organization_id, event_type__in=list(types), created_at__gte=since).order_by(
            "created_at", "id"
        )[:limit]
    )


def deliveries_since(*, organization_id: uuid.UUID, since: dt.datetime, limit: int) -> list[WebhookDelivery]:
    """The organization's webhook deliveries changed at or after ``since`` (polling)."""
    return list(
        WebhookDelivery.objects.filter(organization_id=organization_id, updated_at__gte=since)
        .select_related("subscription")
        .order_by("updated_at", "id")[:limit]
    )
