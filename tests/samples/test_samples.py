"""The sample applications of samples/, run as their own processes against a live server.

The Python sync (samples/python-sync/sync.py) pulls registrations incrementally by
cursor and applies the platform's signed webhooks; the Node receiver
(samples/node-webhook-receiver/server.mjs) verifies deliveries with the
TypeScript SDK. Registrations are made through the API; with tasks run at once,
the platform delivers each webhook before the API call returns.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings

from core.audit import SYSTEM
from events.models import EventStatus
from integrations import services as webhook_services
from integrations import signing
from integrations.models import WebhookSubscription
from tests.factories import EventFactory
from tests.partner import partner_key
from tests.registrations.factories import TicketTypeFactory

SAMPLES = Path(settings.BASE_DIR) / "samples"


@pytest.fixture
def platform(live_server: Any, org: Any, settings: Any, eager: None, memory_broker: None) -> dict[str, Any]:
    """A published event with a free ticket type, an API key, and an HTTP client to the live server with it."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    event = EventFactory(organization=org, status=EventStatus.PUBLISHED, capacity=100)
    ticket_type = TicketTypeFactory(event=event, name="Free pass")
    key = partner_key(org, ["registrations:read", "registrations:write"])
    api = httpx.Client(base_url=live_server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)

    def register(email: str) -> str:
        body = {"eventId": str(event.pk), "ticketTypeId": str(ticket_type.pk), "attendees": [{"name": email, "email": email}]}
        answer = api.post("/api/v1/registrations", json=body)
        assert answer.status_code == 201, answer.text
        registration_id: str = answer.json()["data"][0]["id"]
        return registration_id

    def cancel(registration_id: str) -> None:
        answer = api.post(f"/api/v1/registrations/{registration_id}/cancel", json={"reason": "Plans changed"})
        assert answer.status_code == 200, answer.text

    return {"url": live_server.url, "key": key, "org": org, "register": register, "cancel": cancel}


def subscribe(org: Any, url: str, event_types: list[str]) -> str:
    _, secret = webhook_services.subscription_create(
        actor=SYSTEM, organization=org, data={"url": url, "event_types": event_types}
    )
    return secret


def point_at(org: Any, port: int) -> WebhookSubscription:
    """The organization's one subscription, now delivering to the receiver on ``port``."""
    subscription = WebhookSubscription.objects.get(organization=org)
    return webhook_services.subscription_update(
        actor=SYSTEM, subscription=subscription, data={"url": f"http://127.0.0.1:{port}/hooks"}
    )


def signed(secret: str, message_id: str, body: bytes) -> dict[str, str]:
    """Headers of a delivery as the platform signs it (integrations.signing)."""
    stamp = int(time.time())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": signing.sign(secret, message_id, stamp, body),
        "content-type": "application/json",
    }


