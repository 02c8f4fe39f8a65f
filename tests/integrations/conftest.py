"""Fixtures of the webhook tests: a real HTTP receiver on loopback, subscriptions, and tasks run in-process."""

from __future__ import annotations

import collections
import http.server
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from core.audit import SYSTEM
from integrations import services
from integrations.models import WebhookSubscription


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 that records every request and answers the scripted (status, headers) in turn."""

    url: str
    requests: list[Received] = field(default_factory=list)
    script: collections.deque[tuple[int, dict[str, str]]] = field(default_factory=collections.deque)
    default: tuple[int, dict[str, str]] = (200, {})
    # The next ``stall`` requests get no answer until ``release`` is set (a sender that dies meanwhile).
    stall: int = 0
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, *statuses: int | tuple[int, dict[str, str]]) -> None:
        for status in statuses:
            self.script.append(status if isinstance(status, tuple) else (status, {}))


def serve(tls: ssl.SSLContext | None = None) -> tuple[Receiver, http.server.ThreadingHTTPServer]:
    """Start a receiver on 127.0.0.1 (HTTPS with ``tls``); stop it with ``server.shutdown()``."""
    state = Receiver(url="")
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                state.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status, headers = state.script.popleft() if state.script else state.default
                stalled = state.stall > 0
                state.stall -= stalled
            if stalled:
                state.release.wait(30)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            payload = b'{"ok": true}' if status < 300 else b"nope " * 2000
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    state.url = f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}/hooks"
    return state, server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state, server = serve()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _local_delivery(settings: Any) -> None:
    """Local development settings: http and loopback receivers (the SSRF tests switch loopback off)."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 5


@pytest.fixture(autouse=True)
def _memory_broker(memory_broker: None) -> None:
    """Messages the code under test sends stay in this process (tests/conftest.py ``memory_broker``)."""


@pytest.fixture
def subscribe(org: Any, receiver: Receiver) -> Any:
    """subscribe(event_types, **fields) -> (subscription, secret) of ``org`` pointing at the receiver."""

    def make(event_types: list[str] | None = None, organization: Any = None, **data: Any) -> tuple[WebhookSubscription, str]:
        data.setdefault("url", receiver.url)
        return services.subscription_create(
            actor=SYSTEM, organization=organization or org, data={"event_types": event_types or ["registration.*"], **data}
        )

    return make
