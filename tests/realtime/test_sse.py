"""The stream as Server-Sent Events (``GET /api/v1/stream``) over real HTTP, from the platform's ASGI application
served by uvicorn: the same tenancy, scopes and authentication as the WebSocket, and Last-Event-ID."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from core.models import OutboxEvent
from tests.conftest import error_of
from tests.realtime.conftest import create_event

pytestmark = pytest.mark.django_db(transaction=True)


class Events:
    """The events of one open stream, read by a thread as they arrive."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self.raw: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        fields: dict[str, str] = {}
        try:
            for line in self.response.iter_lines():
                self.raw.append(line)
                if line == "":
                    if "data" in fields:
                        self.queue.put({**json.loads(fields["data"]), "_sse": dict(fields)})
                    fields = {}
                elif not line.startswith(":"):
                    name, _, value = line.partition(":")
                    fields[name] = value.removeprefix(" ")
        except httpx.HTTPError:
            pass

    def next(self, timeout: float = 10) -> dict[str, Any]:
        return self.queue.get(timeout=timeout)

    def nothing(self, timeout: float = 1.0) -> bool:
        try:
            found = self.queue.get(timeout=timeout)
        except queue.Empty:
            return True
        raise AssertionError(f"unexpected event {found}")


@contextmanager
def streaming(server: Any, headers: dict[str, str] | None = None, params: dict[str, str] | None = None) -> Iterator[Events]:
    with httpx.Client(base_url=server.url, timeout=httpx.Timeout(10, read=60)) as client:
        with client.stream("GET", "/api/v1/stream", headers=headers or {}, params=params or {}) as response:
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith("text/event-stream")
            assert response.headers["cache-control"] == "no-store"
            events = Events(response)
            ready = events.next()
            assert ready["event"] == "stream.ready"
            events.ready = ready  # type: ignore[attr-defined]
            yield events


def check_in_over_http(server: Any, raw_key: str, ticket: Any) -> dict[str, Any]:
    event = ticket.ticket_type.event
    response = httpx.post(
        f"{server.url}/api/v1/checkins",
        json={"code": ticket.ticket_code, "eventId": str(event.pk)},
        headers={"Authorization": f"Bearer {raw_key}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_sse_sends_the_organizations_check_in_to_its_keys_that_read_it_only(asgi_server, org, other_org, key, ticket):
    door = key(org, "checkins:write")
    reader = {"Authorization": f"Bearer {key(org, 'registrations:read')}"}
    no_scope = {"X-API-Key": key(org, "events:read", "payments:read")}
    rival = {"Authorization": f"Bearer {key(other_org, 'registrations:read', 'events:read')}"}
    with (
        streaming(asgi_server, reader) as mine,
        streaming(asgi_server, no_scope) as blind,
        streaming(asgi_server, rival) as theirs,
    ):
        assert "checkin.completed" not in blind.ready["data"]["events"]
        checkin = check_in_over_http(asgi_server, door, ticket)
        event = mine.next()
        row = OutboxEvent.objects.get(event_type="checkin.completed")
        assert event["event"] == "checkin.completed" and event["id"] == str(row.pk) and event["data"]["id"] == checkin["id"]
        # The SSE fields: id (resume point), event (the type, for addEventListener), data (the JSON event).
        assert event["_sse"]["id"] == str(row.pk) and event["_sse"]["event"] == "checkin.completed"
        assert blind.nothing() and theirs.nothing(0.2)
        assert "retry: 3000" in mine.raw


def test_sse_refuses_callers_without_valid_credentials_in_the_api_error_format(asgi_server, org, key):
    with httpx.Client(base_url=asgi_server.url, timeout=10) as client:
        for headers, code in (
            ({}, "AUTHENTICATION_REQUIRED"),
            ({"Authorization": "Bearer emp_live_" + "x" * 40}, "AUTHENTICATION_FAILED"),
            ({"Authorization": f"Bearer {key(org, 'checkins:write')}"}, "NO_STREAM_EVENTS"),
        ):
            response = client.get("/api/v1/stream", headers=headers)
            assert response.headers["content-type"].startswith("application/json"), response.text
            assert error_of(_Adapted(response))["code"] == code


def test_sse_takes_the_access_token_parameter_and_resumes_after_last_event_id(asgi_server, org, key):
    raw = key(org, "events:read")
    create_event(org, "First")
    create_event(org, "Second")
    first, second = OutboxEvent.objects.filter(organization_id=org.pk).order_by("created_at", "id")
    with streaming(asgi_server, {"Last-Event-ID": str(first.pk)}, params={"access_token": raw}) as events:
        replayed = events.next()
        assert (replayed["id"], replayed["data"]["title"]) == (str(second.pk), "Second")
        assert events.nothing(0.5)
    with streaming(asgi_server, {"Authorization": f"Bearer {raw}"}, params={"lastEventId": str(second.pk)}) as events:
        assert events.nothing(0.5)


def test_the_wsgi_server_answers_that_the_stream_is_served_elsewhere(client, org, key):
    response = client.get("/api/v1/stream", headers={"Authorization": f"Bearer {key(org, 'events:read')}"})
    assert response.status_code == 503
    assert error_of(response)["code"] == "STREAM_UNAVAILABLE"
    # A browser's EventSource is told 204, the one answer that stops its reconnecting (its page then polls).
    response = client.get(
        "/api/v1/stream", headers={"Authorization": f"Bearer {key(org, 'events:read')}", "Accept": "text/event-stream"}
    )
    assert response.status_code == 204 and response.content == b""


class _Adapted:
    """An httpx response where ``tests.conftest.error_of`` expects Django's."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.status_code = response.status_code

    def json(self) -> Any:
        return self.response.json()

    def __getitem__(self, name: str) -> str:
        return self.response.headers[name]
