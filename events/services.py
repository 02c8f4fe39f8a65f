"""Writes of venues, events, series, sessions, speakers and materials.

Each service is one transaction and records an audit entry. Checks that
depend on other rows (room and speaker clashes, sessions inside the event)
run under a lock on the event row, so two concurrent requests cannot both pass.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Membership, Organization
from core import audit, locks
from core.audit import Actor
from core.errors import VALIDATION_ERROR, DomainError
from core.locks import Precondition
from events import errors
from events.dates import DATE_RANGE_MESSAGE, in_date_range
from events.models import (
    CHECK_IN_WINDOW_MAX_MINUTES,
    AttendanceMode,
    Event,
    EventStatus,
    Session,
    SessionMaterial,
    SessionStatus,
    Speaker,
    Tag,
    Venue,
)
from events.payloads import publish_event, publish_session
from events.recurrence import RecurrenceError, expand

EVENT_FIELDS = (
    "title",
    "slug",
    "description",
    "category",
    "starts_at",
    "ends_at",
    "time_zone",
    "attendance_mode",
    "venue",
    "online_url",
    "capacity",
    "currency",
    "visibility",
    "check_in_opens_minutes_before_start",
    "check_in_closes_minutes_after_end",
)
SESSION_FIELDS = ("title", "abstract", "starts_at", "ends_at", "room", "track", "capacity")
VENUE_FIELDS = ("name", "address", "city", "country", "capacity")
SPEAKER_FIELDS = ("name", "bio", "company", "user")
EDITABLE_STATUSES = (EventStatus.DRAFT, EventStatus.PUBLISHED)


def invalid(target: str, message: str, code: str = "INVALID") -> DomainError:
    return DomainError(VALIDATION_ERROR, message, details=[{"target": target, "code": code, "message": message}], target=target)


# -- venues ---------------------------------------------------------------------------
def venue_create(*, actor: Actor, organization: Organization, data: dict[str, Any]) -> Venue:
    with transaction.atomic():
        venue = Venue.objects.create(organization=organization, **{k: v for k, v in data.items() if k in VENUE_FIELDS})
        audit.record(
            actor=actor,
            action="venue.created",
            target=venue,
            organization_id=organization.id,
            changes=audit.snapshot(venue, VENUE_FIELDS),
        )
        return venue


def _lock_venue(venue: Venue) -> Venue:
    with locks.bounded():
        return Venue.objects.select_for_update().get(pk=venue.pk)


def venue_update(*, actor: Actor, venue: Venue, data: dict[str, Any], precondition: Precondition | None = None) -> Venue:
    """Change a venue. Locks the venue, then checks ``precondition`` on it. Raises BUSY."""
    with transaction.atomic():
        venue = _lock_venue(venue)
        locks.check(precondition, venue)
        changes = audit.assign(venue, data, VENUE_FIELDS)
        venue.save()
        audit.record(actor=actor, action="venue.updated", target=venue, organization_id=venue.organization_id, changes=changes)
        return venue


def venue_delete(*, actor: Actor, venue: Venue, precondition: Precondition | None = None) -> None:
    """Delete a venue. Locks it, then checks ``precondition``. Raises VENUE_IN_USE while any event uses the venue, BUSY."""
    with transaction.atomic():
        venue = _lock_venue(venue)
        locks.check(precondition, venue)
        if Event.objects.filter(venue=venue).exists():
            raise DomainError(errors.VENUE_IN_USE)
        audit.record(actor=actor, action="venue.deleted", target=venue, organization_id=venue.organization_id)
        venue.delete()


# -- events ---------------------------------------------------------------------------
def _unique_slug(organization: Organization, wanted: str, exclude: Any = None) -> str:
    base = (slugify(wanted) or "event")[:100]
    taken = set(
        Event.objects.filter(organization=organization, slug__startswith=base).exclude(pk=exclude).values_list("slug", flat=True)
    )
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _validate_event(event: Event) -> None:
    """Invariants over the event's own fields; raise VALIDATION_ERROR naming the field."""
    if event.ends_at <= event.starts_at:
        raise invalid("endsAt", "The end must be after the start.")
    if (event.ends_at - event.starts_at).days > 366:
        # The input serializer checks this only when both ends are sent; a PATCH may send one.
        raise invalid("endsAt", "An event lasts at most a year; use a series.")
    for field, target in (
        ("check_in_opens_minutes_before_start", "checkInOpensMinutesBeforeStart"),
        ("check_in_closes_minutes_after_end", "checkInClosesMinutesAfterEnd"),
    ):
        if not 0 <= getattr(event, field) <= CHECK_IN_WINDOW_MAX_MINUTES:
            raise invalid(target, f"Give 0 to {CHECK_IN_WINDOW_MAX_MINUTES} minutes (a year).")
    mode = event.attendance_mode
    if mode in (AttendanceMode.IN_PERSON, AttendanceMode.HYBRID) and event.venue_id is None:
        raise invalid("venueId", f"A venue is required for {mode.replace('_', '-')} events.", "REQUIRED")
    if mode in (AttendanceMode.ONLINE, AttendanceMode.HYBRID) and not event.online_url:
        raise invalid("onlineUrl", f"A join URL is required for {mode} events.", "REQUIRED")
    if mode == AttendanceMode.ONLINE and event.venue_id is not None:
        raise invalid("venueId", "Online events have no venue; use hybrid for both.")
    venue = event.venue if event.venue_id is not None else None
    if venue is not None and venue.organization_id != event.organization_id:
        raise invalid("venueId", "Unknown venue.", "DOES_NOT_EXIST")
    venue_capacity = venue.capacity if venue is not None else None
    if event.capacity is not None and venue_capacity is not None and event.capacity > venue_capacity:
        raise DomainError(
            errors.CAPACITY_EXCEEDS_VENUE,
            target="capacity",
            details=f"The venue holds {venue_capacity}; the event asks for {event.capacity}.",
        )


