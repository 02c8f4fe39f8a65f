"""A partner's view of the document: generate a Python SDK with openapi-python-client and use it against the server.

The client is generated from ``api.schema.document()`` into the test's temporary
directory, imported, and driven against a live server with an API key: it
creates a registration (a nested JSON body) and pages through the events.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accounts import services as account_services
from accounts.roles import Role
from api.schema import document
from events.models import EventStatus
from registrations.models import Registration
from tests.factories import EventFactory, MembershipFactory, UserFactory
from tests.registrations.factories import TicketTypeFactory

PACKAGE = "emp_generated_client"


@pytest.fixture
def generated_client(tmp_path: Path) -> Iterator[Any]:
    schema_file = tmp_path / "openapi.json"
    schema_file.write_text(json.dumps(document()))
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"post_hooks": []}))  # no formatter run: the code only needs to import
    subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(schema_file),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
            "--config",
            str(config),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_a_generated_client_creates_a_registration_and_pages_through_events(
    generated_client: Any, live_server: Any, org: Any
) -> None:
    owner = UserFactory(email="owner@acme.example")
    MembershipFactory(user=owner, organization=org, role=Role.OWNER)
    events = [EventFactory(organization=org, title=f"Event {i}", status=EventStatus.PUBLISHED) for i in range(5)]
    ticket_type = TicketTypeFactory(event=events[0], name="Free pass")
    _, key = account_services.api_key_create(
        actor=owner,
        organization=org,
        data={"name": "SDK", "scopes": ["events:read", "registrations:write"]},
        creator_role=Role.OWNER,
    )
    registrations_create = importlib.import_module(f"{PACKAGE}.api.registrations.registrations_create")
    events_list = importlib.import_module(f"{PACKAGE}.api.events.events_list")
    models = importlib.import_module(f"{PACKAGE}.models")
    client = generated_client.AuthenticatedClient(base_url=live_server.url, token=key, raise_on_unexpected_status=True)

    body = models.RegistrationCreateRequest(
        event_id=events[0].id,
        ticket_type_id=ticket_type.id,
        attendees=[models.AttendeeInputRequest(name="Ada Lovelace", email="ada@example.com")],
    )
    created = registrations_create.sync_detailed(client=client, body=body)
    assert created.status_code == 201, created.content
    [registration] = created.parsed.data
    assert registration.attendee_email == "ada@example.com"
    assert Registration.objects.filter(pk=registration.id, event=events[0]).exists()

    seen, page = [], 1
    while True:
        answer = events_list.sync(client=client, page=page, page_size=2, sort="title")
        assert isinstance(answer, models.PaginatedEventList), answer
        seen += [event.title for event in answer.data]
        if page >= answer.pagination.total_pages:
            break
        page += 1
    assert seen == [f"Event {i}" for i in range(5)]
    assert page == 3
