"""The console's own writes: actions that span several apps' services, in one transaction.

Each composes the owning apps' services (which lock, audit and publish); nothing here writes a row itself.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from core.audit import Actor
from events import services as event_services
from events.models import Event, SessionStatus
from registrations import selectors as registration_selectors
from registrations import services as registration_services


def event_duplicate(*, actor: Actor, event: Event, starts_at: dt.datetime, title: str = "") -> Event:
    """A draft copy of ``event`` starting at ``starts_at`` (same length), with copies of its sessions and ticket types.

    One transaction of the events app's and this app's create services (each
    audited, ``event.created`` and ``session.created`` published); sessions and
    sales windows keep their offset from the event's start. Registrations are not
    copied. Raises what ``event_create``, ``session_create`` and ``ticket_type_create`` raise.
    """
    shift = starts_at - event.starts_at
    with transaction.atomic():
        data = {field: getattr(event, field) for field in event_services.EVENT_FIELDS if field != "slug"}
        data.update(
            title=(title or f"{event.title} (copy)")[:200],
            starts_at=event.starts_at + shift,
            ends_at=event.ends_at + shift,
            tags=list(event.tags.values_list("name", flat=True)),
        )
        copy = event_services.event_create(actor=actor, organization=event.organization, data=data)
        for session in event.sessions.exclude(status=SessionStatus.CANCELLED).order_by("starts_at", "id"):
            session_data = {field: getattr(session, field) for field in event_services.SESSION_FIELDS}
            session_data.update(starts_at=session.starts_at + shift, ends_at=session.ends_at + shift)
            event_services.session_create(actor=actor, event=copy, data=session_data)
        for ticket_type in registration_selectors.ticket_type_list(event=event):
            fields = {field: getattr(ticket_type, field) for field in registration_services.TICKET_TYPE_FIELDS}
            for window in ("sales_starts_at", "sales_ends_at"):
                if fields.get(window) is not None:
                    fields[window] = fields[window] + shift
            registration_services.ticket_type_create(actor=actor, event=copy, data=fields)
        return copy
