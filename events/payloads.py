"""Outbox payloads: the event or session exactly as the API renders it (camelCase)."""

from __future__ import annotations

from typing import Any

from api.casing import camelize
from core import outbox
from events.models import Event, Session
from events.serializers import EventSerializer, SessionSerializer


def publish_event(event_type: str, event: Event) -> None:
    """Publish ``event_type`` for ``event``; call inside the service's transaction."""
    data: dict[str, Any] = camelize(dict(EventSerializer(event).data))
    outbox.publish(event_type, event.organization_id, data)


def publish_session(event_type: str, session: Session) -> None:
    data: dict[str, Any] = camelize(dict(SessionSerializer(session).data))
    outbox.publish(event_type, session.organization_id, data)
