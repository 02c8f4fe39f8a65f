"""PayPal end to end through the fake PayPal over real HTTP: order -> approve -> capture -> registration confirmed ->
payment.completed delivered; the IPN path; forged notifications; duplicates and disorder; refunds; an outage."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests
from django.core import mail

from connectors import services, tasks
from connectors.models import CircuitState, Connection, InboundEvent
from core.audit import SYSTEM
from integrations import tasks as webhook_tasks
from payments import paypal as flow
from payments.models import Payment, PaymentStatus
from registrations.models import RegistrationStatus
from tests.connectors.conftest import Clock
from tests.fakes.paypal import CLIENT_ID, CLIENT_SECRET, WEBHOOK_ID, PayPalFake
from tests.integrations.conftest import Receiver, serve
from tests.integrations.helpers import verify
from tests.payments.factories import pending_order

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    state, server = serve()
    yield state
    server.shutdown()
    server.server_close()


def _hook(client: Any, connection: Connection, body: bytes, headers: dict[str, str], channel: str = "") -> Any:
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    path = f"/hooks/{connection.pk}" + (f"/{channel}" if channel else "")
    content_type = "application/x-www-form-urlencoded" if channel == "ipn" else "application/json"
    return client.post(path, data=body, content_type=content_type, **extra)


def _follow(client: Any, url: str) -> Any:
    """The buyer's browser coming back from PayPal to the platform's page."""
    path = url.split("://", 1)[-1].split("/", 1)[1]
    return client.get("/" + path)
