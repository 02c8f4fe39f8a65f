"""Revenue added to GET /events/{id}/stats (through ``events.stats.register_provider``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from events.models import Event
from payments import selectors


def revenue_stats(event: Event) -> dict[str, Any]:
    return {"revenue": selectors.event_revenue(event=event)}


class RevenueStatsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Money collected for the event in one currency (decimal strings)."""

    currency = serializers.CharField()
    gross = serializers.DecimalField(max_digits=14, decimal_places=2)
    refunded = serializers.DecimalField(max_digits=14, decimal_places=2)
    net = serializers.DecimalField(max_digits=14, decimal_places=2)


STATS_FIELDS = {"revenue": lambda: RevenueStatsSerializer(many=True)}
