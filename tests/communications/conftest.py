from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from connectors import services
from connectors.models import Connection
from core.audit import SYSTEM
from tests.connectors.conftest import Clock, frozen  # the connectors' clock, moved by the tests
from tests.fakes.sendgrid import SendGridFake


@pytest.fixture
def sendgrid(settings: Any) -> Iterator[SendGridFake]:
    server = SendGridFake().start()
    settings.ANYMAIL = {"SENDGRID_API_URL": server.url + "/v3/"}
    settings.EMAIL_BACKEND = "communications.backends.EmailBackend"
    settings.EMAIL_FALLBACK_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SENDGRID_API_KEY = ""
    yield server
    server.stop()


@pytest.fixture
def connect_sendgrid(org: Any, sendgrid: SendGridFake) -> Any:
    def make(organization: Any = None, **credentials: str) -> Connection:
        return services.connection_create(
            actor=SYSTEM,
            organization=organization or org,
            kind="email",
            vendor="sendgrid",
            mode="live",
            credentials={"api_key": "SG.orgkey.secret123", "webhook_verification_key": sendgrid.verification_key, **credentials},
        )

    return make


__all__ = ["Clock", "frozen"]
