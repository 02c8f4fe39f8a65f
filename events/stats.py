"""Event statistics, and the documented hook through which later apps add theirs.

``events`` cannot import the apps to its right (registrations, payments). They
register a provider in their ``AppConfig.ready``; each provider returns a dict
merged into the event's stats under its own keys, and declares those keys as
serializer fields so the OpenAPI document's ``EventStats`` types them too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q
from rest_framework import serializers

from events.models import Event, EventStatus, SessionStatus

StatsProvider = Callable[[Event], dict[str, Any]]
_providers: list[StatsProvider] = []
_fields: dict[str, Callable[[], serializers.Field]] = {}  # type: ignore[type-arg]


def register_provider(
    provider: StatsProvider,
    fields: dict[str, Callable[[], serializers.Field]] | None = None,  # type: ignore[type-arg]
) -> None:
    """Add ``provider``'s figures to every event's stats; ``fields`` (snake_case key -> a field factory) describe them."""
    if provider not in _providers:
        _providers.append(provider)
    _fields.update(fields or {})


class SessionCountsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    total = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class EventStatsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """GET /events/{id}/stats: the event's own figures and those the apps registered (``register_provider``)."""

    event_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=EventStatus.choices)
    capacity = serializers.IntegerField(allow_null=True)
    sessions = SessionCountsSerializer()
    speakers = serializers.IntegerField()
    sub_events = serializers.IntegerField()

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        fields.update({name: factory() for name, factory in _fields.items()})
        return fields


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
