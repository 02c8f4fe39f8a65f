"""Fixtures of the PayPal tests: the fake PayPal on 127.0.0.1, a PayPal connection, the connectors' clock, and the
platform's pages and hooks as PayPal and the buyer's browser reach them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from connectors import services
from connectors.models import Connection
from core.audit import SYSTEM
from tests.connectors.conftest import Clock
from tests.fakes.paypal import CLIENT_ID, CLIENT_SECRET, WEBHOOK_ID, PayPalFake


@pytest.fixture
def fake(settings: Any) -> Iterator[PayPalFake]:
    server = PayPalFake().start()
    settings.PAYPAL_API_BASE = server.url
    settings.PAYPAL_IPN_VERIFY_URL = f"{server.url}/cgi-bin/webscr"
    settings.CONNECTOR_RETRY_BASE_SECONDS = 0.01
    yield server  # type: ignore[misc]
    server.stop()


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Clock:
    from connectors import clock

    c = Clock()
    monkeypatch.setattr(clock, "now", lambda: c.now)
    monkeypatch.setattr(clock, "sleep", c.sleep)
    return c


@pytest.fixture
def connection(org: Any) -> Connection:
    return services.connection_create(
        actor=SYSTEM,
        organization=org,
        kind="payment",
        vendor="paypal",
        mode="test",
        credentials={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "webhook_id": WEBHOOK_ID},
    )


def hook(client: Any, connection: Connection, body: bytes, headers: dict[str, str], channel: str = "") -> Any:
    """PayPal posting a notification to the connection's inbound route (``channel`` "ipn": the IPN listener)."""
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    path = f"/hooks/{connection.pk}" + (f"/{channel}" if channel else "")
    content_type = "application/x-www-form-urlencoded" if channel == "ipn" else "application/json"
    return client.post(path, data=body, content_type=content_type, **extra)
