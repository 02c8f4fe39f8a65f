from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from connectors import clock, services
from connectors.models import Connection
from core.audit import SYSTEM
from tests.connectors import toy


@pytest.fixture
def fake() -> Iterator[toy.ToyFake]:
    server = toy.ToyFake().start()
    toy.BASE_URL["url"] = server.url
    toy.HANDLED.clear()
    toy.FAILED_JOBS.clear()
    yield server
    server.stop()


class Clock:
    """The connectors' clock, moved by the tests (sleeps advance it instead of waiting)."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self.slept: list[float] = []

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(clock, "now", lambda: c.now)
    monkeypatch.setattr(clock, "sleep", c.sleep)
    return c


@pytest.fixture
def connect(org: Any) -> Any:
    def make(organization: Any = None, **credentials: str) -> Connection:
        return services.connection_create(
            actor=SYSTEM,
            organization=organization or org,
            kind="crm",
            vendor="toy",
            mode="test",
            credentials={"api_key": "toy_test_abc123", "webhook_secret": "whsec_toysecret", **credentials},
        )

    return make