def _set_tags(event: Event, names: Iterable[str]) -> None:
    clean = sorted({n.strip().lower() for n in names if n and n.strip()})
    tags = []
    for name in clean:
        tag, _ = Tag.objects.get_or_create(organization_id=event.organization_id, name=name)
        tags.append(tag)
    event.tags.set(tags)


def event_create(*, actor: Actor, organization: Organization, data: dict[str, Any], parent: Event | None = None) -> Event:
    """Create a draft event (a sub-event when ``parent`` is given). Raises VALIDATION_ERROR, CAPACITY_EXCEEDS_VENUE."""
    with transaction.atomic():
        fields = {k: v for k, v in data.items() if k in EVENT_FIELDS}
        fields.setdefault("currency", organization.default_currency)
        fields.setdefault("time_zone", organization.default_time_zone)
        fields["slug"] = _unique_slug(organization, fields.get("slug") or fields["title"])
        event = Event(organization=organization, parent=parent, status=EventStatus.DRAFT, **fields)
        _validate_event(event)
        event.save()
        if "tags" in data:
            _set_tags(event, data["tags"])
        audit.record(
            actor=actor,
            action="event.created",
            target=event,
            organization_id=organization.id,
            changes=audit.snapshot(event, [f for f in EVENT_FIELDS if f in fields]),
        )
        publish_event("event.created", event)
        return event


def _lock_event(event: Event) -> Event:
    """The event, locked (the first lock of every write to it and its sessions, speakers and materials).

    The wait is bounded (``core.locks``): raises BUSY when another transaction holds the row too long.
    """
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the venue outer join.
    with locks.bounded():
        return Event.objects.select_for_update(of=("self",), no_key=True).select_related("venue", "organization").get(pk=event.pk)


def _require_editable(event: Event) -> None:
    if event.status not in EDITABLE_STATUSES:
        raise DomainError(errors.EVENT_NOT_EDITABLE, details=f"The event is {event.status}.")


