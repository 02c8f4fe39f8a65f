"""Outbox payloads: the registration exactly as the API renders it (camelCase)."""

from __future__ import annotations

from typing import Any

from api.casing import camelize
from core import outbox
from registrations.models import Registration
from registrations.serializers import RegistrationSerializer


def publish_registration(event_type: str, registration: Registration) -> None:
    """Publish ``event_type`` for ``registration``; call inside the service's transaction."""
    data: dict[str, Any] = camelize(dict(RegistrationSerializer(registration).data))
    outbox.publish(event_type, registration.organization_id, data)
