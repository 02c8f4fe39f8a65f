"""The receiver of ``core.outbox.published`` for calendars: after the writer's commit, when the organization has
a connected calendar at all, a task turns the rows into sync jobs (``sync.on_event_changed`` ...)."""

from __future__ import annotations

import uuid
from typing import Any

from connectors.models import Connection, ConnectionStatus, Kind
from core.jobs import send_now


def on_outbox_published(sender: Any, organization_id: uuid.UUID, ids: list[uuid.UUID], **kwargs: Any) -> None:
    from integrations.tasks import calendars_on_outbox

    connected = (
        Connection.objects.filter(organization_id=organization_id, kind=Kind.CALENDAR, user__isnull=False)
        .exclude(status=ConnectionStatus.DISCONNECTED)
        .exists()
    )
    if connected:
        send_now(calendars_on_outbox, [str(i) for i in ids])
