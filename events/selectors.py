"""Tenant-scoped reads of venues, events, sessions, speakers and materials."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Organization
from core import rows
from events.models import AttendanceMode, Event, Session, SessionMaterial, Speaker, Venue


@dataclass(frozen=True, kw_only=True)
class VenueFilter:
    """What ``venue_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    q: str | None = None
    city: str | None = None


def venue_list(*, organization: Organization, filters: VenueFilter = VenueFilter()) -> QuerySet[Venue]:
    qs = Venue.objects.filter(organization=organization)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(address__icontains=filters.q) | Q(city__icontains=filters.q))
    if filters.city:
        qs = qs.filter(city__iexact=filters.city)
    return qs.order_by("name", "id")


def venue_get(*, organization: Organization, venue_id: uuid.UUID | str) -> Venue | None:
    return Venue.objects.filter(organization=organization, pk=venue_id).first()


def event_of(*, organization_id: uuid.UUID, event_id: uuid.UUID) -> Event | None:
    """The organization's event ``event_id`` (no related rows), or None: one statement written once (``core.rows``).

    What a scan's ``eventId`` resolves with, on every scan: the ORM took longer to build ``Event.objects.filter(
    organization=...).get(pk=...)`` than the database to answer it (ADR 0024).
    """
    connection = connections[router.db_for_read(Event)]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {rows.columns(Event, 'e')} FROM {quote(Event._meta.db_table)} e "
        f"WHERE e.{quote('id')} = %s AND e.{quote('organization_id')} = %s"
    )
    pk = Event._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk.get_db_prep_value(event_id, connection), pk.get_db_prep_value(organization_id, connection)])
        row = cursor.fetchone()
    return None if row is None else rows.load(Event, row, using=connection.alias)


def _event_base(organization: Organization) -> QuerySet[Event]:
    return Event.objects.filter(organization=organization).select_related("venue").with_tag_names()


@dataclass(frozen=True, kw_only=True)
class EventFilter:
    """What ``event_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    status: list[str] | None = None
    starts_after: dt.datetime | None = None
    starts_before: dt.datetime | None = None
    ends_after: dt.datetime | None = None
    ends_before: dt.datetime | None = None
    category: list[str] | None = None
    tag: list[str] | None = None
    city: str | None = None
    attendance_mode: list[str] | None = None
    online: bool | None = None
    parent: uuid.UUID | None = None
    is_series: bool | None = None
    top_level: bool | None = None
    visibility: list[str] | None = None
    q: str | None = None


def event_list(
    *, organization: Organization, order: list[str] | None = None, filters: EventFilter = EventFilter()
) -> QuerySet[Event]:
    qs = _event_base(organization)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.starts_after:
        qs = qs.filter(starts_at__gte=filters.starts_after)
    if filters.starts_before:
        qs = qs.filter(starts_at__lt=filters.starts_before)
    if filters.ends_after:
        qs = qs.filter(ends_at__gt=filters.ends_after)
    if filters.ends_before:
        qs = qs.filter(ends_at__lte=filters.ends_before)
    if filters.category:
        qs = qs.filter(category__in=filters.category)
    if filters.tag:
        for name in filters.tag:  # every tag given must be on the event
            qs = qs.filter(tags__name=name.lower())
    if filters.city:
        qs = qs.filter(venue__city__iexact=filters.city)
    if filters.attendance_mode:
        qs = qs.filter(attendance_mode__in=filters.attendance_mode)
    if filters.online is True:
        qs = qs.filter(attendance_mode__in=[AttendanceMode.ONLINE, AttendanceMode.HYBRID])
    elif filters.online is False:
        qs = qs.filter(attendance_mode__in=[AttendanceMode.IN_PERSON, AttendanceMode.HYBRID])
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.top_level:
        qs = qs.filter(parent__isnull=True)
    if filters.is_series is not None:
        qs = (
            qs.filter(sub_events__isnull=not filters.is_series).distinct()
            if filters.is_series
            else qs.filter(sub_events__isnull=True)
        )
    if filters.visibility:
        qs = qs.filter(visibility__in=filters.visibility)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q) | Q(venue__name__icontains=filters.q))
    return qs.order_by(*(order or ["starts_at", "id"]))


def event_get(*, organization: Organization, event_id: uuid.UUID | str) -> Event | None:
    """The event as the API renders it. Writes lock it in their service (``events.services``), not here."""
    return _event_base(organization).filter(pk=event_id).first()


def sub_events_of(*, event: Event) -> list[Event]:
    """A series' sub-events (every status), in start order, with their venues: what its calendar is made of."""
    if event.parent_id is not None:
        return []
    return list(Event.objects.filter(parent=event, organization_id=event.organization_id).select_related("venue"))


def events_by_ids(*, organization: Organization, ids: list[uuid.UUID]) -> list[Event]:
    return list(_event_base(organization).filter(pk__in=ids).order_by("starts_at", "id"))


@dataclass(frozen=True, kw_only=True)
class SpeakerFilter:
    """What ``speaker_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    q: str | None = None


def speaker_list(*, event: Event, filters: SpeakerFilter = SpeakerFilter()) -> QuerySet[Speaker]:
    qs = Speaker.objects.filter(event=event, organization_id=event.organization_id)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(company__icontains=filters.q))
    return qs.order_by("name", "id")


def speaker_get(*, event: Event, speaker_id: uuid.UUID | str) -> Speaker | None:
    return speaker_list(event=event).select_related("event").filter(pk=speaker_id).first()


@dataclass(frozen=True, kw_only=True)
class SessionFilter:
    """What ``session_list`` filters by: an API list's declared filters (``api.viewsets.ApiViewSet.parse_filter``)."""

    status: list[str] | None = None
    room: str | None = None
    track: str | None = None
    speaker: uuid.UUID | None = None
    starts_after: dt.datetime | None = None
    starts_before: dt.datetime | None = None
    q: str | None = None


def session_list(*, event: Event, order: list[str] | None = None, filters: SessionFilter = SessionFilter()) -> QuerySet[Session]:
    qs = Session.objects.filter(event=event, organization_id=event.organization_id).prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.only("id", "name", "company").order_by("name"))
    )
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.room:
        qs = qs.filter(room__iexact=filters.room)
    if filters.track:
        qs = qs.filter(track__iexact=filters.track)
    if filters.speaker:
        qs = qs.filter(speakers__id=filters.speaker)
    if filters.starts_after:
        qs = qs.filter(starts_at__gte=filters.starts_after)
    if filters.starts_before:
        qs = qs.filter(starts_at__lt=filters.starts_before)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(abstract__icontains=filters.q))
    return qs.order_by(*(order or ["starts_at", "id"]))


def session_get(*, event: Event, session_id: uuid.UUID | str) -> Session | None:
    return session_list(event=event).select_related("event").filter(pk=session_id).first()


def material_list(*, session: Session) -> QuerySet[SessionMaterial]:
    return (
        SessionMaterial.objects.filter(session=session, organization_id=session.organization_id)
        .select_related("session")
        .order_by("created_at", "id")
    )


def material_get(*, session: Session, material_id: uuid.UUID | str) -> SessionMaterial | None:
    return material_list(session=session).select_related("session__event").filter(pk=material_id).first()
