"""Structured logs: one JSON line per request with its correlation id, organization, client, route, status, duration."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import pytest

from accounts import services as account_services
from core.audit import SYSTEM
from core.logs import JsonFormatter
from tests.factories import EventFactory


def request_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records if record.name == "platform.request"]


@pytest.mark.django_db
def test_an_api_request_is_one_json_line_with_who_and_how_long(client: Any, org: Any, caplog: pytest.LogCaptureFixture) -> None:
    event = EventFactory(organization=org)
    key, secret = account_services.api_key_create(
        actor=SYSTEM, organization=org, data={"name": "CRM sync", "scopes": ["events:read"]}, creator_role=None
    )
    with caplog.at_level(logging.INFO, logger="platform.request"):
        response = client.get(
            f"/api/v1/events/{event.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_X_CORRELATION_ID="trace-42"
        )
    assert response.status_code == 200
    [line] = request_lines(caplog)
    assert line["logger"] == "platform.request"
    assert line["correlationId"] == "trace-42"
    assert line["organization"] == str(org.pk)
    assert line["client"] == f"key:{key.pk}"
    assert line["route"] == "/api/v1/events/{pk}"
    assert line["path"] == f"/api/v1/events/{event.pk}"
    assert line["method"] == "GET" and line["status"] == 200 and line["level"] == "INFO"
    assert line["durationMs"] > 0
    assert line["message"].startswith(f"GET /api/v1/events/{event.pk} 200 ")


@pytest.mark.django_db
def test_a_page_request_has_no_organization_and_an_error_line_carries_its_traceback(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="platform.request"):
        client.get("/health/live")
    [line] = request_lines(caplog)
    assert line["route"] == "/health/live" and "organization" not in line and line["correlationId"] != "-"
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",), exc_info=sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed here" and "RuntimeError: boom" in entry["exc"]
