"""The stream over a WebSocket (realtime/): channels' WebsocketCommunicator against the platform's ASGI application
and the real database. Tenancy, scopes, authentication, sessions and resuming."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from accounts.roles import Role
from config.asgi import application
from core.models import OutboxEvent
from tests.realtime.conftest import check_in, create_event, run_loop, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/api/v1/stream"


def run(test: Callable[[], Awaitable[None]]) -> None:
    run_loop(test)


def connect_to(path: str = PATH, headers: list[tuple[bytes, bytes]] | None = None, **kwargs: Any) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=headers or [], **kwargs)


def bearer(raw: str) -> list[tuple[bytes, bytes]]:
    return [(b"authorization", f"Bearer {raw}".encode())]


async def opened(communicator: WebsocketCommunicator) -> dict[str, Any]:
    """Connect and read ``stream.ready``."""
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    ready = await communicator.receive_json_from(timeout=10)
    assert ready["event"] == "stream.ready", ready
    return ready


async def refused(communicator: WebsocketCommunicator) -> tuple[dict[str, Any], int]:
    """Connect, read ``stream.closed`` and the close code."""
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    closed = await communicator.receive_json_from(timeout=10)
    assert closed["event"] == "stream.closed", closed
    output = await communicator.receive_output(timeout=10)
    assert output["type"] == "websocket.close"
    return closed["data"]["error"], output["code"]


async def next_event(communicator: WebsocketCommunicator, timeout: float = 10) -> dict[str, Any]:
    return await communicator.receive_json_from(timeout=timeout)


def test_a_key_receives_its_organizations_check_in_and_another_organizations_key_nothing(org, other_org, key, ticket):
    mine, theirs = key(org, "registrations:read"), key(other_org, "registrations:read", "events:read")

    async def test() -> None:
        own, other = connect_to(headers=bearer(mine)), connect_to(headers=[(b"x-api-key", theirs.encode())])
        ready = await opened(own)
        assert ready["data"] == {
            "organizationId": str(org.pk),
            "events": sorted(["checkin.completed", "registration.created", "registration.confirmed", "registration.cancelled"]),
        }
        assert (await opened(other))["data"]["organizationId"] == str(other_org.pk)

        checkin = await database_sync_to_async(check_in)(ticket)

        event = await next_event(own)
        row = await database_sync_to_async(OutboxEvent.objects.get)(event_type="checkin.completed")
        assert event == {
            "id": str(row.pk),
            "event": "checkin.completed",
            "timestamp": row.created_at.isoformat().replace("+00:00", "Z"),
            "data": row.data,
        }
        assert event["data"]["id"] == str(checkin.pk) and event["data"]["registrationId"] == str(ticket.pk)
        assert await other.receive_nothing(timeout=1)
        await own.disconnect()
        await other.disconnect()

    run(test)


def test_a_key_without_the_read_scope_of_a_type_receives_none_of_it(org, key, ticket):
    events_only = key(org, "events:read")

    async def test() -> None:
        stream = connect_to(headers=bearer(events_only))
        ready = await opened(stream)
        assert "checkin.completed" not in ready["data"]["events"] and "event.created" in ready["data"]["events"]
        await database_sync_to_async(check_in)(ticket)
        created = await database_sync_to_async(create_event)(org, "Launch party")
        event = await next_event(stream)  # the check-in was never sent: the first event is the new event
        assert event["event"] == "event.created" and event["data"]["id"] == str(created.pk)
        assert await stream.receive_nothing(timeout=1)
        await stream.disconnect()

    run(test)


def test_a_key_naming_another_organization_is_refused_as_on_the_api(org, other_org, key):
    raw = key(org, "events:read")

    async def test() -> None:
        error, code = await refused(connect_to(f"{PATH}?organization={other_org.pk}", headers=bearer(raw)))
        assert (error["code"], code) == ("ORGANIZATION_NOT_FOUND", 4404)
        own = connect_to(f"{PATH}?organization={org.pk}", headers=bearer(raw))
        assert (await opened(own))["data"]["organizationId"] == str(org.pk)
        await own.disconnect()

    run(test)


def test_a_key_with_no_read_scope_of_the_stream_is_refused(org, key):
    writer = key(org, "checkins:write")

    async def test() -> None:
        error, code = await refused(connect_to(headers=bearer(writer)))
        assert error["code"] == "NO_STREAM_EVENTS" and code == 4403

    run(test)


def test_unauthenticated_and_bad_credentials_are_refused(org, key):
    good = key(org, "events:read")

    async def test() -> None:
        error, code = await refused(connect_to())
        assert (error["code"], error["status"], code) == ("AUTHENTICATION_REQUIRED", 401, 4401)
        error, code = await refused(connect_to(headers=bearer("emp_live_" + "x" * 40)))
        assert (error["code"], code) == ("AUTHENTICATION_FAILED", 4401)
        # One credential per connection, as on the API.
        error, code = await refused(connect_to(f"{PATH}?access_token={good}", headers=bearer(good)))
        assert (error["code"], code) == ("AUTHENTICATION_FAILED", 4401)

    run(test)


def test_a_browser_sends_the_key_as_a_subprotocol_or_the_access_token_parameter(org, key, ticket):
    raw = key(org, "registrations:read")

    async def test() -> None:
        by_protocol = connect_to(subprotocols=["emp.stream.v1", f"bearer.{raw}"])
        connected, subprotocol = await by_protocol.connect(timeout=10)
        assert connected and subprotocol == "emp.stream.v1"  # the credential is never echoed back
        assert (await next_event(by_protocol))["event"] == "stream.ready"
        by_query = connect_to(f"{PATH}?access_token={raw}")
        await opened(by_query)
        await database_sync_to_async(check_in)(ticket)
        assert (await next_event(by_protocol))["event"] == "checkin.completed"
        assert (await next_event(by_query))["event"] == "checkin.completed"
        await by_protocol.disconnect()
        await by_query.disconnect()

    run(test)


def test_a_console_session_streams_from_the_platforms_own_pages_only(org, other_org, member, ticket):
    staff = member(Role.CHECKIN, email="door@acme.example")
    cookie = session_cookie(staff)

    async def test() -> None:
        own_page = [(b"cookie", cookie.encode()), (b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000")]
        stream = connect_to(f"{PATH}?organization={org.pk}", headers=own_page)
        ready = await opened(stream)
        assert ready["data"]["organizationId"] == str(org.pk)
        assert "checkin.completed" in ready["data"]["events"]
        # A check-in role reads no payments (accounts.roles): the stream says so, and filters them.
        assert "payment.completed" not in ready["data"]["events"]
        await database_sync_to_async(check_in)(ticket)
        assert (await next_event(stream))["event"] == "checkin.completed"
        await stream.disconnect()

        # Another site's page would ride on the cookie (cross-site WebSocket hijacking): refused.
        for origin in (b"https://evil.example", b"http://localhost:8000"):  # another site; another of our names
            hijack = [(b"cookie", cookie.encode()), (b"host", b"127.0.0.1:8000"), (b"origin", origin)]
            error, code = await refused(connect_to(headers=hijack))
            assert code == 4403 and error["code"] == "PERMISSION_DENIED"
        error, code = await refused(connect_to(headers=[(b"cookie", cookie.encode()), (b"host", b"127.0.0.1:8000")]))
        assert code == 4403  # no Origin at all: not a page of ours
        # An organization the user is not a member of is a 404, as on the API.
        error, code = await refused(connect_to(f"{PATH}?organization={other_org.pk}", headers=own_page))
        assert code == 4404 and error["code"] == "ORGANIZATION_NOT_FOUND"

    run(test)


def test_a_client_resumes_after_its_last_event_and_an_unknown_id_is_a_reset(org, other_org, key, ticket):
    raw = key(org, "registrations:read", "events:read")
    first = create_event(org, "First")
    second = create_event(org, "Second")
    check_in(ticket)
    create_event(other_org, "Theirs")
    rows = list(OutboxEvent.objects.filter(organization_id=org.pk).order_by("created_at", "id"))
    theirs = OutboxEvent.objects.get(organization_id=other_org.pk)

    async def test() -> None:
        stream = connect_to(f"{PATH}?lastEventId={rows[0].pk}", headers=bearer(raw))
        await opened(stream)
        replayed = [await next_event(stream) for _ in rows[1:]]
        assert [e["id"] for e in replayed] == [str(r.pk) for r in rows[1:]]
        assert [e["event"] for e in replayed] == ["event.created", "checkin.completed"]
        assert replayed[0]["data"]["id"] == str(second.pk)
        assert await stream.receive_nothing(timeout=0.5)
        await stream.disconnect()

        # Another organization's event id tells nothing of it: the same reset as an id never seen.
        for unknown in (theirs.pk, first.pk):
            stream = connect_to(f"{PATH}?lastEventId={unknown}", headers=bearer(raw))
            await opened(stream)
            reset = await next_event(stream)
            assert reset["event"] == "stream.reset" and reset["data"]["reason"] == "unknown-event"
            await stream.disconnect()

        error, code = await refused(connect_to(f"{PATH}?lastEventId=nope", headers=bearer(raw)))
        assert (error["code"], code) == ("INVALID_LAST_EVENT_ID", 4400)

    run(test)


def test_a_frame_is_json_text_and_a_ping_is_answered(org, key):
    raw = key(org, "events:read")

    async def test() -> None:
        stream = connect_to(headers=bearer(raw))
        await opened(stream)
        await stream.send_to(text_data=json.dumps({"type": "ping"}))
        assert (await next_event(stream))["event"] == "stream.pong"
        await stream.disconnect()

    run(test)


def test_an_oauth_token_reads_its_scopes_and_its_stream_ends_when_it_expires(org, ticket):
    import datetime as dt

    from django.utils import timezone

    from accounts.models import AccessToken, Application
    from tests.oauth.helpers import client_credentials_token, make_app

    app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"])
    token = client_credentials_token(app, secret, "events:read")
    AccessToken.objects.update(expires=timezone.now() + dt.timedelta(seconds=3))

    async def test() -> None:
        stream = connect_to(headers=bearer(token))
        ready = await opened(stream)
        assert ready["data"]["events"] and all(t.startswith(("event.", "session.")) for t in ready["data"]["events"])
        await database_sync_to_async(check_in)(ticket)  # registrations:read is not granted: not sent
        closed = await next_event(stream, timeout=10)
        assert closed["event"] == "stream.closed" and closed["data"]["error"]["code"] == "AUTHENTICATION_FAILED"
        output = await stream.receive_output(timeout=5)
        assert output == {"type": "websocket.close", "code": 4401}

    run(test)


def test_a_portal_member_streams_their_sandbox_with_the_role_they_hold_in_the_developer_organization():
    from accounts.models import Organization, OrganizationKind
    from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

    developers = OrganizationFactory(name="Ada Integrations", kind=OrganizationKind.DEVELOPER)
    sandbox = Organization.objects.create(
        name="Ada Integrations (sandbox)", slug="ada-sandbox", kind=OrganizationKind.SANDBOX, sandbox_of=developers
    )
    admin, viewer = UserFactory(email="admin@ada.example"), UserFactory(email="viewer@ada.example")
    MembershipFactory(user=admin, organization=developers, role=Role.ADMIN)
    MembershipFactory(user=viewer, organization=developers, role=Role.VIEWER)
    stranger = UserFactory(email="someone@else.example")
    MembershipFactory(user=stranger, organization=OrganizationFactory(kind=OrganizationKind.DEVELOPER), role=Role.OWNER)
    cookies = {user.email: session_cookie(user).encode() for user in (admin, viewer, stranger)}

    async def test() -> None:
        origin = [(b"host", b"localhost:8000"), (b"origin", b"http://localhost:8000")]
        path = f"{PATH}?organization={sandbox.pk}"
        admins, viewers = (connect_to(path, headers=[(b"cookie", cookies[u.email]), *origin]) for u in (admin, viewer))
        ready = await opened(admins)
        assert ready["data"]["organizationId"] == str(sandbox.pk)
        assert "webhook.delivery.updated" in ready["data"]["events"]  # owners and admins manage webhooks
        assert "webhook.delivery.updated" not in (await opened(viewers))["data"]["events"]
        await admins.disconnect()
        await viewers.disconnect()
        error, code = await refused(connect_to(path, headers=[(b"cookie", cookies[stranger.email]), *origin]))
        assert (error["code"], code) == ("ORGANIZATION_NOT_FOUND", 4404)

    run(test)
