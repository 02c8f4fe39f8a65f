"""iCalendar (RFC 5545) of events with the ``icalendar`` package: what a confirmation attaches as ``.ics``."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

PRODID = "-//Event Platform//Events//EN"


def _local(value: dt.datetime, zone: str) -> dt.datetime:
    return value.astimezone(ZoneInfo(zone))


def vevent(event: Any, *, sequence: int = 0) -> icalendar.Event:
    """One VEVENT of a platform event, in its own time zone (DTSTART;TZID=...), cancelled ones marked so."""
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@{_host()}")
    item.add("dtstamp", dt.datetime.now(dt.UTC))
    item.add("dtstart", _local(event.starts_at, event.time_zone))
    item.add("dtend", _local(event.ends_at, event.time_zone))
    item.add("summary", event.title)
    if getattr(event, "description", ""):
        item.add("description", event.description)
    venue = getattr(event, "venue", None)
    if venue is not None:
        item.add("location", ", ".join(p for p in (venue.name, venue.address, venue.city) if p))
    item.add("url", f"{settings.SITE_URL}/api/v1/events/{event.pk}")
    item.add("sequence", sequence)
    item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    return item


def event_calendar(event: Any, *, method: str = "PUBLISH") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(vevent(event, sequence=int(event.updated_at.timestamp()) % 2_000_000_000))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _host() -> str:
    return settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
