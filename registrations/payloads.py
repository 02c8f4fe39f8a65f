"""Outbox payloads: registrations and check-ins exactly as the API renders them (camelCase)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Model

from api.casing import camelize, to_camel
from core import outbox
from registrations.models import CheckIn, Registration
from registrations.serializers import CheckInSerializer, RegistrationSerializer


def registration_data(registration: Registration) -> dict[str, Any]:
    """The registration as the API renders it (camelCase)."""
    data: dict[str, Any] = camelize(dict(RegistrationSerializer(registration).data))
    return data


def publish_registration(event_type: str, registration: Registration) -> None:
    """Publish ``event_type`` for ``registration``; call inside the service's transaction."""
    outbox.publish(event_type, registration.organization_id, registration_data(registration))


def checkin_data(checkin: CheckIn) -> dict[str, Any]:
    """The check-in as GET /checkins renders it: the ``data`` of ``checkin.completed``."""
    # Only the top-level keys have underscores (nested ones are single words or camelCase
    # already), so a shallow rename equals ``camelize`` at a fraction of its cost (bulk check-in).
    return {to_camel(key): value for key, value in CheckInSerializer().to_representation(checkin).items()}


def publish_checkin(checkin: CheckIn, *, together_with: Sequence[Sequence[Model]] = ()) -> None:
    """Publish ``checkin.completed`` for an accepted scan; call inside the service's transaction.

    ``together_with``: unsaved rows written in the same statement (``core.outbox.publish_many``).
    """
    outbox.publish_many(checkin.organization_id, [("checkin.completed", checkin_data(checkin))], together_with=together_with)
