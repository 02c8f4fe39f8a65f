"""The model admin for events (platform superusers, tests/accounts/test_admin.py): writes go through the services.

Organizers create, edit, publish and cancel events in the console (tests/console/test_actions.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEntry
from events.admin import ADMIN_CANCEL_REASON
from events.models import Event, EventStatus, Session
from tests.factories import EventFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:events_event_changelist"


@pytest.fixture
def two_events(org: Any, other_org: Any) -> tuple[Event, Event]:
    return (
        EventFactory(organization=org, title="Acme Summit", status=EventStatus.DRAFT),
        EventFactory(organization=other_org, title="Rival Expo"),
    )


def change_url(event: Event) -> str:
    return reverse("admin:events_event_change", args=[event.pk])


def event_form(event: Event, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": event.title,
        "slug": event.slug,
        "description": event.description,
        "category": event.category,
        "starts_at_0": event.starts_at.strftime("%Y-%m-%d"),
        "starts_at_1": event.starts_at.strftime("%H:%M:%S"),
        "ends_at_0": event.ends_at.strftime("%Y-%m-%d"),
        "ends_at_1": event.ends_at.strftime("%H:%M:%S"),
        "time_zone": event.time_zone,
        "attendance_mode": event.attendance_mode,
        "venue": str(event.venue_id or ""),
        "online_url": event.online_url,
        "capacity": str(event.capacity or ""),
        "currency": event.currency,
        "visibility": event.visibility,
        "check_in_opens_minutes_before_start": str(event.check_in_opens_minutes_before_start),
        "check_in_closes_minutes_after_end": str(event.check_in_closes_minutes_after_end),
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_superuser_sees_every_organizations_events(root, console, two_events):
    response = console(root).get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == set(two_events)
    assert console(root).get(change_url(two_events[1])).status_code == 200


def test_a_superuser_changes_an_event_through_the_service(root, console, two_events):
    mine, _ = two_events
    response = console(root).post(change_url(mine), event_form(mine, title="Acme Summit 2026"))

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    mine.refresh_from_db()
    assert mine.title == "Acme Summit 2026"
    entry = AuditEntry.objects.get(action="event.updated", object_id=str(mine.id))
    assert entry.actor_id == str(root.id)
    assert entry.changes == {"title": {"from": "Acme Summit", "to": "Acme Summit 2026"}}


def test_a_superuser_creates_an_event_through_the_service(org, root, console):
    venue = VenueFactory(organization=org)
    template = EventFactory.build(organization=org, venue=venue, title="Console Launch")

    response = console(root).post(reverse("admin:events_event_add"), event_form(template, organization=str(org.id), slug=""))

    assert response.status_code == 302
    event = Event.objects.get(title="Console Launch")
    assert event.organization == org and event.slug == "console-launch" and event.status == EventStatus.DRAFT
    assert AuditEntry.objects.filter(action="event.created", object_id=str(event.id), actor_id=str(root.id)).exists()


def test_a_superuser_publishes_an_event_with_the_admin_action(root, console, two_events):
    mine, _ = two_events

    response = console(root).post(
        reverse(CHANGELIST), {"action": "publish_events", "_selected_action": [str(mine.pk)]}, follow=True
    )

    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.status == EventStatus.PUBLISHED and mine.published_at is not None
    entry = AuditEntry.objects.get(action="event.published", object_id=str(mine.id))
    assert entry.actor_id == str(root.id) and entry.organization_id == mine.organization_id
    assert "Published 1 row(s)." in [str(m) for m in get_messages(response.wsgi_request)]


def test_a_broken_rule_is_an_error_message_not_a_500(root, console, org):
    published = EventFactory(organization=org, status=EventStatus.PUBLISHED)
    client = console(root)

    response = client.post(reverse(CHANGELIST), {"action": "publish_events", "_selected_action": [str(published.pk)]})
    assert response.status_code == 302
    assert any("EVENT_INVALID_TRANSITION" in str(m) for m in get_messages(response.wsgi_request))

    # A published event cannot be deleted: the service refuses and the admin says so.
    response = client.post(reverse("admin:events_event_delete", args=[published.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert any("EVENT_NOT_DELETABLE" in str(m) for m in get_messages(response.wsgi_request))
    assert Event.objects.filter(pk=published.pk).exists()


def test_a_superuser_cancels_an_event_with_the_admin_action(root, console, two_events):
    mine, _ = two_events

    console(root).post(reverse(CHANGELIST), {"action": "cancel_events", "_selected_action": [str(mine.pk)]})

    mine.refresh_from_db()
    assert mine.status == EventStatus.CANCELLED and mine.cancellation_reason == ADMIN_CANCEL_REASON
    assert AuditEntry.objects.filter(action="event.cancelled", object_id=str(mine.id)).exists()


def test_session_room_clash_is_shown_as_an_error(org, root, console):
    event = EventFactory(organization=org)
    taken = SessionFactory(event=event, room="Hall A")
    client = console(root)
    start, end = taken.starts_at, taken.ends_at

    response = client.post(
        reverse("admin:events_session_add"),
        {
            "event": str(event.pk),
            "title": "Double booked",
            "starts_at_0": start.strftime("%Y-%m-%d"),
            "starts_at_1": start.strftime("%H:%M:%S"),
            "ends_at_0": end.strftime("%Y-%m-%d"),
            "ends_at_1": end.strftime("%H:%M:%S"),
            "room": "Hall A",
        },
    )

    assert response.status_code == 302
    assert any("SESSION_ROOM_CLASH" in str(m) for m in get_messages(response.wsgi_request))
    assert not Session.objects.filter(title="Double booked").exists()
