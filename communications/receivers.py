"""The receiver of ``core.outbox.published``: after the writer's commit, the rows that trigger messages."""

from __future__ import annotations

import uuid
from typing import Any

from core.jobs import send_now


def on_outbox_published(sender: Any, organization_id: uuid.UUID, ids: list[uuid.UUID], **kwargs: Any) -> None:
    from communications.tasks import on_outbox

    send_now(on_outbox, [str(i) for i in ids])
