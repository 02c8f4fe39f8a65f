"""The receiver of ``core.outbox.published``: after the writer's commit, the rows that trigger messages."""

from __future__ import annotations

import uuid
from typing import Any

from core.jobs import send_now


def on_outbox_published(sender: Any, organization_id: uuid.UUID, ids: list[uuid.UUID], **kwargs: Any) -> None:
    """Hand the rows that trigger a message to ``on_outbox``; rows of other types (a check-in, a payment) send no
    task, since ``on_outbox`` would read them only to pass over them."""
    from communications.tasks import TRIGGERS, on_outbox

    rows = kwargs.get("rows")
    if rows is not None:
        ids = [row.id for row in rows if row.event_type in TRIGGERS]
        if not ids:
            return
    send_now(on_outbox, [str(i) for i in ids])
