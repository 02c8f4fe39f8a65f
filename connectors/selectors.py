"""Tenant-scoped reads of connections, their call logs and notifications."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from accounts.models import Organization
from connectors.models import CallLog, Connection, ConnectionStatus, InboundEvent


def connection_list(*, organization: Organization) -> QuerySet[Connection]:
    return Connection.objects.filter(organization=organization).order_by("-created_at", "-id")


def connection_get(*, organization: Organization, connection_id: uuid.UUID | str) -> Connection | None:
    return Connection.objects.filter(organization=organization, pk=connection_id).first()


def connection_active(*, organization_id: uuid.UUID, kind: str, vendor: str, mode: str | None = None) -> Connection | None:
    """The organization's newest connection to the vendor that is not disconnected (in ``mode`` when given)."""
    qs = Connection.objects.filter(organization_id=organization_id, kind=kind, vendor=vendor).exclude(
        status=ConnectionStatus.DISCONNECTED
    )
    if mode:
        qs = qs.filter(mode=mode)
    return qs.order_by("-created_at", "-id").first()


def call_list(*, connection: Connection) -> QuerySet[CallLog]:
    return CallLog.objects.filter(connection=connection, organization_id=connection.organization_id).order_by(
        "-created_at", "-id"
    )


def inbound_list(*, connection: Connection) -> QuerySet[InboundEvent]:
    return InboundEvent.objects.filter(connection=connection, organization_id=connection.organization_id).order_by(
        "-received_at", "-id"
    )


def inbound_get(*, connection: Connection, event_id: uuid.UUID | str) -> InboundEvent | None:
    try:
        pk = uuid.UUID(str(event_id))
    except ValueError:
        return None
    return InboundEvent.objects.filter(connection=connection, pk=pk).select_related("connection").first()
