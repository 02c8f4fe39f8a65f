"""The SDKs in sdks/: generated from today's document (drift), and used against a live server.

The drift test regenerates both SDKs into a temporary folder with the command
``make sdks`` runs and compares every generated file with the committed one. The
Python SDK is imported from sdks/python; the TypeScript SDK's tests are
sdks/typescript/test/sdk.test.mjs, run by ``node --test`` with the server's
address, an API key and the data in the environment. Both list events with a
cursor, resume from a stored cursor, create a registration twice with one
idempotency key (one registration), and verify the signature of the webhook the
platform delivers for it.
"""

from __future__ import annotations

import filecmp
import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from api import sdks
from core.audit import SYSTEM
from events.models import EventStatus
from integrations import services as webhook_services
from registrations.models import Registration
from tests.factories import EventFactory
from tests.integrations import conftest as integration_fixtures
from tests.integrations.conftest import Receiver
from tests.partner import partner_key
from tests.registrations.factories import TicketTypeFactory

ROOT = Path(settings.BASE_DIR)
NODE = shutil.which("node")


def need_node() -> str:
    """Node and the npm tools (package.json), or a skip; CI (CI=true) has them, so there they are required."""
    missing = ("node is not installed" if NODE is None else None) or (
        "npm ci has not run" if not (sdks.NODE_BIN / "openapi-typescript").exists() else None
    )
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    assert NODE is not None
    return NODE


def files(folder: Path) -> dict[str, Path]:
    """Every file under ``folder`` (or the file itself) by its relative path; bytecode caches left out."""
    if folder.is_file():
        return {folder.name: folder}
    return {
        str(path.relative_to(folder)): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def drift(fresh_root: Path, committed_root: Path) -> list[str]:
    """How the generated parts under ``fresh_root`` differ from those under ``committed_root``."""
    problems = []
    for name in sdks.GENERATED:
        fresh, committed = files(fresh_root / name), files(committed_root / name)
        problems += [f"{name}/{path}: not committed" for path in fresh.keys() - committed.keys()]
        problems += [f"{name}/{path}: no longer generated" for path in committed.keys() - fresh.keys()]
        problems += [
            f"{name}/{path}: differs"
            for path in sorted(fresh.keys() & committed.keys())
            if not filecmp.cmp(fresh[path], committed[path], shallow=False)
        ]
    return problems


def test_the_committed_sdks_are_what_the_schema_generates(tmp_path: Path) -> None:
    """Fails when the API changed and ``make sdks`` was not run (or a generated file was edited by hand)."""
    need_node()
    written = sdks.generate(tmp_path)
    assert all(files(path) for path in written), "the generators wrote nothing"
    problems = drift(tmp_path, sdks.ROOT)
    assert not problems, "The SDKs drifted from the schema; run make sdks:\n" + "\n".join(problems[:20])


def test_the_drift_check_sees_a_changed_added_or_removed_file(tmp_path: Path) -> None:
    for name in sdks.GENERATED:
        source, copy = sdks.ROOT / name, tmp_path / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, copy)
    assert drift(tmp_path, sdks.ROOT) == []
    operation = tmp_path / "python/emp_sdk/generated/api/events/events_list.py"
    operation.write_text(operation.read_text().replace("List events", "List the events"))
    (tmp_path / "python/emp_sdk/generated/api/events/events_purge.py").write_text("")
    (tmp_path / "python/emp_sdk/generated/api/events/events_create.py").unlink()
    assert drift(tmp_path, sdks.ROOT) == [
        "python/emp_sdk/generated/api/events/events_purge.py: not committed",
        "python/emp_sdk/generated/api/events/events_create.py: no longer generated",
        "python/emp_sdk/generated/api/events/events_list.py: differs",
    ]


def test_the_document_the_sdks_come_from_has_no_address_of_this_installation() -> None:
    text = sdks.sdk_document()
    assert "https://events.example" in text and settings.SITE_URL not in text
    assert json.loads(text)["paths"]["/api/v1/events"]["get"]["summary"] == "List events"


