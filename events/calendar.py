"""Events and sessions as iCalendar entries (``core.calendars``): the API's ``text/calendar`` representation."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from core.calendars import CalendarEntry
from events.models import Event, EventStatus, Session, SessionStatus

_EVENT_STATUS = {EventStatus.DRAFT: "TENTATIVE", EventStatus.CANCELLED: "CANCELLED"}


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _place(event: Event) -> str:
    venue = event.venue if event.venue_id is not None else None
    if venue is not None:
        return ", ".join(part for part in (venue.name, venue.address, venue.city, venue.country) if part)
    return event.online_url or ""


def event_entry(event: Event) -> CalendarEntry:
    return CalendarEntry(
        uid=f"event-{event.pk}@{_domain()}",
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        time_zone=event.time_zone,
        description=event.description,
        location=_place(event),
        url=event.online_url or "",
        status=_EVENT_STATUS.get(EventStatus(event.status), "CONFIRMED"),
        last_modified=event.updated_at,
    )


def session_entry(session: Session) -> CalendarEntry:
    event = session.event
    where = ", ".join(part for part in (session.room, _place(event)) if part)
    return CalendarEntry(
        uid=f"session-{session.pk}@{_domain()}",
        summary=f"{session.title} ({event.title})",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        time_zone=event.time_zone,
        description=session.abstract,
        location=where,
        status="CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED",
        last_modified=session.updated_at,
    )
