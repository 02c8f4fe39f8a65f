"""Occurrences of an event series from an RFC 5545 recurrence rule, in the event's time zone.

The rule is evaluated on local wall-clock times and each occurrence is then
placed in the zone, so a weekly 18:00 session stays at 18:00 across a
daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from dateutil import rrule

MAX_OCCURRENCES = 500


class RecurrenceError(ValueError):
    pass


def expand(rule: str, *, first_start: dt.datetime, time_zone: str, limit: int = MAX_OCCURRENCES) -> list[dt.datetime]:
    """Start times (aware) of the rule's occurrences, the first at ``first_start``'s local time."""
    zone = zoneinfo.ZoneInfo(time_zone)
    local_start = first_start.astimezone(zone).replace(tzinfo=None)
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "DTSTART" in text.upper():
        raise RecurrenceError("Leave DTSTART out; the series starts at the parent event's start.")
    parts = {p.split("=", 1)[0].upper() for p in text.split(";") if "=" in p}
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise RecurrenceError("The rule needs COUNT or UNTIL so that the series ends.")
    if "UNTIL" in parts:
        # dateutil compares UNTIL with the (naive, local) start; drop a trailing Z to keep both naive.
        text = ";".join(p[:-1] if p.upper().startswith("UNTIL=") and p.endswith("Z") else p for p in text.split(";"))
    try:
        parsed = rrule.rrulestr(text, dtstart=local_start)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"Not a valid RFC 5545 rule: {exc}") from exc
    starts: list[dt.datetime] = []
    for occurrence in parsed:
        if len(starts) >= limit:
            raise RecurrenceError(f"The rule yields more than {limit} occurrences.")
        starts.append(_place(occurrence, zone))
    return starts


def _place(local: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """Attach ``zone``; a wall time skipped by a DST jump moves forward by the gap."""
    aware = local.replace(tzinfo=zone)
    normalized = aware.astimezone(dt.UTC).astimezone(zone)
    if normalized.replace(tzinfo=None) != local:
        # In a gap, fold=0 reads the wall time with the offset before the jump, which
        # lands the gap's length later (02:30 -> 03:30); fold=1 would move it earlier.
        return normalized
    return aware
