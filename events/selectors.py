"""Tenant-scoped reads of venues, events, sessions, speakers and materials."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Organization
from events.models import AttendanceMode, Event, Session, SessionMaterial, Speaker, Venue


def venue_list(*, organization: Organization, q: str | None = None, city: str | None = None) -> QuerySet[Venue]:
    qs = Venue.objects.filter(organization=organization)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q) | Q(city__icontains=q))
    if city:
        qs = qs.filter(city__iexact=city)
    return qs.order_by("name", "id")


def venue_get(*, organization: Organization, venue_id: uuid.UUID | str) -> Venue | None:
    return Venue.objects.filter(organization=organization, pk=venue_id).first()


def _event_base(organization: Organization) -> QuerySet[Event]:
    return Event.objects.filter(organization=organization).select_related("venue").with_tag_names()


def event_list(
    *,
    organization: Organization,
    order: list[str] | None = None,
    status: list[str] | None = None,
    starts_after: dt.datetime | None = None,
    starts_before: dt.datetime | None = None,
    ends_after: dt.datetime | None = None,
    ends_before: dt.datetime | None = None,
    category: list[str] | None = None,
    tag: list[str] | None = None,
    city: str | None = None,
    attendance_mode: list[str] | None = None,
    online: bool | None = None,
    parent: uuid.UUID | None = None,
    is_series: bool | None = None,
    top_level: bool | None = None,
    visibility: list[str] | None = None,
    q: str | None = None,
    **_: Any,
) -> QuerySet[Event]:
    qs = _event_base(organization)
    if status:
        qs = qs.filter(status__in=status)
    if starts_after:
        qs = qs.filter(starts_at__gte=starts_after)
    if starts_before:
        qs = qs.filter(starts_at__lt=starts_before)
    if ends_after:
        qs = qs.filter(ends_at__gt=ends_after)
    if ends_before:
        qs = qs.filter(ends_at__lte=ends_before)
    if category:
        qs = qs.filter(category__in=category)
    if tag:
        for name in tag:  # every tag given must be on the event
            qs = qs.filter(tags__name=name.lower())
    if city:
        qs = qs.filter(venue__city__iexact=city)
    if attendance_mode:
        qs = qs.filter(attendance_mode__in=attendance_mode)
    if online is True:
        qs = qs.filter(attendance_mode__in=[AttendanceMode.ONLINE, AttendanceMode.HYBRID])
    elif online is False:
        qs = qs.filter(attendance_mode__in=[AttendanceMode.IN_PERSON, AttendanceMode.HYBRID])
    if parent:
        qs = qs.filter(parent_id=parent)
    if top_level:
        qs = qs.filter(parent__isnull=True)
    if is_series is not None:
        qs = qs.filter(sub_events__isnull=not is_series).distinct() if is_series else qs.filter(sub_events__isnull=True)
    if visibility:
        qs = qs.filter(visibility__in=visibility)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(venue__name__icontains=q))
    return qs.order_by(*(order or ["starts_at", "id"]))


def event_get(*, organization: Organization, event_id: uuid.UUID | str) -> Event | None:
    """The event as the API renders it. Writes lock it in their service (``events.services``), not here."""
    return _event_base(organization).filter(pk=event_id).first()


def events_by_ids(*, organization: Organization, ids: list[uuid.UUID]) -> list[Event]:
    return list(_event_base(organization).filter(pk__in=ids).order_by("starts_at", "id"))


def speaker_list(*, event: Event, q: str | None = None) -> QuerySet[Speaker]:
    qs = Speaker.objects.filter(event=event, organization_id=event.organization_id)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(company__icontains=q))
    return qs.order_by("name", "id")


def speaker_get(*, event: Event, speaker_id: uuid.UUID | str) -> Speaker | None:
    return speaker_list(event=event).select_related("event").filter(pk=speaker_id).first()


def session_list(
    *,
    event: Event,
    order: list[str] | None = None,
    status: list[str] | None = None,
    room: str | None = None,
    track: str | None = None,
    speaker: uuid.UUID | None = None,
    starts_after: dt.datetime | None = None,
    starts_before: dt.datetime | None = None,
    q: str | None = None,
    **_: Any,
) -> QuerySet[Session]:
    qs = Session.objects.filter(event=event, organization_id=event.organization_id).prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.only("id", "name", "company").order_by("name"))
    )
    if status:
        qs = qs.filter(status__in=status)
    if room:
        qs = qs.filter(room__iexact=room)
    if track:
        qs = qs.filter(track__iexact=track)
    if speaker:
        qs = qs.filter(speakers__id=speaker)
    if starts_after:
        qs = qs.filter(starts_at__gte=starts_after)
    if starts_before:
        qs = qs.filter(starts_at__lt=starts_before)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(abstract__icontains=q))
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
