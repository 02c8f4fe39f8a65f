"""Sessions of an event: scheduling rules (inside the event, room and speaker clashes), cancel, CRUD."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accounts.roles import Role
from core.models import AuditEntry
from events.models import Event, EventStatus, Session, SessionStatus
from tests.conftest import error_of
from tests.factories import EventFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2030, 6, 1, tzinfo=dt.UTC)


def at(hour: int, minute: int = 0) -> str:
    return (DAY + dt.timedelta(hours=hour, minutes=minute)).isoformat()


@pytest.fixture
def event(org: Any) -> Event:
    """Runs 2030-06-01 08:00 to 18:00 UTC."""
    return EventFactory(organization=org, starts_at=DAY + dt.timedelta(hours=8), ends_at=DAY + dt.timedelta(hours=18))


def url(event: Event, *rest: Any) -> str:
    return "/".join([f"/api/v1/events/{event.id}/sessions", *map(str, rest)])


def body(**overrides: Any) -> dict[str, Any]:
    data = {"title": "Keynote", "startsAt": at(10), "endsAt": at(11), "room": "Hall A", "track": "Main"}
    data.update(overrides)
    return data


def schedule(client: Any, event: Event, **overrides: Any) -> dict[str, Any]:
    response = client.post(url(event), body(**overrides), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


# -- create / read / update / delete ----------------------------------------------------
def test_create_a_session_inside_the_event(client_owner, event):
    speaker = SpeakerFactory(event=event, name="Ada")
    response = client_owner.post(url(event), body(speakerIds=[str(speaker.id)], capacity=80), format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert response["Location"] == url(event, data["id"])
    assert data["eventId"] == str(event.id)
    assert data["status"] == "scheduled"
    assert data["room"] == "Hall A"
    assert data["capacity"] == 80
    assert data["speakers"] == [{"id": str(speaker.id), "name": "Ada", "company": "ACME"}]
    assert dt.datetime.fromisoformat(data["startsAt"]) == DAY + dt.timedelta(hours=10)
    assert AuditEntry.objects.filter(action="session.created", object_id=data["id"]).exists()


def test_a_session_may_fill_the_whole_event(client_owner, event):
    created = schedule(client_owner, event, startsAt=at(8), endsAt=at(18))
    assert (created["startsAt"], created["endsAt"]) == (
        client_owner.get(f"/api/v1/events/{event.id}").json()["startsAt"],
        client_owner.get(f"/api/v1/events/{event.id}").json()["endsAt"],
    )


@pytest.mark.parametrize(("start", "end"), [(7, 9), (17, 19), (6, 7), (7, 19)])
def test_a_session_outside_the_event_is_refused(client_owner, event, start, end):
    response = client_owner.post(url(event), body(startsAt=at(start), endsAt=at(end)), format="json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "SESSION_OUTSIDE_EVENT"
    assert Session.objects.count() == 0


def test_list_and_retrieve_sessions(client_owner, event):
    late = schedule(client_owner, event, title="Closing", startsAt=at(16), endsAt=at(17), room="Hall B")
    early = schedule(client_owner, event, title="Opening", startsAt=at(9), endsAt=at(10))

    listed = client_owner.get(url(event))
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()["data"]] == [early["id"], late["id"]]
    assert [s["title"] for s in client_owner.get(url(event), {"sort": "-startsAt"}).json()["data"]] == ["Closing", "Opening"]
    assert [s["title"] for s in client_owner.get(url(event), {"room": "hall b"}).json()["data"]] == ["Closing"]
    assert [s["title"] for s in client_owner.get(url(event), {"q": "open"}).json()["data"]] == ["Opening"]

    one = client_owner.get(url(event, late["id"]))
    assert one.status_code == 200
    assert one.json()["title"] == "Closing"


def test_invalid_session_sort(client_owner, event):
    response = client_owner.get(url(event), {"sort": "room"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_SORT"


def test_sessions_of_another_event_are_not_found(client_owner, org, event):
    other = EventFactory(organization=org)
    session = SessionFactory(event=other)
    assert client_owner.get(url(event, session.id)).status_code == 404


def test_sessions_of_another_organization_are_not_found(client_owner, other_org):
    foreign = EventFactory(organization=other_org)
    session = SessionFactory(event=foreign)
    assert client_owner.get(url(foreign)).status_code == 404
    assert client_owner.get(url(foreign, session.id)).status_code == 404
    response = client_owner.post(url(foreign), body(), format="json")
    assert response.status_code == 404
    assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"


def test_patch_a_session(client_owner, event):
    created = schedule(client_owner, event)
    response = client_owner.patch(url(event, created["id"]), {"title": "Opening keynote", "endsAt": at(11, 30)}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Opening keynote"
    session = Session.objects.get(pk=created["id"])
    assert session.ends_at == DAY + dt.timedelta(hours=11, minutes=30)
    assert session.room == "Hall A"


def test_put_a_session(client_owner, event):
    created = schedule(client_owner, event)
    response = client_owner.put(
        url(event, created["id"]), {"title": "Moved", "startsAt": at(14), "endsAt": at(15), "room": "Hall C"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["room"] == "Hall C"
    assert dt.datetime.fromisoformat(response.json()["startsAt"]) == DAY + dt.timedelta(hours=14)


def test_patch_moving_a_session_outside_the_event_changes_nothing(client_owner, event):
    created = schedule(client_owner, event)
    response = client_owner.patch(url(event, created["id"]), {"endsAt": at(19)}, format="json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "SESSION_OUTSIDE_EVENT"
    assert Session.objects.get(pk=created["id"]).ends_at == DAY + dt.timedelta(hours=11)


def test_patch_end_before_start_on_the_stored_start(client_owner, event):
    created = schedule(client_owner, event)
    response = client_owner.patch(url(event, created["id"]), {"endsAt": at(9)}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "endsAt"


def test_delete_a_session(client_owner, event):
    created = schedule(client_owner, event)
    assert client_owner.delete(url(event, created["id"])).status_code == 204
    assert not Session.objects.filter(pk=created["id"]).exists()


# -- clashes ----------------------------------------------------------------------------
def test_room_clash_is_refused_and_names_the_other_session(client_owner, event):
    first = schedule(client_owner, event, title="First", room="Hall A")

    response = client_owner.post(
        url(event), body(title="Second", startsAt=at(10, 30), endsAt=at(11, 30), room="hall a"), format="json"
    )

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "SESSION_ROOM_CLASH"
    assert error["target"] == "room"
    assert error["clash"]["sessionId"] == first["id"]
    assert error["clash"]["title"] == "First"
    assert error["clash"]["room"] == "Hall A"
    assert Session.objects.count() == 1


def test_room_names_compare_case_insensitively(client_owner, event):
    schedule(client_owner, event, room="Hall A")
    response = client_owner.post(url(event), body(room="HALL A"), format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "SESSION_ROOM_CLASH"


def test_a_session_containing_another_clashes(client_owner, event):
    schedule(client_owner, event, startsAt=at(10), endsAt=at(11))
    response = client_owner.post(url(event), body(startsAt=at(9), endsAt=at(12)), format="json")
    assert response.status_code == 409


def test_touching_sessions_do_not_clash(client_owner, event):
    speaker = SpeakerFactory(event=event)
    schedule(client_owner, event, startsAt=at(10), endsAt=at(11), speakerIds=[str(speaker.id)])
    schedule(client_owner, event, startsAt=at(11), endsAt=at(12), speakerIds=[str(speaker.id)])
    schedule(client_owner, event, startsAt=at(9), endsAt=at(10), speakerIds=[str(speaker.id)])
    assert Session.objects.count() == 3


def test_other_rooms_and_roomless_sessions_do_not_clash(client_owner, event):
    schedule(client_owner, event, room="Hall A")
    schedule(client_owner, event, room="Hall B")
    schedule(client_owner, event, room="")
    schedule(client_owner, event, room="")
    assert Session.objects.count() == 4


def test_the_same_room_at_another_event_does_not_clash(client_owner, org, event):
    other = EventFactory(organization=org, starts_at=event.starts_at, ends_at=event.ends_at)
    schedule(client_owner, event, room="Hall A")
    schedule(client_owner, other, room="Hall A")
    assert Session.objects.filter(room="Hall A").count() == 2


def test_speaker_clash_is_refused_and_names_the_speaker(client_owner, event):
    ada = SpeakerFactory(event=event, name="Ada")
    bob = SpeakerFactory(event=event, name="Bob")
    first = schedule(client_owner, event, title="First", room="Hall A", speakerIds=[str(ada.id)])

    response = client_owner.post(
        url(event),
        body(title="Second", room="Hall B", startsAt=at(10, 45), endsAt=at(11, 45), speakerIds=[str(bob.id), str(ada.id)]),
        format="json",
    )

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "SESSION_SPEAKER_CLASH"
    assert error["target"] == "speakerIds"
    assert error["clash"]["speakerId"] == str(ada.id)
    assert error["clash"]["speaker"] == "Ada"
    assert error["clash"]["sessionId"] == first["id"]
    assert Session.objects.count() == 1


def test_moving_a_session_onto_a_booked_room_is_refused(client_owner, event):
    schedule(client_owner, event, title="Morning", startsAt=at(9), endsAt=at(10))
    later = schedule(client_owner, event, title="Later", startsAt=at(12), endsAt=at(13))
    response = client_owner.patch(url(event, later["id"]), {"startsAt": at(9, 30)}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "SESSION_ROOM_CLASH"
    assert Session.objects.get(pk=later["id"]).starts_at == DAY + dt.timedelta(hours=12)


def test_a_session_does_not_clash_with_itself(client_owner, event):
    created = schedule(client_owner, event)
    response = client_owner.patch(url(event, created["id"]), {"endsAt": at(11, 15)}, format="json")
    assert response.status_code == 200


def test_adding_a_busy_speaker_by_update_is_refused(client_owner, event):
    ada = SpeakerFactory(event=event, name="Ada")
    schedule(client_owner, event, room="Hall A", speakerIds=[str(ada.id)])
    other = schedule(client_owner, event, room="Hall B")
    response = client_owner.patch(url(event, other["id"]), {"speakerIds": [str(ada.id)]}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "SESSION_SPEAKER_CLASH"
    assert Session.objects.get(pk=other["id"]).speakers.count() == 0


def test_unknown_or_foreign_speaker_ids_are_refused(client_owner, org, event):
    elsewhere = SpeakerFactory(event=EventFactory(organization=org))
    for speaker_id in (str(elsewhere.id), "6f1c1e0e-0000-4000-8000-000000000000"):
        response = client_owner.post(url(event), body(speakerIds=[speaker_id]), format="json")
        assert response.status_code == 400
        error = error_of(response)
        assert error["code"] == "VALIDATION_ERROR"
        assert error["target"] == "speakerIds"
    assert Session.objects.count() == 0


# -- cancelling -------------------------------------------------------------------------
def test_cancel_a_session_frees_the_room_and_the_speakers(client_owner, event):
    ada = SpeakerFactory(event=event)
    first = schedule(client_owner, event, speakerIds=[str(ada.id)])

    cancelled = client_owner.post(url(event, first["id"], "cancel"), {"reason": "Speaker stuck in traffic"}, format="json")

    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancellationReason"] == "Speaker stuck in traffic"
    assert cancelled.json()["cancelledAt"] is not None
    schedule(client_owner, event, title="Replacement", speakerIds=[str(ada.id)])
    assert Session.objects.filter(status=SessionStatus.SCHEDULED).count() == 1


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_cancelling_a_session_needs_a_reason(client_owner, event, reason):
    created = schedule(client_owner, event)
    response = client_owner.post(url(event, created["id"], "cancel"), {} if reason is None else {"reason": reason}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "reason"
    assert Session.objects.get(pk=created["id"]).status == SessionStatus.SCHEDULED


def test_cancelling_twice_is_refused(client_owner, event):
    created = schedule(client_owner, event)
    assert client_owner.post(url(event, created["id"], "cancel"), {"reason": "once"}, format="json").status_code == 200
    response = client_owner.post(url(event, created["id"], "cancel"), {"reason": "twice"}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "SESSION_NOT_CANCELLABLE"
    assert Session.objects.get(pk=created["id"]).cancellation_reason == "once"


def test_a_cancelled_session_cannot_be_changed(client_owner, event):
    created = schedule(client_owner, event)
    client_owner.post(url(event, created["id"], "cancel"), {"reason": "off"}, format="json")
    response = client_owner.patch(url(event, created["id"]), {"title": "Back on"}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "EVENT_NOT_EDITABLE"


def test_a_cancelled_session_may_lie_outside_new_event_times(client_owner, event):
    created = schedule(client_owner, event, startsAt=at(8), endsAt=at(9))
    client_owner.post(url(event, created["id"], "cancel"), {"reason": "off"}, format="json")
    response = client_owner.patch(f"/api/v1/events/{event.id}", {"startsAt": at(9)}, format="json")
    assert response.status_code == 200, response.json()


# -- the event around the sessions ------------------------------------------------------
def test_event_times_that_would_leave_sessions_outside_are_refused(client_owner, event):
    early = schedule(client_owner, event, title="Early", startsAt=at(8), endsAt=at(9))
    schedule(client_owner, event, title="Midday", startsAt=at(12), endsAt=at(13))

    response = client_owner.patch(f"/api/v1/events/{event.id}", {"startsAt": at(10), "endsAt": at(18)}, format="json")

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "EVENT_HAS_ACTIVE_SESSIONS"
    assert error["details"] == [{"sessionId": early["id"], "title": "Early"}]
    event.refresh_from_db()
    assert event.starts_at == DAY + dt.timedelta(hours=8)


def test_event_times_that_keep_sessions_inside_are_accepted(client_owner, event):
    schedule(client_owner, event, startsAt=at(12), endsAt=at(13))
    response = client_owner.patch(f"/api/v1/events/{event.id}", {"startsAt": at(11), "endsAt": at(14)}, format="json")
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("status", [EventStatus.CANCELLED, EventStatus.COMPLETED])
def test_sessions_of_a_closed_event_are_read_only(client_owner, org, status):
    event = EventFactory(
        organization=org, status=status, starts_at=DAY + dt.timedelta(hours=8), ends_at=DAY + dt.timedelta(hours=18)
    )
    session = SessionFactory(event=event, starts_at=DAY + dt.timedelta(hours=9), ends_at=DAY + dt.timedelta(hours=10))

    attempts = [
        client_owner.post(url(event), body(), format="json"),
        client_owner.patch(url(event, session.id), {"title": "x"}, format="json"),
        client_owner.post(url(event, session.id, "cancel"), {"reason": "x"}, format="json"),
        client_owner.delete(url(event, session.id)),
    ]

    for response in attempts:
        assert response.status_code == 409
        assert error_of(response)["code"] == "EVENT_NOT_EDITABLE"
    assert Session.objects.count() == 1
    assert client_owner.get(url(event, session.id)).status_code == 200


def test_sessions_of_a_published_event_can_be_scheduled(client_owner, org):
    event = EventFactory(
        organization=org,
        status=EventStatus.PUBLISHED,
        starts_at=DAY + dt.timedelta(hours=8),
        ends_at=DAY + dt.timedelta(hours=18),
    )
    created = schedule(client_owner, event)
    assert Session.objects.get(pk=created["id"]).event_id == event.id


# -- bad input --------------------------------------------------------------------------
def test_malformed_json(client_owner, event):
    response = client_owner.post(url(event), data="{'title': 1}", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "MALFORMED_JSON"
    assert Session.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "code", "target"),
    [
        ({"capacity": "abc"}, "VALIDATION_ERROR", "capacity"),
        ({"title": ""}, "VALIDATION_ERROR", "title"),
        ({"speakerIds": ["not-a-uuid"]}, "VALIDATION_ERROR", "speakerIds[0]"),
        ({"speakerIds": "abc"}, "VALIDATION_ERROR", "speakerIds"),
        ({"speakers": ["x"], "hallNumber": 3}, "UNKNOWN_FIELD", "hallNumber"),
        ({"startsAt": "2030-06-01T10:00:00"}, "VALIDATION_ERROR", "startsAt"),
        ({"endsAt": "2030-06-01T09:00:00+00:00"}, "VALIDATION_ERROR", "endsAt"),
        ({"endsAt": "2030-06-01T10:00:00+00:00"}, "VALIDATION_ERROR", "endsAt"),
        ({"startsAt": "1990-06-01T10:00:00+00:00", "endsAt": "1990-06-01T11:00:00+00:00"}, "SESSION_OUTSIDE_EVENT", "startsAt"),
    ],
)
def test_bad_session_input_changes_nothing(client_owner, event, overrides, code, target):
    audits = AuditEntry.objects.count()
    response = client_owner.post(url(event), body(**overrides), format="json")
    assert response.status_code == 400, response.json()
    error = error_of(response)
    assert error["code"] == code
    assert error["target"] == target
    assert Session.objects.count() == 0
    assert AuditEntry.objects.count() == audits


# -- roles ------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [Role.VIEWER, Role.CHECKIN])
def test_read_only_roles_cannot_change_sessions(api, member, event, role):
    session = SessionFactory(event=event, starts_at=DAY + dt.timedelta(hours=9), ends_at=DAY + dt.timedelta(hours=10))
    client = api(member(role))
    assert client.get(url(event)).status_code == 200
    assert client.get(url(event, session.id)).status_code == 200
    for response in (
        client.post(url(event), body(), format="json"),
        client.patch(url(event, session.id), {"title": "x"}, format="json"),
        client.post(url(event, session.id, "cancel"), {"reason": "x"}, format="json"),
        client.delete(url(event, session.id)),
    ):
        assert response.status_code == 403
        assert error_of(response)["code"] == "PERMISSION_DENIED"
    assert Session.objects.get(pk=session.id).status == SessionStatus.SCHEDULED
    assert Session.objects.count() == 1


def test_stale_if_match_on_a_session_is_refused(client_owner, event):
    created = schedule(client_owner, event)
    etag = client_owner.get(url(event, created["id"]))["ETag"]
    client_owner.patch(url(event, created["id"]), {"track": "Side"}, format="json")
    response = client_owner.patch(url(event, created["id"]), {"title": "Lost"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert error_of(response)["code"] == "PRECONDITION_FAILED"
    assert Session.objects.get(pk=created["id"]).title == "Keynote"