def event_update(*, actor: Actor, event: Event, data: dict[str, Any], precondition: Precondition | None = None) -> Event:
    """Change an event's fields (and tags). Locks the event, then checks ``precondition`` on it.

    Raises BUSY, EVENT_NOT_EDITABLE, VALIDATION_ERROR, CAPACITY_EXCEEDS_VENUE, and
    EVENT_HAS_ACTIVE_SESSIONS when new times would leave scheduled sessions outside.
    """
    with transaction.atomic():
        event = _lock_event(event)
        locks.check(precondition, event)
        _require_editable(event)
        fields = [k for k in data if k in EVENT_FIELDS]
        before = audit.snapshot(event, fields)
        tags_before = sorted(event.tags.values_list("name", flat=True))
        for field in fields:
            setattr(event, field, data[field])
        if "slug" in data:
            event.slug = _unique_slug(event.organization, data["slug"] or event.title, exclude=event.pk)
        _validate_event(event)
        if "starts_at" in fields or "ends_at" in fields:
            outside = event.sessions.filter(status=SessionStatus.SCHEDULED).filter(
                Q(starts_at__lt=event.starts_at) | Q(ends_at__gt=event.ends_at)
            )
            if outside.exists():
                raise DomainError(
                    errors.EVENT_HAS_ACTIVE_SESSIONS, details=[{"sessionId": str(s.id), "title": s.title} for s in outside[:20]]
                )
        event.save()
        changes = audit.diff(before, audit.snapshot(event, fields))
        if "tags" in data:
            _set_tags(event, data["tags"])
            tags_after = sorted(event.tags.values_list("name", flat=True))
            if tags_after != tags_before:
                changes["tags"] = {"from": tags_before, "to": tags_after}
        audit.record(actor=actor, action="event.updated", target=event, organization_id=event.organization_id, changes=changes)
        publish_event("event.updated", event)
        return event


def event_delete(*, actor: Actor, event: Event, precondition: Precondition | None = None) -> None:
    """Delete a draft event (and its draft sub-events). Locks the event, then checks ``precondition``.

    Raises BUSY, EVENT_NOT_DELETABLE.
    """
    with transaction.atomic():
        event = _lock_event(event)
        locks.check(precondition, event)
        if event.status != EventStatus.DRAFT or event.sub_events.exclude(status=EventStatus.DRAFT).exists():
            raise DomainError(errors.EVENT_NOT_DELETABLE, details=f"The event is {event.status}.")
        audit.record(
            actor=actor,
            action="event.deleted",
            target=event,
            organization_id=event.organization_id,
            changes={"title": event.title, "slug": event.slug},
        )
        event.delete()


def _transition(actor: Actor, event: Event, allowed_from: Sequence[str], to: str, action: str, **extra: Any) -> Event:
    if event.status not in allowed_from:
        raise DomainError(
            errors.EVENT_INVALID_TRANSITION,
            f"A {event.status} event cannot become {to}.",
            details={"from": event.status, "to": to, "allowedFrom": list(allowed_from)},
            target="status",
        )
    old = event.status
    event.status = to
    for key, value in extra.items():
        setattr(event, key, value)
    event.save()
    audit.record(
        actor=actor,
        action=action,
        target=event,
        organization_id=event.organization_id,
        changes={"status": {"from": old, "to": to}, **{k: {"from": None, "to": v} for k, v in extra.items()}},
    )
    # The catalog has no event.completed: completion is published as an update.
    publish_event(action if action in ("event.published", "event.cancelled") else "event.updated", event)
    return event


def event_publish(*, actor: Actor, event: Event, precondition: Precondition | None = None) -> Event:
    """draft -> published. Locks the event, checks ``precondition``; raises BUSY, EVENT_INVALID_TRANSITION."""
    with transaction.atomic():
        event = _lock_event(event)
        locks.check(precondition, event)
        return _transition(
            actor, event, (EventStatus.DRAFT,), EventStatus.PUBLISHED, "event.published", published_at=timezone.now()
        )


