"""Subscription feeds (RFC 5545 over HTTP): a secret URL per attendee that a calendar app polls, and a public
feed of an organization's published public events.

An attendee's feed holds the events (a series as one recurring entry) and scheduled sessions of their confirmed
registrations in the organization, as they are now: a change shows at the next poll (SEQUENCE rises), and a
cancelled event, session or registration is dropped from it. The token is 256 bits from the OS's CSPRNG, shown
once in the feed URL; only its SHA-256 is stored, and revoking the feed makes the URL answer 404 for good.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import Organization
from connectors import clock
from core import audit, calendars
from core.audit import Actor
from core.calendars import CalendarEntry
from events.calendar import event_entries, event_entry, session_entry
from events.models import Event, EventStatus, Session, SessionStatus, Visibility
from integrations.models import CalendarFeed
from registrations.models import Registration, RegistrationStatus

FEED_PATH = "/calendar/feeds/"


@dataclass(frozen=True)
class IssuedFeed:
    feed: CalendarFeed
    url: str  # shown once: only the token's digest is kept


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_create(*, actor: Actor, organization: Organization, attendee_email: str) -> IssuedFeed:
    """A new secret feed URL for the attendee's registrations in the organization. Audited."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed = CalendarFeed.objects.create(
            organization=organization,
            attendee_email=attendee_email.strip().lower(),
            token_hash=_digest(token),
            created_by=str(actor.audit_label)[:255],
        )
        audit.record(
            actor=actor,
            action="calendar_feed.created",
            target=feed,
            organization_id=organization.pk,
            changes={"attendeeEmail": feed.attendee_email},
        )
    return IssuedFeed(feed=feed, url=f"{settings.SITE_URL}{FEED_PATH}{token}.ics")


def feed_revoke(*, actor: Actor, feed: CalendarFeed) -> CalendarFeed:
    """The URL stops answering (404) for good. Idempotent. Audited."""
    with transaction.atomic():
        if CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(revoked_at=clock.now()):
            audit.record(
                actor=actor, action="calendar_feed.revoked", target=feed, organization_id=feed.organization_id, changes={}
            )
    feed.refresh_from_db()
    return feed


def feed_by_token(token: str) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(token_hash=_digest(token), revoked_at__isnull=True).select_related("organization").first()


def feed_list(*, organization: Organization) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(organization=organization).order_by("-created_at", "-id")


def feed_get(*, organization: Organization, feed_id: Any) -> CalendarFeed | None:
    return feed_list(organization=organization).filter(pk=feed_id).first()


def attendee_entries(feed: CalendarFeed) -> list[CalendarEntry]:
    """What the attendee's calendar app must show now: their confirmed events and scheduled sessions."""
    units = list(
        Event.objects.filter(
            organization_id=feed.organization_id,
            status__in=(EventStatus.PUBLISHED, EventStatus.COMPLETED),
            pk__in=Registration.objects.filter(
                organization_id=feed.organization_id,
                attendee_email__iexact=feed.attendee_email,
                status=RegistrationStatus.CONFIRMED,
            ).values("event_id"),
        )
        .select_related("venue")
        .order_by("starts_at", "id")
    )
    subs: dict[Any, list[Event]] = {}
    for sub in Event.objects.filter(parent__in=[u.pk for u in units if u.parent_id is None]).select_related("venue"):
        subs.setdefault(sub.parent_id, []).append(sub)
    entries: list[CalendarEntry] = []
    for unit in units:
        entries.extend(e for e in event_entries(unit, subs.get(unit.pk, [])) if e.status != "CANCELLED")
    sessions = Session.objects.filter(event__in=units, status=SessionStatus.SCHEDULED).select_related("event__venue")
    entries.extend(session_entry(s) for s in sessions.order_by("starts_at", "id"))
    return entries


def attendee_calendar(feed: CalendarFeed) -> bytes:
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=clock.now())
    return calendars.calendar(attendee_entries(feed), name=f"{feed.organization.name}: my events")


def organization_by_slug(slug: str) -> Organization | None:
    organization = Organization.objects.filter(slug=slug).first()
    return None if organization is None or organization.is_sandbox else organization


def organization_calendar(organization: Organization) -> bytes:
    """The public feed: the organization's published public events (cancelled ones dropped)."""
    events = (
        Event.objects.filter(organization=organization, status=EventStatus.PUBLISHED, visibility=Visibility.PUBLIC)
        .select_related("venue")
        .order_by("starts_at", "id")
    )
    return calendars.calendar((event_entry(e) for e in events), name=organization.name)
