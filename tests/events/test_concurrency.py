"""Parallel writes on PostgreSQL: the event row lock lets exactly one of two clashing requests through."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from accounts.roles import Role
from events.models import Event, Session
from tests.factories import EventFactory, SpeakerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DAY = dt.datetime(2030, 6, 1, tzinfo=dt.UTC)


@pytest.fixture
def event(org: Any) -> Event:
    return EventFactory(organization=org, starts_at=DAY + dt.timedelta(hours=8), ends_at=DAY + dt.timedelta(hours=18))


def run_in_parallel(requests: list[Callable[[], Any]]) -> list[Any]:
    """Start every request at the same moment, each in its own thread (and database connection)."""
    barrier = threading.Barrier(len(requests))
    results: list[Any] = [None] * len(requests)

    def worker(index: int, request: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = request()
        except Exception as exc:  # surfaced by the assertions below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a request hung"
    return results


def statuses(results: list[Any]) -> list[int]:
    for result in results:
        assert not isinstance(result, Exception), repr(result)
    return sorted(r.status_code for r in results)


def clients(api: Any, member: Any, count: int) -> list[Any]:
    return [api(member(Role.EDITOR)) for _ in range(count)]


def session_body(title: str, start: float, end: float, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "startsAt": (DAY + dt.timedelta(hours=start)).isoformat(),
        "endsAt": (DAY + dt.timedelta(hours=end)).isoformat(),
        **extra,
    }


def test_two_overlapping_sessions_in_one_room_at_once(api, member, event):
    one, two = clients(api, member, 2)
    url = f"/api/v1/events/{event.id}/sessions"

    results = run_in_parallel(
        [
            lambda: one.post(url, session_body("One", 10, 11, room="Hall A"), format="json"),
            lambda: two.post(url, session_body("Two", 10.5, 11.5, room="hall a"), format="json"),
        ]
    )

    assert statuses(results) == [201, 409]
    loser = next(r for r in results if r.status_code == 409)
    winner = next(r for r in results if r.status_code == 201)
    assert loser.json()["error"]["code"] == "SESSION_ROOM_CLASH"
    assert loser.json()["error"]["clash"]["sessionId"] == winner.json()["id"]
    assert Session.objects.filter(event=event).count() == 1


def test_many_requests_for_the_same_room_book_it_once(api, member, event):
    crowd = clients(api, member, 5)
    url = f"/api/v1/events/{event.id}/sessions"
    requests = [
        (lambda c=c, i=i: c.post(url, session_body(f"Talk {i}", 10 + i * 0.1, 11 + i * 0.1, room="Hall A"), format="json"))
        for i, c in enumerate(crowd)
    ]

    assert statuses(run_in_parallel(requests)) == [201, 409, 409, 409, 409]
    assert Session.objects.filter(event=event).count() == 1


def test_one_speaker_in_two_rooms_at_once(api, member, event):
    speaker = SpeakerFactory(event=event)
    one, two = clients(api, member, 2)
    url = f"/api/v1/events/{event.id}/sessions"

    results = run_in_parallel(
        [
            lambda: one.post(url, session_body("One", 10, 11, room="A", speakerIds=[str(speaker.id)]), format="json"),
            lambda: two.post(url, session_body("Two", 10, 11, room="B", speakerIds=[str(speaker.id)]), format="json"),
        ]
    )

    assert statuses(results) == [201, 409]
    assert next(r for r in results if r.status_code == 409).json()["error"]["code"] == "SESSION_SPEAKER_CLASH"
    assert Session.objects.filter(event=event).count() == 1


def test_the_same_sub_event_dates_requested_twice_at_once(api, member, event):
    one, two = clients(api, member, 2)
    url = f"/api/v1/events/{event.id}/sub-events"
    body = {"rrule": "FREQ=WEEKLY;COUNT=3"}

    results = run_in_parallel([lambda: one.post(url, body, format="json"), lambda: two.post(url, body, format="json")])

    assert statuses(results) == [201, 409]
    assert next(r for r in results if r.status_code == 409).json()["error"]["code"] == "SUB_EVENT_EXISTS"
    assert Event.objects.filter(parent=event).count() == 3


def test_two_writers_with_the_same_if_match_cannot_both_win(api, member, event):
    one, two = clients(api, member, 2)
    url = f"/api/v1/events/{event.id}"
    etag = one.get(url)["ETag"]

    results = run_in_parallel(
        [
            lambda: one.patch(url, {"title": "One"}, format="json", HTTP_IF_MATCH=etag),
            lambda: two.patch(url, {"title": "Two"}, format="json", HTTP_IF_MATCH=etag),
        ]
    )

    assert statuses(results) == [200, 412]
    winner = next(r for r in results if r.status_code == 200)
    assert Event.objects.get(pk=event.pk).title == winner.json()["title"]


def test_a_session_and_a_shrinking_event_at_once(api, member, event):
    one, two = clients(api, member, 2)

    results = run_in_parallel(
        [
            lambda: one.post(f"/api/v1/events/{event.id}/sessions", session_body("Late", 16, 17), format="json"),
            lambda: two.patch(
                f"/api/v1/events/{event.id}", {"endsAt": (DAY + dt.timedelta(hours=12)).isoformat()}, format="json"
            ),
        ]
    )

    codes = sorted(r.status_code for r in results if not isinstance(r, Exception))
    assert codes in ([200, 400], [201, 409])
    event.refresh_from_db()
    sessions = list(Session.objects.filter(event=event))
    assert all(s.ends_at <= event.ends_at for s in sessions)