def event_cancel(*, actor: Actor, event: Event, reason: str, precondition: Precondition | None = None) -> Event:
    """draft|published -> cancelled with a reason. Locks the event, checks ``precondition``;
    raises BUSY, EVENT_INVALID_TRANSITION."""
    if not reason or not reason.strip():
        raise invalid("reason", "A cancellation reason is required.", "REQUIRED")
    with transaction.atomic():
        event = _lock_event(event)
        locks.check(precondition, event)
        return _transition(
            actor,
            event,
            EDITABLE_STATUSES,
            EventStatus.CANCELLED,
            "event.cancelled",
            cancelled_at=timezone.now(),
            cancellation_reason=reason.strip(),
        )


def event_complete(
    *, actor: Actor, event: Event, now: dt.datetime | None = None, precondition: Precondition | None = None
) -> Event:
    """published -> completed once the event has ended. Locks the event, checks ``precondition``.

    Raises BUSY, EVENT_INVALID_TRANSITION, EVENT_NOT_ENDED.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(event)
        locks.check(precondition, event)
        if event.status == EventStatus.PUBLISHED and event.ends_at > now:
            raise DomainError(errors.EVENT_NOT_ENDED, details=f"The event ends at {event.ends_at.isoformat()}.")
        return _transition(actor, event, (EventStatus.PUBLISHED,), EventStatus.COMPLETED, "event.completed", completed_at=now)


def events_complete_ended(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Complete every published event that has ended (the periodic job calls this)."""
    now = now or timezone.now()
    done = 0
    for event in Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__lte=now).only("pk"):
        event_complete(actor=actor, event=event, now=now)
        done += 1
    return done


def event_create_sub_events(*, actor: Actor, parent: Event, starts: Sequence[dt.datetime]) -> list[Event]:
    """Create draft sub-events of ``parent`` starting at ``starts``, each as long as the parent.

    Copies the parent's details and tags. Locks the parent. Raises
    EVENT_SERIES_INVALID and SUB_EVENT_EXISTS (naming the clashing starts).
    """
    with transaction.atomic():
        parent = _lock_event(parent)
        if parent.parent_id is not None or parent.status not in EDITABLE_STATUSES:
            raise DomainError(errors.EVENT_SERIES_INVALID)
        if not starts:
            raise invalid("dates", "Give at least one date.", "REQUIRED")
        duration = parent.ends_at - parent.starts_at
        wanted = sorted(set(starts))
        existing = set(parent.sub_events.filter(starts_at__in=wanted).values_list("starts_at", flat=True))
        if existing:
            raise DomainError(errors.SUB_EVENT_EXISTS, details=[s.isoformat() for s in sorted(existing)])
        tags = list(parent.tags.values_list("name", flat=True))
        zone = zoneinfo.ZoneInfo(parent.time_zone)
        created = []
        for start in wanted:
            local_day = start.astimezone(zone).strftime("%Y-%m-%d")
            data = {f: getattr(parent, f) for f in EVENT_FIELDS if f not in ("slug", "starts_at", "ends_at")}
            data.update(starts_at=start, ends_at=start + duration, slug=f"{parent.slug}-{local_day}", tags=tags)
            created.append(event_create(actor=actor, organization=parent.organization, data=data, parent=parent))
        return created


def event_create_sub_events_from_rule(*, actor: Actor, parent: Event, rule: str) -> list[Event]:
    """Create the sub-events an RFC 5545 rule yields from the parent's start, in its time zone.

    Raises VALIDATION_ERROR (target ``rrule``) for an unbounded, invalid or out-of-range
    rule, and what ``event_create_sub_events`` raises.
    """
    if parent.parent_id is not None:
        raise DomainError(errors.EVENT_SERIES_INVALID)
    try:
        starts = expand(rule, first_start=parent.starts_at, time_zone=parent.time_zone)
    except RecurrenceError as exc:
        raise invalid("rrule", str(exc)) from None
    if not all(in_date_range(start) for start in starts):
        raise invalid("rrule", f"The rule yields dates outside the allowed range. {DATE_RANGE_MESSAGE}")
    with transaction.atomic():
        created = event_create_sub_events(actor=actor, parent=parent, starts=starts)
        # The series remembers its rule and each occurrence its rule start: calendars write it as RRULE + exceptions.
        Event.objects.filter(pk__in=[e.pk for e in created]).update(recurrence_start=F("starts_at"))
        if not parent.recurrence_rule:
            Event.objects.filter(pk=parent.pk).update(recurrence_rule=rule.strip()[:500])
        for event in created:
            event.recurrence_start = event.starts_at
        return created


