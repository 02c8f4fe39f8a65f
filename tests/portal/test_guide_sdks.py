"""The SDK examples of the guide, taken from the rendered page and run against a live server (Python and Node)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from api import sdks
from events.models import EventStatus
from registrations.models import Registration
from tests.factories import EventFactory
from tests.partner import partner_key
from tests.portal.test_guide_examples import snippet
from tests.registrations.factories import TicketTypeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def block(base_url: str, block_id: str) -> str:
    return snippet(base_url, block_id, section="sdks")


@pytest.fixture
def environment(live_server: Any, org: Any) -> dict[str, str]:
    event = EventFactory(organization=org, title="Guide SDK Conference", status=EventStatus.PUBLISHED)
    ticket_type = TicketTypeFactory(event=event, name="Free pass")
    key = partner_key(org, ["events:read", "registrations:write"])
    return {
        **os.environ,
        "EMP_BASE_URL": live_server.url,
        "EMP_API_KEY": key,
        "EMP_EVENT_ID": str(event.pk),
        "EMP_TICKET_TYPE_ID": str(ticket_type.pk),
    }


def test_the_python_sdk_example_lists_events_and_registers_once(live_server: Any, environment: dict[str, str]) -> None:
    code = block(live_server.url, "sdk-python")
    assert block(live_server.url, "sdk-python-install") == "pip install ./sdks/python"
    env = {**environment, "PYTHONPATH": str(sdks.ROOT / "python")}
    for _ in range(2):  # the second run replays the first registration (same Idempotency-Key)
        answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout.splitlines() == ["Guide SDK Conference", "201 confirmed"]
    assert Registration.objects.filter(attendee_email="ada@example.com").count() == 1


def test_the_typescript_sdk_example_lists_events_and_registers_once(
    live_server: Any, environment: dict[str, str], tmp_path: Path
) -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("node is not installed")
        pytest.skip("node is not installed")
    assert block(live_server.url, "sdk-typescript-install") == "npm install ./sdks/typescript"
    # What npm install ./sdks/typescript makes: node_modules/@event-platform/sdk, a link to the folder.
    (tmp_path / "node_modules" / "@event-platform").mkdir(parents=True)
    (tmp_path / "node_modules" / "@event-platform" / "sdk").symlink_to(sdks.ROOT / "typescript")
    script = tmp_path / "example.mjs"
    script.write_text(block(live_server.url, "sdk-typescript"))
    for _ in range(2):
        answer = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=120, env=environment, cwd=tmp_path)
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout.splitlines() == ["Guide SDK Conference", "201 confirmed"]
    assert Registration.objects.filter(attendee_email="grace@example.com").count() == 1
