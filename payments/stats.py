"""Revenue added to GET /events/{id}/stats (through ``events.stats.register_provider``)."""

from __future__ import annotations

from typing import Any

from events.models import Event
from payments import selectors


def revenue_stats(event: Event) -> dict[str, Any]:
    return {"revenue": selectors.event_revenue(event=event)}
