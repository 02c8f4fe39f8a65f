"""The events endpoints: CRUD, lifecycle actions, filters, sorting, permissions, audit, ETags."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accounts.roles import Role
from core.models import AuditEntry
from events.models import AttendanceMode, Category, Event, EventStatus, Tag, Visibility
from tests.conftest import error_of
from tests.factories import EventFactory, SessionFactory, SpeakerFactory, VenueFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events"
START = "2030-06-01T09:00:00+02:00"
END = "2030-06-01T17:00:00+02:00"


@pytest.fixture
def venue(org: Any) -> Any:
    return VenueFactory(organization=org, name="Congress Hall", city="Berlin", capacity=500)


def payload(venue: Any, **overrides: Any) -> dict[str, Any]:
    body = {
        "title": "PyCon Berlin",
        "description": "Talks about Python",
        "category": "conference",
        "tags": ["Python", "web "],
        "startsAt": START,
        "endsAt": END,
        "timeZone": "Europe/Berlin",
        "venueId": str(venue.id),
        "capacity": 300,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def create(client: Any, venue: Any, **overrides: Any) -> dict[str, Any]:
    response = client.post(EVENTS, payload(venue, **overrides), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def ended_published_event(org: Any, **kwargs: Any) -> Event:
    start = dt.datetime(2021, 5, 1, 9, tzinfo=dt.UTC)
    return EventFactory(
        organization=org, starts_at=start, ends_at=start + dt.timedelta(hours=8), status=EventStatus.PUBLISHED, **kwargs
    )


# -- create / read ----------------------------------------------------------------------
def test_create_event_answers_201_with_the_camelcase_representation(client_owner, venue):
    response = client_owner.post(EVENTS, payload(venue), format="json")

    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"/api/v1/events/{body['id']}"
    assert response["ETag"]
    assert body["title"] == "PyCon Berlin"
    assert body["slug"] == "pycon-berlin"
    assert body["status"] == "draft"
    assert body["parentId"] is None
    assert body["tags"] == ["python", "web"]
    assert body["venue"]["id"] == str(venue.id)
    assert body["timeZone"] == "Europe/Berlin"
    assert body["attendanceMode"] == "in_person"
    assert dt.datetime.fromisoformat(body["startsAt"]) == dt.datetime.fromisoformat(START)
    assert body["currency"] == "EUR"
    event = Event.objects.get(pk=body["id"])
    assert event.capacity == 300
    assert sorted(event.tags.values_list("name", flat=True)) == ["python", "web"]


def test_slugs_stay_unique_within_the_organization(client_owner, venue):
    first = create(client_owner, venue)
    second = create(client_owner, venue)
    assert first["slug"] == "pycon-berlin"
    assert second["slug"] == "pycon-berlin-2"


def test_online_event_needs_a_join_url_and_no_venue(client_owner, venue):
    response = client_owner.post(EVENTS, payload(venue, venueId=None, attendanceMode="online"), format="json")
    assert response.status_code == 400
    assert error_of(response)["target"] == "onlineUrl"

    ok = client_owner.post(
        EVENTS, payload(venue, venueId=None, attendanceMode="online", onlineUrl="https://meet.example/x"), format="json"
    )
    assert ok.status_code == 201
    assert ok.json()["venue"] is None


def test_in_person_event_needs_a_venue(client_owner, venue):
    response = client_owner.post(EVENTS, payload(venue, venueId=None), format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "venueId"
    assert Event.objects.count() == 0


def test_capacity_larger_than_the_venue_is_refused(client_owner, venue):
    response = client_owner.post(EVENTS, payload(venue, capacity=501), format="json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "CAPACITY_EXCEEDS_VENUE"
    assert Event.objects.count() == 0


def test_another_organizations_venue_is_unknown(client_owner, other_org):
    foreign = VenueFactory(organization=other_org)
    response = client_owner.post(EVENTS, payload(foreign), format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "venueId"
    assert Event.objects.count() == 0


def test_retrieve_event(client_owner, venue):
    created = create(client_owner, venue)
    response = client_owner.get(f"{EVENTS}/{created['id']}")
    assert response.status_code == 200
    assert response.json()["id"] == created["id"]
    assert response["ETag"]
    assert response["Last-Modified"]


def test_another_organizations_event_is_not_found(client_owner, other_org):
    foreign = EventFactory(organization=other_org)
    response = client_owner.get(f"{EVENTS}/{foreign.id}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"
    assert client_owner.patch(f"{EVENTS}/{foreign.id}", {"title": "x"}, format="json").status_code == 404
    assert client_owner.post(f"{EVENTS}/{foreign.id}/publish").status_code == 404
    assert Event.objects.get(pk=foreign.id).title != "x"


def test_list_events_is_paginated_and_scoped_to_the_organization(client_owner, org, other_org):
    EventFactory.create_batch(3, organization=org)
    EventFactory(organization=other_org)
    response = client_owner.get(EVENTS, {"pageSize": 2})
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 2
    assert body["pagination"]["totalCount"] == 3


# -- update -----------------------------------------------------------------------------
def test_patch_changes_only_the_given_fields(client_owner, venue):
    created = create(client_owner, venue)
    response = client_owner.patch(f"{EVENTS}/{created['id']}", {"title": "PyCon DE", "tags": ["data"]}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "PyCon DE"
    assert body["tags"] == ["data"]
    assert body["description"] == "Talks about Python"
    assert body["slug"] == "pycon-berlin"


def test_put_replaces_the_event(client_owner, venue):
    created = create(client_owner, venue)
    new = payload(venue, title="Renamed", startsAt="2030-06-02T10:00:00+02:00", endsAt="2030-06-02T18:00:00+02:00")
    response = client_owner.put(f"{EVENTS}/{created['id']}", new, format="json")
    assert response.status_code == 200, response.json()
    event = Event.objects.get(pk=created["id"])
    assert event.title == "Renamed"
    assert event.starts_at == dt.datetime(2030, 6, 2, 8, tzinfo=dt.UTC)


def test_put_without_required_fields_is_a_validation_error(client_owner, venue):
    created = create(client_owner, venue)
    response = client_owner.put(f"{EVENTS}/{created['id']}", {"title": "Only a title"}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert {d["target"] for d in error["details"]} >= {"startsAt", "endsAt"}
    assert Event.objects.get(pk=created["id"]).title == "PyCon Berlin"


def test_patch_end_before_existing_start_is_refused(client_owner, venue):
    created = create(client_owner, venue)
    response = client_owner.patch(f"{EVENTS}/{created['id']}", {"endsAt": "2030-06-01T08:00:00+02:00"}, format="json")
    assert response.status_code == 400
    assert error_of(response)["target"] == "endsAt"
    assert Event.objects.get(pk=created["id"]).ends_at == dt.datetime.fromisoformat(END)


def test_patch_cannot_stretch_an_event_beyond_a_year(client_owner, venue):
    created = create(client_owner, venue)
    response = client_owner.patch(f"{EVENTS}/{created['id']}", {"endsAt": "2032-06-01T17:00:00+02:00"}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "endsAt"
    assert Event.objects.get(pk=created["id"]).ends_at == dt.datetime.fromisoformat(END)


def test_list_series_and_top_level_filters(client_owner, org):
    parent = EventFactory(organization=org, title="Series")
    EventFactory(organization=org, title="Single")
    for week in (1, 2):
        EventFactory(organization=org, parent=parent, title=f"Week {week}", starts_at=parent.starts_at + dt.timedelta(weeks=week))
    assert titles(client_owner.get(EVENTS, {"isSeries": "true"})) == ["Series"]
    assert titles(client_owner.get(EVENTS, {"topLevel": "true", "sort": "title"})) == ["Series", "Single"]


def test_patch_can_change_the_slug(client_owner, venue):
    created = create(client_owner, venue)
    response = client_owner.patch(f"{EVENTS}/{created['id']}", {"slug": "pycon-2030"}, format="json")
    assert response.status_code == 200
    assert response.json()["slug"] == "pycon-2030"


# -- delete -----------------------------------------------------------------------------
def test_delete_a_draft_event(client_owner, venue):
    created = create(client_owner, venue)
    response = client_owner.delete(f"{EVENTS}/{created['id']}")
    assert response.status_code == 204
    assert not Event.objects.filter(pk=created["id"]).exists()


@pytest.mark.parametrize("status", [EventStatus.PUBLISHED, EventStatus.CANCELLED, EventStatus.COMPLETED])
def test_only_draft_events_can_be_deleted(client_owner, org, status):
    event = EventFactory(organization=org, status=status)
    response = client_owner.delete(f"{EVENTS}/{event.id}")
    assert response.status_code == 409
    assert error_of(response)["code"] == "EVENT_NOT_DELETABLE"
    assert Event.objects.filter(pk=event.id).exists()


# -- lifecycle --------------------------------------------------------------------------
def test_publish_a_draft(client_owner, venue):
    created = create(client_owner, venue)
    response = client_owner.post(f"{EVENTS}/{created['id']}/publish")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "published"
    assert body["publishedAt"] is not None


def test_publishing_twice_is_an_invalid_transition(client_owner, org):
    event = EventFactory(organization=org, status=EventStatus.PUBLISHED)
    response = client_owner.post(f"{EVENTS}/{event.id}/publish")
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "EVENT_INVALID_TRANSITION"
    assert error["details"]["from"] == "published"


def test_cancel_a_published_event(client_owner, org):
    event = EventFactory(organization=org, status=EventStatus.PUBLISHED)
    response = client_owner.post(f"{EVENTS}/{event.id}/cancel", {"reason": "  Speaker ill  "}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["cancellationReason"] == "Speaker ill"
    assert body["cancelledAt"] is not None


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_cancel_needs_a_reason(client_owner, org, body):
    event = EventFactory(organization=org, status=EventStatus.PUBLISHED)
    response = client_owner.post(f"{EVENTS}/{event.id}/cancel", body, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "reason"
    assert Event.objects.get(pk=event.id).status == EventStatus.PUBLISHED


def test_a_cancelled_event_cannot_be_published_again(client_owner, org):
    event = EventFactory(organization=org, status=EventStatus.CANCELLED)
    response = client_owner.post(f"{EVENTS}/{event.id}/publish")
    assert response.status_code == 409
    assert error_of(response)["code"] == "EVENT_INVALID_TRANSITION"
    assert Event.objects.get(pk=event.id).status == EventStatus.CANCELLED


def test_a_cancelled_event_cannot_be_cancelled_again(client_owner, org):
    event = EventFactory(organization=org, status=EventStatus.CANCELLED)
    response = client_owner.post(f"{EVENTS}/{event.id}/cancel", {"reason": "again"}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "EVENT_INVALID_TRANSITION"


@pytest.mark.parametrize("status", [EventStatus.CANCELLED, EventStatus.COMPLETED])
def test_cancelled_and_completed_events_are_read_only(client_owner, org, status):
    event = EventFactory(organization=org, status=status, title="Frozen")
    response = client_owner.patch(f"{EVENTS}/{event.id}", {"title": "Thawed"}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "EVENT_NOT_EDITABLE"
    assert Event.objects.get(pk=event.id).title == "Frozen"


def test_complete_a_published_event_that_has_ended(client_owner, org):
    event = ended_published_event(org)
    response = client_owner.post(f"{EVENTS}/{event.id}/complete")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed"
    assert body["completedAt"] is not None


def test_complete_before_the_end_is_refused(client_owner, org):
    event = EventFactory(organization=org, status=EventStatus.PUBLISHED)
    response = client_owner.post(f"{EVENTS}/{event.id}/complete")
    assert response.status_code == 409
    assert error_of(response)["code"] == "EVENT_NOT_ENDED"
    assert Event.objects.get(pk=event.id).status == EventStatus.PUBLISHED


def test_complete_a_draft_is_an_invalid_transition(client_owner, org):
    start = dt.datetime(2021, 5, 1, 9, tzinfo=dt.UTC)
    event = EventFactory(organization=org, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    response = client_owner.post(f"{EVENTS}/{event.id}/complete")
    assert response.status_code == 409
    assert error_of(response)["code"] == "EVENT_INVALID_TRANSITION"
    assert Event.objects.get(pk=event.id).status == EventStatus.DRAFT


def test_stats(client_owner, org):
    event = EventFactory(organization=org, capacity=120)
    SessionFactory(event=event)
    SessionFactory(event=event, status="cancelled")
    SpeakerFactory(event=event)
    EventFactory(organization=org, parent=event, starts_at=event.starts_at + dt.timedelta(days=7))

    response = client_owner.get(f"{EVENTS}/{event.id}/stats")

    assert response.status_code == 200
    body = response.json()
    assert body["eventId"] == str(event.id)
    assert body["status"] == "draft"
    assert body["capacity"] == 120
    assert body["sessions"] == {"total": 2, "scheduled": 1, "cancelled": 1}
    assert body["speakers"] == 1
    assert body["subEvents"] == 1


# -- filters and sorting ----------------------------------------------------------------
@pytest.fixture
def catalogue(org: Any) -> dict[str, Event]:
    munich = VenueFactory(organization=org, city="Munich", name="Olympia")
    base = dt.datetime(2030, 3, 1, 9, tzinfo=dt.UTC)
    events = {
        "alpha": EventFactory(
            organization=org, title="Alpha Summit", starts_at=base, category=Category.CONFERENCE, status=EventStatus.DRAFT
        ),
        "bravo": EventFactory(
            organization=org,
            title="Bravo Workshop",
            starts_at=base + dt.timedelta(days=10),
            category=Category.WORKSHOP,
            status=EventStatus.PUBLISHED,
            venue=munich,
            description="hands-on rust",
        ),
        "charlie": EventFactory(
            organization=org,
            title="Charlie Webinar",
            starts_at=base + dt.timedelta(days=20),
            category=Category.WEBINAR,
            status=EventStatus.CANCELLED,
            attendance_mode=AttendanceMode.ONLINE,
            venue=None,
            online_url="https://meet.example/c",
            visibility=Visibility.PRIVATE,
        ),
        "delta": EventFactory(
            organization=org,
            title="Delta Meetup",
            starts_at=base + dt.timedelta(days=30),
            category=Category.MEETUP,
            status=EventStatus.COMPLETED,
            attendance_mode=AttendanceMode.HYBRID,
            online_url="https://meet.example/d",
        ),
    }
    python = Tag.objects.create(organization=org, name="python")
    rust = Tag.objects.create(organization=org, name="rust")
    events["alpha"].tags.add(python)
    events["bravo"].tags.add(python, rust)
    return events


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [e["title"] for e in response.json()["data"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Alpha Summit", "Bravo Workshop", "Charlie Webinar", "Delta Meetup"]),
        ({"status": "draft,published"}, ["Alpha Summit", "Bravo Workshop"]),
        ({"status": "cancelled"}, ["Charlie Webinar"]),
        ({"startsAfter": "2030-03-11T10:00:00+01:00"}, ["Bravo Workshop", "Charlie Webinar", "Delta Meetup"]),
        ({"startsBefore": "2030-03-11T10:00:00+01:00"}, ["Alpha Summit"]),
        (
            {"startsAfter": "2030-03-05T00:00:00Z", "startsBefore": "2030-03-25T00:00:00Z"},
            ["Bravo Workshop", "Charlie Webinar"],
        ),
        ({"category": "workshop,meetup"}, ["Bravo Workshop", "Delta Meetup"]),
        ({"tag": "Python"}, ["Alpha Summit", "Bravo Workshop"]),
        ({"tag": "python,rust"}, ["Bravo Workshop"]),
        ({"city": "munich"}, ["Bravo Workshop"]),
        ({"city": "Berlin"}, ["Alpha Summit", "Delta Meetup"]),
        ({"attendanceMode": "online,hybrid"}, ["Charlie Webinar", "Delta Meetup"]),
        ({"online": "true"}, ["Charlie Webinar", "Delta Meetup"]),
        ({"online": "false"}, ["Alpha Summit", "Bravo Workshop", "Delta Meetup"]),
        ({"visibility": "private"}, ["Charlie Webinar"]),
        ({"q": "rust"}, ["Bravo Workshop"]),
        ({"q": "olympia"}, ["Bravo Workshop"]),
        ({"q": "SUMMIT"}, ["Alpha Summit"]),
    ],
)
def test_list_filters(client_owner, catalogue, params, expected):
    assert titles(client_owner.get(EVENTS, params)) == expected


def test_list_filter_by_parent(client_owner, org, catalogue):
    parent = catalogue["alpha"]
    child = EventFactory(organization=org, parent=parent, title="Alpha Day 2", starts_at=parent.starts_at + dt.timedelta(days=1))
    assert titles(client_owner.get(EVENTS, {"parent": str(parent.id)})) == [child.title]
    assert "Alpha Day 2" not in titles(client_owner.get(EVENTS, {"topLevel": "true"}))


@pytest.mark.parametrize(
    ("params", "target"),
    [
        ({"status": "archived"}, "status"),
        ({"startsAfter": "2030-03-01T00:00:00"}, "startsAfter"),
        ({"startsAfter": "yesterday"}, "startsAfter"),
        ({"parent": "not-a-uuid"}, "parent"),
        ({"online": "maybe"}, "online"),
    ],
)
def test_bad_filters_are_validation_errors(client_owner, catalogue, params, target):
    response = client_owner.get(EVENTS, params)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == target


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-startsAt", ["Delta Meetup", "Charlie Webinar", "Bravo Workshop", "Alpha Summit"]),
        ("title", ["Alpha Summit", "Bravo Workshop", "Charlie Webinar", "Delta Meetup"]),
        ("-title", ["Delta Meetup", "Charlie Webinar", "Bravo Workshop", "Alpha Summit"]),
    ],
)
def test_list_sorting(client_owner, catalogue, sort, expected):
    assert titles(client_owner.get(EVENTS, {"sort": sort})) == expected


@pytest.mark.parametrize("sort", ["colour", "-starts_at_x", "startsAt,password"])
def test_invalid_sort(client_owner, catalogue, sort):
    response = client_owner.get(EVENTS, {"sort": sort})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "INVALID_SORT"
    assert error["target"] == "sort"


# -- bad input changes nothing ----------------------------------------------------------
def test_malformed_json(client_owner):
    response = client_owner.post(EVENTS, data='{"title": "x",', content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "MALFORMED_JSON"
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "code", "target"),
    [
        ({"capacity": "abc"}, "VALIDATION_ERROR", "capacity"),
        ({"capacity": 0}, "VALIDATION_ERROR", "capacity"),
        ({"title": ""}, "VALIDATION_ERROR", "title"),
        ({"title": None, "description": "no title"}, "VALIDATION_ERROR", "title"),
        ({"tags": "python"}, "VALIDATION_ERROR", "tags"),
        ({"category": "party"}, "VALIDATION_ERROR", "category"),
        ({"timeZone": "Mars/Olympus"}, "VALIDATION_ERROR", "timeZone"),
        ({"currency": "euro"}, "VALIDATION_ERROR", "currency"),
        ({"onlineUrl": "ftp://x.example"}, "VALIDATION_ERROR", "onlineUrl"),
        ({"venueId": "6f1c1e0e-0000-4000-8000-000000000000"}, "VALIDATION_ERROR", "venueId"),
        ({"ticketPrice": 10}, "UNKNOWN_FIELD", "ticketPrice"),
        ({"startsAt": "2030-06-01T09:00:00"}, "VALIDATION_ERROR", "startsAt"),
        ({"startsAt": "next tuesday"}, "VALIDATION_ERROR", "startsAt"),
        ({"endsAt": "2030-06-01T08:00:00+02:00"}, "VALIDATION_ERROR", "endsAt"),
        ({"endsAt": START}, "VALIDATION_ERROR", "endsAt"),
        ({"startsAt": "1990-06-01T09:00:00+02:00", "endsAt": "1990-06-01T17:00:00+02:00"}, "VALIDATION_ERROR", "startsAt"),
        ({"startsAt": "2999-06-01T09:00:00+02:00", "endsAt": "2999-06-01T17:00:00+02:00"}, "VALIDATION_ERROR", "startsAt"),
        ({"endsAt": "2032-06-01T17:00:00+02:00"}, "VALIDATION_ERROR", "endsAt"),
    ],
)
def test_bad_event_input_changes_nothing(client_owner, venue, overrides, code, target):
    before = (Event.objects.count(), AuditEntry.objects.count(), Tag.objects.count())
    response = client_owner.post(EVENTS, payload(venue, **overrides), format="json")
    assert response.status_code == 400, response.json()
    error = error_of(response)
    assert error["code"] == code
    assert error["target"] == target
    assert (Event.objects.count(), AuditEntry.objects.count(), Tag.objects.count()) == before


def test_body_that_is_not_an_object(client_owner):
    response = client_owner.post(EVENTS, ["title"], format="json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "VALIDATION_ERROR"
    assert Event.objects.count() == 0


def test_tolerated_read_only_fields_can_be_sent_back(client_owner, venue):
    created = create(client_owner, venue)
    body = dict(created, title="Round trip")
    body["venueId"] = str(venue.id)
    response = client_owner.put(f"{EVENTS}/{created['id']}", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Round trip"
    assert response.json()["status"] == "draft"


def test_bad_patch_changes_nothing(client_owner, venue):
    created = create(client_owner, venue)
    audits = AuditEntry.objects.count()
    for body in ({"capacity": "abc"}, {"startsAt": "2030-06-01T09:00:00"}, {"colour": "red"}):
        response = client_owner.patch(f"{EVENTS}/{created['id']}", body, format="json")
        assert response.status_code == 400
    event = Event.objects.get(pk=created["id"])
    assert event.capacity == 300
    assert event.starts_at == dt.datetime.fromisoformat(START)
    assert AuditEntry.objects.count() == audits


# -- roles ------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.VIEWER, Role.CHECKIN, Role.FINANCE])
def test_read_only_roles_can_list_and_read_but_not_write(api, member, org, venue, role):
    event = EventFactory(organization=org, venue=venue)
    client = api(member(role))

    assert client.get(EVENTS).status_code == 200
    assert client.get(f"{EVENTS}/{event.id}").status_code == 200
    assert client.get(f"{EVENTS}/{event.id}/stats").status_code == 200

    attempts = [
        client.post(EVENTS, payload(venue), format="json"),
        client.patch(f"{EVENTS}/{event.id}", {"title": "Hijacked"}, format="json"),
        client.put(f"{EVENTS}/{event.id}", payload(venue, title="Hijacked"), format="json"),
        client.post(f"{EVENTS}/{event.id}/publish"),
        client.post(f"{EVENTS}/{event.id}/cancel", {"reason": "no"}, format="json"),
        client.delete(f"{EVENTS}/{event.id}"),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert error_of(response)["code"] == "PERMISSION_DENIED"
    event.refresh_from_db()
    assert event.title != "Hijacked"
    assert event.status == EventStatus.DRAFT
    assert Event.objects.count() == 1


@pytest.mark.parametrize("role", [Role.ADMIN, Role.EDITOR])
def test_editing_roles_can_create_and_publish(api, member, venue, role):
    client = api(member(role))
    created = create(client, venue)
    assert client.post(f"{EVENTS}/{created['id']}/publish").status_code == 200


def test_anonymous_callers_must_authenticate(api):
    response = api().get(EVENTS)
    assert response.status_code in (401, 403)
    assert error_of(response)["code"] == "AUTHENTICATION_REQUIRED"


def test_the_organization_header_selects_the_tenant(api, member, org, other_org):
    user = member(Role.OWNER)
    EventFactory(organization=org, title="Ours")
    EventFactory(organization=other_org, title="Theirs")
    assert titles(api(user, organization=org).get(EVENTS)) == ["Ours"]
    response = api(user, organization=other_org).get(EVENTS)
    assert response.status_code == 404
    assert error_of(response)["code"] == "ORGANIZATION_NOT_FOUND"


# -- audit ------------------------------------------------------------------------------
def test_writes_are_audited_with_actor_changes_and_correlation_id(client_owner, owner, venue):
    response = client_owner.post(EVENTS, payload(venue), format="json", HTTP_X_CORRELATION_ID="corr-create-1")
    assert response["X-Correlation-ID"] == "corr-create-1"
    event_id = response.json()["id"]
    client_owner.patch(
        f"{EVENTS}/{event_id}", {"title": "New title", "capacity": 250}, format="json", HTTP_X_CORRELATION_ID="corr-update-2"
    )
    client_owner.post(f"{EVENTS}/{event_id}/publish", HTTP_X_CORRELATION_ID="corr-publish-3")

    entries = {e.action: e for e in AuditEntry.objects.filter(object_id=event_id)}
    assert set(entries) == {"event.created", "event.updated", "event.published"}
    for entry in entries.values():
        assert entry.actor_label == owner.email
        assert entry.actor_id == str(owner.pk)
        assert entry.object_type == "events.event"
    created = entries["event.created"]
    assert created.correlation_id == "corr-create-1"
    assert created.changes["title"] == "PyCon Berlin"
    assert created.changes["capacity"] == 300
    updated = entries["event.updated"]
    assert updated.correlation_id == "corr-update-2"
    assert updated.changes == {"title": {"from": "PyCon Berlin", "to": "New title"}, "capacity": {"from": 300, "to": 250}}
    published = entries["event.published"]
    assert published.correlation_id == "corr-publish-3"
    assert published.changes["status"] == {"from": "draft", "to": "published"}


def test_a_refused_write_leaves_no_audit_entry(client_owner, org):
    event = EventFactory(organization=org, status=EventStatus.CANCELLED)
    client_owner.post(f"{EVENTS}/{event.id}/publish")
    client_owner.patch(f"{EVENTS}/{event.id}", {"title": "x"}, format="json")
    assert not AuditEntry.objects.filter(object_id=str(event.id)).exists()


# -- conditional requests ---------------------------------------------------------------
def test_if_match_with_a_stale_etag_is_refused(client_owner, venue):
    created = create(client_owner, venue)
    url = f"{EVENTS}/{created['id']}"
    stale = client_owner.get(url)["ETag"]
    assert client_owner.patch(url, {"description": "changed by someone else"}, format="json").status_code == 200

    response = client_owner.patch(url, {"title": "Lost update"}, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    error = error_of(response)
    assert error["code"] == "PRECONDITION_FAILED"
    assert Event.objects.get(pk=created["id"]).title == "PyCon Berlin"


def test_if_match_with_the_current_etag_succeeds(client_owner, venue):
    created = create(client_owner, venue)
    url = f"{EVENTS}/{created['id']}"
    etag = client_owner.get(url)["ETag"]

    response = client_owner.patch(url, {"title": "Fresh"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Fresh"
    assert response["ETag"] != etag
    assert client_owner.patch(url, {"title": "Again"}, format="json", HTTP_IF_MATCH=etag).status_code == 412


def test_etag_of_create_matches_the_etag_of_a_read(client_owner, venue):
    response = client_owner.post(EVENTS, payload(venue), format="json")
    assert client_owner.get(response["Location"])["ETag"] == response["ETag"]


def test_if_none_match_answers_304(client_owner, venue):
    created = create(client_owner, venue)
    url = f"{EVENTS}/{created['id']}"
    etag = client_owner.get(url)["ETag"]
    assert client_owner.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_delete_with_a_stale_etag_is_refused(client_owner, venue):
    created = create(client_owner, venue)
    url = f"{EVENTS}/{created['id']}"
    response = client_owner.delete(url, HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412
    assert error_of(response)["code"] == "PRECONDITION_FAILED"
    assert Event.objects.filter(pk=created["id"]).exists()
