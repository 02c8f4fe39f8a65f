"""Events, sessions and series as iCalendar entries (``core.calendars``): the API's ``text/calendar`` representation,
the subscription feeds and the calendar connectors all start here, so an entry has one UID and one SEQUENCE.

A series created from a rule (``Event.recurrence_rule``) is one recurring entry: the parent's details with the
rule, an EXDATE for each occurrence that was cancelled or has no sub-event any more, and an override (same UID,
RECURRENCE-ID = the rule's start) for each occurrence moved to another time. Sub-events added by date are
entries of their own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings

from core import calendars
from core.calendars import CalendarEntry
from events import selectors
from events.models import Event, EventStatus, Session, SessionStatus
from events.recurrence import RecurrenceError, expand

_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

_EVENT_STATUS = {EventStatus.DRAFT: "TENTATIVE", EventStatus.CANCELLED: "CANCELLED"}


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _place(event: Event) -> str:
    venue = event.venue if event.venue_id is not None else None
    if venue is not None:
        return ", ".join(part for part in (venue.name, venue.address, venue.city, venue.country) if part)
    return event.online_url or ""


def sequence(updated_at: dt.datetime | None) -> int:
    """RFC 5545 §3.8.7.4 SEQUENCE: seconds of the last change since 2020, so every saved change raises it."""
    return max(int((updated_at - _EPOCH).total_seconds()), 0) if updated_at else 0


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{_domain()}"


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{_domain()}"


def event_entry(event: Event) -> CalendarEntry:
    return CalendarEntry(
        uid=event_uid(event),
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        time_zone=event.time_zone,
        description=event.description,
        location=_place(event),
        url=event.online_url or "",
        status=_EVENT_STATUS.get(EventStatus(event.status), "CONFIRMED"),
        sequence=sequence(event.updated_at),
        last_modified=event.updated_at,
    )


def session_entry(session: Session) -> CalendarEntry:
    event = session.event
    where = ", ".join(part for part in (session.room, _place(event)) if part)
    return CalendarEntry(
        uid=session_uid(session),
        summary=f"{session.title} ({event.title})",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        time_zone=event.time_zone,
        description=session.abstract,
        location=where,
        status="CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED",
        sequence=sequence(session.updated_at),
        last_modified=session.updated_at,
    )


def rule_starts(parent: Event) -> list[dt.datetime]:
    """The starts the series' rule gives (empty for a series without a rule or with one no longer valid)."""
    if not parent.recurrence_rule:
        return []
    try:
        return expand(parent.recurrence_rule, first_start=parent.starts_at, time_zone=parent.time_zone)
    except (RecurrenceError, ValueError):
        return []


def series_entries(parent: Event, sub_events: list[Event]) -> list[CalendarEntry]:
    """The series as RFC 5545 writes one: the recurring entry, its overrides, then sub-events outside the rule.

    ``sub_events`` are the parent's (any status); a cancelled occurrence is an EXDATE, so a client drops it.
    """
    starts = rule_starts(parent)
    if not starts:
        return [event_entry(parent), *(event_entry(e) for e in sub_events)]
    by_start = {e.recurrence_start: e for e in sub_events if e.recurrence_start is not None}
    excluded: list[dt.datetime] = []
    overrides: list[CalendarEntry] = []
    latest = parent.updated_at
    for start in starts:
        occurrence = by_start.get(start)
        if occurrence is None or occurrence.status == EventStatus.CANCELLED:
            excluded.append(start)
        elif occurrence.starts_at != start:
            overrides.append(dataclasses.replace(event_entry(occurrence), uid=event_uid(parent), recurrence_id=start, rrule=""))
        if occurrence is not None and occurrence.updated_at and occurrence.updated_at > latest:
            latest = occurrence.updated_at
    duration = parent.ends_at - parent.starts_at
    master = dataclasses.replace(
        event_entry(parent),
        starts_at=starts[0],
        ends_at=starts[0] + duration,
        rrule=parent.recurrence_rule,
        exdates=tuple(excluded),
        sequence=sequence(latest),  # an occurrence's change is a change of the series
    )
    outside = [event_entry(e) for e in sub_events if e.recurrence_start is None or e.recurrence_start not in set(starts)]
    return [master, *overrides, *outside]


def event_entries(event: Event, sub_events: list[Event]) -> list[CalendarEntry]:
    """An event's calendar: the series when it has sub-events, else its one entry."""
    return series_entries(event, sub_events) if sub_events else [event_entry(event)]


def event_document(event: Event, *, method: str | None = None) -> bytes:
    """The ``.ics`` of one event: a series with its RRULE, EXDATEs and overrides, else the event alone. The API's
    ``text/calendar`` answer and the confirmation's attachment are both this document (``method`` aside)."""
    entries = event_entries(event, selectors.sub_events_of(event=event))
    return calendars.calendar(entries, name=event.title, method=method)