@pytest.fixture
def started() -> Iterator[Any]:
    """start(args, env) -> (process, the port of its first line ``{"listening": port}``); each stopped after the test."""
    processes: list[subprocess.Popen[str]] = []

    def start(args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], int]:
        process = subprocess.Popen(
            args, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        processes.append(process)
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first, process.stderr.read() if process.stderr else "no output"
        return process, int(json.loads(first)["listening"])

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


# -- Python: incremental sync and webhooks --------------------------------------------------------------------


def run_pull(platform: dict[str, Any], database: Path) -> dict[str, int]:
    result = subprocess.run(
        [
            *(sys.executable, str(SAMPLES / "python-sync/sync.py"), "--db", str(database)),
            *("--base-url", platform["url"], "--token", platform["key"], "pull", "--page-size", "2"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    figures: dict[str, int] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def mirrored(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as db:
        return dict(db.execute("SELECT id, status FROM registrations").fetchall())


def test_the_python_sync_pulls_what_changed_since_its_cursor(platform: dict[str, Any], tmp_path: Path) -> None:
    database = tmp_path / "mirror.sqlite3"
    first, second, third = (platform["register"](f"{name}@example.com") for name in ("ada", "bob", "cy"))

    assert run_pull(platform, database) == {"pages": 2, "rows": 3, "stored": 3}
    assert mirrored(database) == {first: "confirmed", second: "confirmed", third: "confirmed"}

    fourth = platform["register"]("dee@example.com")
    platform["cancel"](first)  # a later updatedAt: it comes after the cursor again
    figures = run_pull(platform, database)
    # From the stored cursor (after the second row): the third again, the fourth, the first changed; not the second.
    assert figures == {"pages": 2, "rows": 3, "stored": 3}
    assert mirrored(database) == {first: "cancelled", second: "confirmed", third: "confirmed", fourth: "confirmed"}
    assert run_pull(platform, database)["rows"] == 1  # nothing changed: only the last page's row is read again


def test_the_python_sync_applies_verified_webhooks_once_and_never_an_older_copy(
    platform: dict[str, Any], tmp_path: Path, started: Any
) -> None:
    database = tmp_path / "mirror.sqlite3"
    secret = subscribe(platform["org"], "http://127.0.0.1:1/", ["registration.*"])
    process, port = started(
        [sys.executable, str(SAMPLES / "python-sync/sync.py"), "--db", str(database), "listen", "--port", "0", "--secret", secret]
    )
    point_at(platform["org"], port)  # the receiver's address is known once it listens

    registration = platform["register"]("eve@example.com")
    assert mirrored(database) == {registration: "confirmed"}
    platform["cancel"](registration)
    assert mirrored(database) == {registration: "cancelled"}

    receiver = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    with sqlite3.connect(database) as db:
        [(updated_at,)] = db.execute("SELECT updated_at FROM registrations").fetchall()
    older = {
        "id": "msg_older",
        "event": "registration.confirmed",
        "timestamp": "2026-01-01T00:00:00Z",
        "version": "1",
        "data": {
            "id": registration,
            "eventId": "e",
            "attendeeName": "Eve",
            "attendeeEmail": "eve@example.com",
            "status": "confirmed",
            "updatedAt": "2026-01-01T00:00:00Z",
        },
    }
    body = json.dumps(older).encode()
    late = receiver.post("/hooks", content=body, headers=signed(secret, "msg_older", body))
    assert late.status_code == 200 and late.json() == {"applied": False}  # out of order: the newer copy stays
    forged = receiver.post("/hooks", content=body, headers=signed(signing.new_secret(), "msg_forged", body))
    assert forged.status_code == 400 and forged.json() == {"error": "no signature matches"}
    newer = json.dumps({**older, "data": {**older["data"], "status": "confirmed", "updatedAt": "2099-01-01T00:00:00Z"}})
    applied = receiver.post("/hooks", content=newer.encode(), headers=signed(secret, "msg_newer", newer.encode()))
    assert applied.json() == {"applied": True}
    again = receiver.post("/hooks", content=newer.encode(), headers=signed(secret, "msg_newer", newer.encode()))
    assert again.json() == {"applied": False}  # the same webhook-id: not applied twice
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT status, updated_at > ? FROM registrations", [updated_at]).fetchall() == [("confirmed", 1)]
    assert process.poll() is None


# -- Node: a webhook receiver ---------------------------------------------------------------------------------


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("node is not installed")
        pytest.skip("node is not installed")
    return found


def test_the_node_receiver_verifies_deliveries_and_acts_on_each_once(platform: dict[str, Any], started: Any) -> None:
    secret = subscribe(platform["org"], "http://127.0.0.1:1/", ["registration.created"])
    process, port = started([node(), str(SAMPLES / "node-webhook-receiver/server.mjs")], {"WEBHOOK_SECRET": secret, "PORT": "0"})
    subscription = point_at(platform["org"], port)

    registration = platform["register"]("fay@example.com")
    delivery = subscription.deliveries.get()
    assert delivery.status == "succeeded", delivery.status

    receiver = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    body = json.dumps({"id": "msg_1", "event": "registration.created", "data": {"id": "x"}}).encode()
    forged = receiver.post("/hooks", content=body, headers=signed(signing.new_secret(), "msg_1", body))
    assert forged.status_code == 400 and forged.json() == {"error": "no signature matches"}
    unsigned = receiver.post("/hooks", content=body)
    assert unsigned.status_code == 400 and unsigned.json() == {"error": "missing header webhook-id"}
    first = receiver.post("/hooks", content=body, headers=signed(secret, "msg_1", body))
    assert first.json() == {"received": True, "duplicate": False}
    repeated = receiver.post("/hooks", content=body, headers=signed(secret, "msg_1", body))
    assert repeated.json() == {"received": True, "duplicate": True}

    process.terminate()
    output, _ = process.communicate(timeout=10)
    lines = [json.loads(line) for line in output.splitlines()]
    assert [(line["event"], line["data"]["id"]) for line in lines] == [
        ("registration.created", registration),
        ("registration.created", "x"),
    ]