# -- speakers -------------------------------------------------------------------------
def _check_speaker_user(event: Event, data: dict[str, Any]) -> None:
    user = data.get("user")
    if user is not None and not Membership.objects.filter(organization_id=event.organization_id, user=user).exists():
        raise invalid("userId", "Link only members of the organization.", "DOES_NOT_EXIST")


def speaker_create(*, actor: Actor, event: Event, data: dict[str, Any]) -> Speaker:
    with transaction.atomic():
        event = _lock_event(event)
        _require_editable(event)
        _check_speaker_user(event, data)
        speaker = Speaker.objects.create(
            organization_id=event.organization_id, event=event, **{k: v for k, v in data.items() if k in SPEAKER_FIELDS}
        )
        audit.record(
            actor=actor,
            action="speaker.created",
            target=speaker,
            organization_id=event.organization_id,
            changes=audit.snapshot(speaker, SPEAKER_FIELDS),
        )
        return speaker


def speaker_update(*, actor: Actor, speaker: Speaker, data: dict[str, Any], precondition: Precondition | None = None) -> Speaker:
    """Change a speaker. Locks the event, re-reads the speaker and checks ``precondition`` on it.

    Raises BUSY, EVENT_NOT_EDITABLE, VALIDATION_ERROR.
    """
    with transaction.atomic():
        event = _lock_event(speaker.event)
        speaker = Speaker.objects.get(pk=speaker.pk)
        locks.check(precondition, speaker)
        _require_editable(event)
        _check_speaker_user(event, data)
        changes = audit.assign(speaker, data, SPEAKER_FIELDS)
        speaker.save()
        audit.record(
            actor=actor, action="speaker.updated", target=speaker, organization_id=event.organization_id, changes=changes
        )
        return speaker


def speaker_delete(*, actor: Actor, speaker: Speaker, precondition: Precondition | None = None) -> None:
    """Delete a speaker. Locks the event, then checks ``precondition`` on the speaker.

    Raises BUSY, EVENT_NOT_EDITABLE, SPEAKER_IN_USE while the speaker is on a scheduled session.
    """
    with transaction.atomic():
        event = _lock_event(speaker.event)
        if precondition is not None:
            precondition(Speaker.objects.get(pk=speaker.pk))  # as committed before the lock, not as the caller read it
        _require_editable(event)
        if speaker.sessions.filter(status=SessionStatus.SCHEDULED).exists():
            raise DomainError(errors.SPEAKER_IN_USE)
        audit.record(actor=actor, action="speaker.deleted", target=speaker, organization_id=event.organization_id)
        speaker.delete()


