"""Event statistics, and the documented hook through which later apps add theirs.

``events`` cannot import the apps to its right (registrations, payments). They
register a provider in their ``AppConfig.ready``; each provider returns a dict
merged into the event's stats under its own keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q

from events.models import Event, SessionStatus

StatsProvider = Callable[[Event], dict[str, Any]]
_providers: list[StatsProvider] = []


def register_provider(provider: StatsProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def event_stats(event: Event) -> dict[str, Any]:
    sessions = event.sessions.aggregate(
        total=Count("id"),
        scheduled=Count("id", filter=Q(status=SessionStatus.SCHEDULED)),
        cancelled=Count("id", filter=Q(status=SessionStatus.CANCELLED)),
    )
    stats: dict[str, Any] = {
        "event_id": str(event.id),
        "status": event.status,
        "capacity": event.capacity,
        "sessions": sessions,
        "speakers": event.speakers.count(),
        "sub_events": event.sub_events.count(),
    }
    for provider in _providers:
        stats.update(provider(event))
    return stats