def test_the_typescript_declarations_agree_with_the_generated_types() -> None:
    need_node()
    result = subprocess.run(
        [str(sdks.NODE_BIN / "tsc"), "-p", str(sdks.ROOT / "typescript")], capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- against a live server --------------------------------------------------------------------------


@pytest.fixture
def emp_sdk() -> Iterator[Any]:
    """The committed Python SDK, imported from sdks/python as a partner's installed package would be."""
    sys.path.insert(0, str(sdks.ROOT / "python"))
    try:
        yield importlib.import_module("emp_sdk")
    finally:
        sys.path.remove(str(sdks.ROOT / "python"))
        for name in [m for m in sys.modules if m == "emp_sdk" or m.startswith("emp_sdk.")]:
            del sys.modules[name]


@pytest.fixture
def world(org: Any, settings: Any, eager: None, memory_broker: None) -> dict[str, Any]:
    """Five published events, a free ticket type, an API key; webhooks to loopback receivers delivered at once."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    events = [EventFactory(organization=org, title=f"Event {i}", status=EventStatus.PUBLISHED) for i in range(5)]
    ticket_type = TicketTypeFactory(event=events[0], name="Free pass")
    key = partner_key(org, ["events:read", "registrations:read", "registrations:write"])
    return {"org": org, "events": events, "ticket_type": ticket_type, "key": key}


def subscribe(org: Any, url: str) -> str:
    _, secret = webhook_services.subscription_create(
        actor=SYSTEM, organization=org, data={"url": url, "event_types": ["registration.created"]}
    )
    return secret


# The webhook tests' receiver: a real HTTP server on loopback that records each delivery.
receiver = integration_fixtures.receiver


def test_the_python_sdk_pages_registers_once_and_verifies_the_webhook(
    emp_sdk: Any, live_server: Any, world: dict[str, Any], receiver: Receiver
) -> None:
    secret = subscribe(world["org"], receiver.url)
    events_list = importlib.import_module("emp_sdk.generated.api.events.events_list")
    registrations_create = importlib.import_module("emp_sdk.generated.api.registrations.registrations_create")
    models = importlib.import_module("emp_sdk.generated.models")
    client = emp_sdk.connect(live_server.url, world["key"])

    titles = [event.title for event in emp_sdk.iterate(events_list, client, page_size=2, sort="title")]
    assert titles == [f"Event {i}" for i in range(5)]
    first, *rest = list(emp_sdk.pages(events_list, client, page_size=2, sort="title"))
    assert len(rest) == 2 and rest[-1].pagination.next_cursor is None
    stored = first.pagination.next_cursor  # what a sync keeps between runs
    resumed = emp_sdk.iterate(events_list, client, page_size=2, sort="title", cursor=stored)
    assert [event.title for event in resumed] == titles[2:]

    body = models.RegistrationCreateRequest(
        event_id=world["events"][0].id,
        ticket_type_id=world["ticket_type"].id,
        attendees=[models.AttendeeInputRequest(name="Ada Lovelace", email="ada@example.com")],
    )
    created = registrations_create.sync_detailed(client=client, body=body, idempotency_key="py-sdk-order-1")
    assert created.status_code == 201, created.content
    [registration] = created.parsed.data
    replayed = registrations_create.sync_detailed(client=client, body=body, idempotency_key="py-sdk-order-1")
    assert replayed.status_code == 201 and replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.parsed.data[0].id == registration.id
    assert Registration.objects.filter(event=world["events"][0]).count() == 1

    [delivery] = receiver.requests
    payload = emp_sdk.verify(secret, delivery.headers, delivery.body)
    assert payload["event"] == "registration.created" and payload["data"]["id"] == str(registration.id)
    with pytest.raises(emp_sdk.WebhookVerificationError, match="no signature matches"):
        emp_sdk.verify(secret, delivery.headers, delivery.body.replace(b"Ada", b"Eve"))
    with pytest.raises(emp_sdk.WebhookVerificationError, match="tolerance"):
        emp_sdk.verify(secret, delivery.headers, delivery.body, now=int(delivery.headers["webhook-timestamp"]) + 301)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_typescript_sdk_pages_registers_once_and_verifies_the_webhook(live_server: Any, world: dict[str, Any]) -> None:
    node = need_node()
    port = free_port()
    secret = subscribe(world["org"], f"http://127.0.0.1:{port}/hooks")
    environment = {
        **os.environ,
        "EMP_BASE_URL": live_server.url,
        "EMP_TOKEN": world["key"],
        "EMP_EVENT_ID": str(world["events"][0].id),
        "EMP_TICKET_TYPE_ID": str(world["ticket_type"].id),
        "EMP_TITLES": json.dumps([f"Event {i}" for i in range(5)]),
        "EMP_RECEIVER_PORT": str(port),
        "EMP_WEBHOOK_SECRET": secret,
    }
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(sdks.ROOT / "typescript/test/sdk.test.mjs")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pass 3" in result.stdout and "fail 0" in result.stdout, result.stdout
    [registration] = Registration.objects.filter(event=world["events"][0])
    assert registration.attendee_email == "grace@example.com"