# -- sessions -------------------------------------------------------------------------
def _check_session(event: Event, session: Session, speakers: Sequence[Speaker] | None) -> None:
    """Inside the event, and no room or speaker booked twice at overlapping times."""
    if session.ends_at <= session.starts_at:
        raise invalid("endsAt", "The end must be after the start.")
    if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
        raise DomainError(
            errors.SESSION_OUTSIDE_EVENT,
            target="startsAt",
            details=f"The event runs from {event.starts_at.isoformat()} to {event.ends_at.isoformat()}.",
        )
    overlapping = Session.objects.filter(
        event=event, status=SessionStatus.SCHEDULED, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
    ).exclude(pk=session.pk)
    if session.room:
        other = overlapping.filter(room__iexact=session.room).order_by("starts_at").first()
        if other is not None:
            raise DomainError(
                errors.SESSION_ROOM_CLASH,
                f"Room {session.room!r} is booked for {other.title!r} at that time.",
                target="room",
                extra={
                    "clash": {
                        "sessionId": str(other.id),
                        "title": other.title,
                        "room": other.room,
                        "startsAt": other.starts_at.isoformat(),
                        "endsAt": other.ends_at.isoformat(),
                    }
                },
            )
    if speakers:
        other = overlapping.filter(speakers__in=list(speakers)).distinct().order_by("starts_at").first()
        if other is not None:
            busy = next(s for s in speakers if other.speakers.filter(pk=s.pk).exists())
            raise DomainError(
                errors.SESSION_SPEAKER_CLASH,
                f"{busy.name} speaks in {other.title!r} at that time.",
                target="speakerIds",
                extra={
                    "clash": {
                        "speakerId": str(busy.id),
                        "speaker": busy.name,
                        "sessionId": str(other.id),
                        "title": other.title,
                        "startsAt": other.starts_at.isoformat(),
                        "endsAt": other.ends_at.isoformat(),
                    }
                },
            )


def _speakers_of(event: Event, speaker_ids: Sequence[Any]) -> list[Speaker]:
    speakers = list(Speaker.objects.filter(event=event, pk__in=speaker_ids))
    if len(speakers) != len(set(speaker_ids)):
        raise invalid("speakerIds", "Unknown speaker for this event.", "DOES_NOT_EXIST")
    return speakers


def session_create(*, actor: Actor, event: Event, data: dict[str, Any]) -> Session:
    """Schedule a session. Locks the event. Raises EVENT_NOT_EDITABLE, SESSION_OUTSIDE_EVENT,
    SESSION_ROOM_CLASH, SESSION_SPEAKER_CLASH, VALIDATION_ERROR."""
    with transaction.atomic():
        event = _lock_event(event)
        _require_editable(event)
        speakers = _speakers_of(event, data.get("speaker_ids", []))
        session = Session(
            organization_id=event.organization_id, event=event, **{k: v for k, v in data.items() if k in SESSION_FIELDS}
        )
        _check_session(event, session, speakers)
        session.save()
        session.speakers.set(speakers)
        audit.record(
            actor=actor,
            action="session.created",
            target=session,
            organization_id=event.organization_id,
            changes={**audit.snapshot(session, SESSION_FIELDS), "speakers": [str(s.id) for s in speakers]},
        )
        publish_session("session.created", session)
        return session


def session_update(*, actor: Actor, session: Session, data: dict[str, Any], precondition: Precondition | None = None) -> Session:
    """Change a scheduled session; same checks as creation. Locks the event, re-reads the session and checks
    ``precondition`` on it. Raises BUSY and what ``session_create`` raises."""
    with transaction.atomic():
        event = _lock_event(session.event)
        session = Session.objects.get(pk=session.pk)
        locks.check(precondition, session)
        _require_editable(event)
        if session.status == SessionStatus.CANCELLED:
            raise DomainError(errors.EVENT_NOT_EDITABLE, "A cancelled session cannot be changed.")
        fields = [k for k in data if k in SESSION_FIELDS]
        before = audit.snapshot(session, fields)
        speakers_before = sorted(str(s) for s in session.speakers.values_list("id", flat=True))
        for field in fields:
            setattr(session, field, data[field])
        speakers = _speakers_of(event, data["speaker_ids"]) if "speaker_ids" in data else list(session.speakers.all())
        _check_session(event, session, speakers)
        session.save()
        changes = audit.diff(before, audit.snapshot(session, fields))
        if "speaker_ids" in data:
            session.speakers.set(speakers)
            after = sorted(str(s.id) for s in speakers)
            if after != speakers_before:
                changes["speakers"] = {"from": speakers_before, "to": after}
        audit.record(
            actor=actor, action="session.updated", target=session, organization_id=event.organization_id, changes=changes
        )
        publish_session("session.updated", session)
        return session


