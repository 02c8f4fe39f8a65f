"""Registration figures added to GET /events/{id}/stats (through ``events.stats.register_provider``)."""

from __future__ import annotations

from typing import Any

from events.models import Event
from registrations import selectors


def registration_stats(event: Event) -> dict[str, Any]:
    taken = selectors.seats_taken(event=event)
    return {
        "registrations": {
            "by_status": selectors.status_counts(event=event),
            "seats_taken": taken,
            "seats_remaining": None if event.capacity is None else max(event.capacity - taken, 0),
        },
        "check_ins": selectors.checkin_stats(event=event),
    }
