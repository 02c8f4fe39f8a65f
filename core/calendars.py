"""iCalendar (RFC 5545) documents of the platform: events and sessions as VEVENTs (ADR 0023).

One module for every calendar the platform writes: the API's ``text/calendar``
representation of events, sessions and series, the subscription feeds, the
``.ics`` a confirmation attaches (``method="REQUEST"``/``"CANCEL"``), and what
the Google and Graph adapters push (ADR 0027). Callers describe each entry as a
``CalendarEntry`` (plain data, no model), so any app can use it. A series is
one entry with ``rrule`` and ``exdates`` plus one entry per moved occurrence
(same ``uid``, ``recurrence_id``); ``sequence`` rises with every change, so a
client replaces what it holds rather than adding a second entry.

Times are written in the entry's own time zone with its VTIMEZONE, so a client
shows a session at the local time the organizer planned, across DST changes.
Output is deterministic: ``DTSTAMP`` is the entry's last change, not "now".
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

CALENDAR_MEDIA_TYPE = "text/calendar"
PRODID = "-//Event Management Platform//API v1//EN"
STATUSES = frozenset({"CONFIRMED", "TENTATIVE", "CANCELLED"})


@dataclass(frozen=True)
class CalendarEntry:
    uid: str  # stable across updates (an event's id and the platform's domain)
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str = "UTC"
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"
    sequence: int = 0  # raise it on every change a client must pick up (RFC 5545 §3.8.7.4)
    last_modified: dt.datetime | None = None
    organizer_name: str = ""
    organizer_email: str = ""
    # A series: the RFC 5545 rule (without DTSTART: the entry's start is the first occurrence), the occurrences
    # left out (EXDATE: cancelled or moved), and for a moved occurrence its own entry with the same ``uid`` and
    # ``recurrence_id`` set to the start the rule gave it (RFC 5545 §3.8.4.4).
    rrule: str = ""
    exdates: tuple[dt.datetime, ...] = ()
    recurrence_id: dt.datetime | None = None


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _utc_until(rule: str, zone: dt.tzinfo) -> str:
    """RFC 5545 §3.3.10: with a zoned DTSTART, UNTIL must be a UTC date-time. The platform reads a rule's UNTIL as
    the series' local wall time (``events.recurrence``), so it is converted from ``zone`` here (a date: its end)."""
    parts = []
    for part in rule.split(";"):
        if part.upper().startswith("UNTIL="):
            value = part[6:].rstrip("Z")
            if "T" in value:
                local = dt.datetime.strptime(value, "%Y%m%dT%H%M%S")
            else:
                local = dt.datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
            part = "UNTIL=" + local.replace(tzinfo=zone).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        parts.append(part)
    return ";".join(parts)


def rrule_line(entry: CalendarEntry) -> str:
    """The entry's rule as an RFC 5545 ``RRULE:`` line, UNTIL in UTC (what Google's ``recurrence`` takes)."""
    text = entry.rrule[6:] if entry.rrule.upper().startswith("RRULE:") else entry.rrule
    return "RRULE:" + _utc_until(text, _zone(entry.time_zone))


def exdate_line(entry: CalendarEntry) -> str:
    """The entry's exceptions as one ``EXDATE;TZID=...:`` line in its time zone ('' without any)."""
    if not entry.exdates:
        return ""
    zone = _zone(entry.time_zone)
    stamps = ",".join(d.astimezone(zone).strftime("%Y%m%dT%H%M%S") for d in sorted(entry.exdates))
    return f"EXDATE;TZID={entry.time_zone}:{stamps}"


def vevent(entry: CalendarEntry) -> icalendar.Event:
    zone = _zone(entry.time_zone)
    event = icalendar.Event()
    event.add("uid", entry.uid)
    stamp = entry.last_modified or entry.starts_at
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", entry.starts_at.astimezone(zone))
    event.add("dtend", entry.ends_at.astimezone(zone))
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    if entry.rrule:
        event.add("rrule", icalendar.vRecur.from_ical(rrule_line(entry)[6:]))
    for excluded in entry.exdates:
        event.add("exdate", excluded.astimezone(zone))
    if entry.recurrence_id is not None:
        event.add("recurrence-id", entry.recurrence_id.astimezone(zone))
    event.add("status", entry.status if entry.status in STATUSES else "CONFIRMED")
    event.add("sequence", entry.sequence)
    if entry.last_modified is not None:
        event.add("last-modified", entry.last_modified.astimezone(dt.UTC))
    if entry.organizer_email:
        organizer = icalendar.vCalAddress(f"mailto:{entry.organizer_email}")
        if entry.organizer_name:
            organizer.params["cn"] = icalendar.vText(entry.organizer_name)
        event.add("organizer", organizer)
    return event


def calendar(entries: Iterable[CalendarEntry], *, name: str = "", method: str | None = None) -> bytes:
    """A VCALENDAR of ``entries`` with the VTIMEZONEs they use, as the bytes of a ``text/calendar`` body."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for entry in entries:
        cal.add_component(vevent(entry))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
