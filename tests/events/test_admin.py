"""The organizer console for events: scoped to the staff user's organizations, writes through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEntry
from events.admin import ADMIN_CANCEL_REASON
from events.models import Event, EventStatus, Session
from tests.factories import EventFactory, SessionFactory, UserFactory, VenueFactory

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


def test_staff_member_sees_only_their_organizations_events(staff, console, two_events):
    mine, _ = two_events
    client = console(staff(Role.VIEWER))

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]
    assert "Acme Summit" in response.text and "Rival Expo" not in response.text


def test_another_organizations_event_is_not_found_for_a_staff_member(staff, console, two_events):
    _, theirs = two_events
    client = console(staff(Role.OWNER))

    response = client.get(change_url(theirs))

    # Django admin answers an object outside the queryset with a redirect to the index and a "doesn't exist" message.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert any("doesn’t exist" in str(m) or "doesn't exist" in str(m) for m in get_messages(response.wsgi_request))
    assert client.post(change_url(theirs), event_form(theirs, title="Hijacked")).status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == "Rival Expo"


def test_superuser_sees_every_organizations_events(console, two_events):
    root = UserFactory(is_staff=True, is_superuser=True)

    response = console(root).get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == set(two_events)
    assert console(root).get(change_url(two_events[1])).status_code == 200


def test_non_staff_member_cannot_enter_the_console(member, console, two_events):
    client = console(member(Role.OWNER))

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_viewer_can_view_but_not_change(staff, console, two_events):
    mine, _ = two_events
    client = console(staff(Role.VIEWER))

    page = client.get(change_url(mine))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.text

    assert client.post(change_url(mine), event_form(mine, title="Renamed")).status_code == 403
    assert client.get(reverse("admin:events_event_add")).status_code == 403
    mine.refresh_from_db()
    assert mine.title == "Acme Summit"
    changelist = client.get(reverse(CHANGELIST))
    assert "publish_events" not in changelist.text


def test_editor_changes_an_event_through_the_service(staff, console, two_events):
    mine, _ = two_events
    editor = staff(Role.EDITOR)

    response = console(editor).post(change_url(mine), event_form(mine, title="Acme Summit 2026"))

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    mine.refresh_from_db()
    assert mine.title == "Acme Summit 2026"
    entry = AuditEntry.objects.get(action="event.updated", object_id=str(mine.id))
    assert entry.actor_id == str(editor.id)
    assert entry.changes == {"title": {"from": "Acme Summit", "to": "Acme Summit 2026"}}


def test_editor_creates_an_event_through_the_service(org, staff, console):
    editor = staff(Role.EDITOR)
    venue = VenueFactory(organization=org)
    template = EventFactory.build(organization=org, venue=venue, title="Console Launch")

    response = console(editor).post(reverse("admin:events_event_add"), event_form(template, organization=str(org.id), slug=""))

    assert response.status_code == 302
    event = Event.objects.get(title="Console Launch")
    assert event.organization == org and event.slug == "console-launch" and event.status == EventStatus.DRAFT
    assert AuditEntry.objects.filter(action="event.created", object_id=str(event.id), actor_id=str(editor.id)).exists()


def test_editor_sets_the_check_in_window_in_the_console(staff, console, two_events):
    mine, _ = two_events
    client = console(staff(Role.EDITOR))
    page = client.get(change_url(mine))
    assert 'name="check_in_opens_minutes_before_start" value="1440"' in page.text
    assert "Check-in (event entry and sessions) opens this many minutes before the start" in page.text

    form = event_form(mine, check_in_opens_minutes_before_start="90", check_in_closes_minutes_after_end="30")
    assert client.post(change_url(mine), form).status_code == 302
    mine.refresh_from_db()
    assert (mine.check_in_opens_minutes_before_start, mine.check_in_closes_minutes_after_end) == (90, 30)
    entry = AuditEntry.objects.get(action="event.updated", object_id=str(mine.id))
    assert entry.changes["check_in_opens_minutes_before_start"] == {"from": 1440, "to": 90}

    too_far = client.post(change_url(mine), event_form(mine, check_in_opens_minutes_before_start=str(366 * 24 * 60 + 1)))
    assert too_far.status_code == 200 and "check_in_opens_minutes_before_start" in too_far.context["adminform"].form.errors


def test_editor_publishes_an_event_with_the_admin_action(staff, console, two_events):
    mine, _ = two_events
    editor = staff(Role.EDITOR)

    response = console(editor).post(
        reverse(CHANGELIST), {"action": "publish_events", "_selected_action": [str(mine.pk)]}, follow=True
    )

    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.status == EventStatus.PUBLISHED and mine.published_at is not None
    entry = AuditEntry.objects.get(action="event.published", object_id=str(mine.id))
    assert entry.actor_id == str(editor.id) and entry.organization_id == mine.organization_id
    assert "Published 1 event(s)." in [str(m) for m in get_messages(response.wsgi_request)]


def test_a_broken_rule_is_an_error_message_not_a_500(staff, console, org):
    published = EventFactory(organization=org, status=EventStatus.PUBLISHED)
    client = console(staff(Role.EDITOR))

    response = client.post(reverse(CHANGELIST), {"action": "publish_events", "_selected_action": [str(published.pk)]})
    assert response.status_code == 302
    assert any("EVENT_INVALID_TRANSITION" in str(m) for m in get_messages(response.wsgi_request))

    # A published event cannot be deleted: the service refuses and the console says so.
    response = client.post(reverse("admin:events_event_delete", args=[published.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert any("EVENT_NOT_DELETABLE" in str(m) for m in get_messages(response.wsgi_request))
    assert Event.objects.filter(pk=published.pk).exists()


def test_editor_cancels_an_event_with_the_admin_action(staff, console, two_events):
    mine, _ = two_events

    console(staff(Role.EDITOR)).post(reverse(CHANGELIST), {"action": "cancel_events", "_selected_action": [str(mine.pk)]})

    mine.refresh_from_db()
    assert mine.status == EventStatus.CANCELLED and mine.cancellation_reason == ADMIN_CANCEL_REASON
    assert AuditEntry.objects.filter(action="event.cancelled", object_id=str(mine.id)).exists()


def test_event_form_offers_only_the_own_organizations_venues(org, other_org, staff, console, two_events):
    mine, theirs = two_events
    client = console(staff(Role.EDITOR))

    for url in (reverse("admin:events_event_add"), change_url(mine)):
        form = client.get(url).context["adminform"].form
        assert set(form.fields["venue"].queryset) == {mine.venue}
        assert theirs.venue not in form.fields["venue"].queryset
    add_form = client.get(reverse("admin:events_event_add")).context["adminform"].form
    assert list(add_form.fields["organization"].queryset) == [org]


def test_session_room_clash_is_shown_as_an_error(org, staff, console):
    event = EventFactory(organization=org)
    taken = SessionFactory(event=event, room="Hall A")
    client = console(staff(Role.EDITOR))
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
