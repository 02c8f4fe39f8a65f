"""Registration figures added to GET /events/{id}/stats (through ``events.stats.register_provider``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from events.models import Event
from registrations import selectors
from registrations.models import RegistrationStatus


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


class StatusCountsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Registrations of the event per status (every status present, 0 when none)."""

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        return {status.value: serializers.IntegerField(min_value=0) for status in RegistrationStatus}


class RegistrationStatsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    by_status = StatusCountsSerializer()
    seats_taken = serializers.IntegerField(min_value=0)
    seats_remaining = serializers.IntegerField(allow_null=True, help_text="null: the event has no capacity limit.")


class CheckInStatsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    checked_in = serializers.IntegerField(min_value=0, help_text="Confirmed registrations checked in at the entrance.")
    check_in_rate = serializers.FloatField(min_value=0, max_value=1, help_text="Their share of all confirmed (0 to 1).")


STATS_FIELDS = {"registrations": RegistrationStatsSerializer, "check_ins": CheckInStatsSerializer}