def session_cancel(*, actor: Actor, session: Session, reason: str, precondition: Precondition | None = None) -> Session:
    """scheduled -> cancelled; frees the room and the speakers. Locks the event, re-reads the session and
    checks ``precondition`` on it. Raises BUSY, EVENT_NOT_EDITABLE, SESSION_NOT_CANCELLABLE."""
    if not reason or not reason.strip():
        raise invalid("reason", "A cancellation reason is required.", "REQUIRED")
    with transaction.atomic():
        event = _lock_event(session.event)
        session = Session.objects.get(pk=session.pk)
        locks.check(precondition, session)
        _require_editable(event)
        if session.status != SessionStatus.SCHEDULED:
            raise DomainError(errors.SESSION_NOT_CANCELLABLE)
        session.status = SessionStatus.CANCELLED
        session.cancelled_at = timezone.now()
        session.cancellation_reason = reason.strip()
        session.save()
        audit.record(
            actor=actor,
            action="session.cancelled",
            target=session,
            organization_id=event.organization_id,
            changes={
                "status": {"from": SessionStatus.SCHEDULED, "to": SessionStatus.CANCELLED},
                "reason": session.cancellation_reason,
            },
        )
        publish_session("session.cancelled", session)
        return session


def session_delete(*, actor: Actor, session: Session, precondition: Precondition | None = None) -> None:
    """Delete a session and its materials' files. Locks the event, then checks ``precondition`` on the session.

    Raises BUSY, EVENT_NOT_EDITABLE.
    """
    with transaction.atomic():
        event = _lock_event(session.event)
        if precondition is not None:
            precondition(Session.objects.get(pk=session.pk))  # as committed before the lock, not as the caller read it
        _require_editable(event)
        audit.record(
            actor=actor,
            action="session.deleted",
            target=session,
            organization_id=event.organization_id,
            changes={"title": session.title},
        )
        for material in session.materials.exclude(file=""):
            _delete_file_on_commit(material)
        session.delete()


# -- materials ------------------------------------------------------------------------
def _delete_file_on_commit(material: SessionMaterial) -> None:
    """Remove the stored file once the row's deletion is committed (never before: a rollback keeps it)."""
    name, storage = material.file.name, material.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def material_add_link(*, actor: Actor, session: Session, title: str, url: str) -> SessionMaterial:
    with transaction.atomic():
        event = _lock_event(session.event)
        _require_editable(event)
        material = SessionMaterial.objects.create(
            organization_id=session.organization_id, session=session, title=title, kind=SessionMaterial.Kind.LINK, url=url
        )
        audit.record(
            actor=actor,
            action="material.created",
            target=material,
            organization_id=session.organization_id,
            changes={"kind": "link", "url": url},
        )
        return material


def material_add_file(*, actor: Actor, session: Session, title: str, upload: UploadedFile, content_type: str) -> SessionMaterial:
    """Store an uploaded file (already checked for size and type by ``events.materials``)."""
    with transaction.atomic():
        event = _lock_event(session.event)
        _require_editable(event)
        material = SessionMaterial(
            organization_id=session.organization_id,
            session=session,
            title=title or upload.name or "file",
            kind=SessionMaterial.Kind.FILE,
            file_name=upload.name or "file",
            content_type=content_type,
            size=upload.size,
        )
        material.file.save(upload.name or "file", upload, save=False)
        try:
            material.save()
            audit.record(
                actor=actor,
                action="material.created",
                target=material,
                organization_id=session.organization_id,
                changes={"kind": "file", "fileName": material.file_name, "size": material.size},
            )
        except Exception:
            # The row is rolled back; the file must not stay behind.
            if material.file.name:
                material.file.storage.delete(material.file.name)
            raise
        return material


def material_delete(*, actor: Actor, material: SessionMaterial) -> None:
    with transaction.atomic():
        event = _lock_event(material.session.event)
        _require_editable(event)
        audit.record(
            actor=actor,
            action="material.deleted",
            target=material,
            organization_id=material.organization_id,
            changes={"title": material.title},
        )
        _delete_file_on_commit(material)
        material.delete()
