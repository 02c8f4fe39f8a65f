"""A vendor of the tests only ("toy", kind crm): the smallest adapter on the framework, against ``ToyFake``.

Its wire format: bearer API key; ``GET /v1/me``; ``POST /v1/contacts`` (Idempotency-Key honoured, a replayed key
answers the first result); ``GET /v1/contacts/{id}``; notifications signed ``Toy-Signature: t=<unix>,v1=<hex
HMAC-SHA256 of "t.body">`` with the webhook secret, five minutes' tolerance; request ids in ``Request-Id``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Mapping
from typing import Any

from connectors import calls, clock, http, jobs, registry, services
from connectors.models import Connection, ConnectorJob, InboundEvent
from tests.fakes.server import FakeVendor, Reply, Request

BASE_URL = {"url": ""}
HANDLED: list[tuple[str, dict[str, Any]]] = []
FAILED_JOBS: list[str] = []


def _headers(connection: Connection) -> dict[str, str]:
    return {"Authorization": f"Bearer {services.credentials_of(connection)['api_key']}"}


def _send(connection: Connection, operation: str, method: str, path: str, *, key: str = "", **kwargs: Any) -> Any:
    def attempt(a: calls.Attempt) -> Any:
        response = http.request(
            a,
            method,
            BASE_URL["url"] + path,
            request_id_header="Request-Id",
            idempotency_header="Idempotency-Key",
            headers=_headers(connection),
            **kwargs,
        )
        return response.json()

    return calls.call(connection, operation, attempt, idempotency_key=key)


def test_call(connection: Connection) -> str:
    me = _send(connection, "account.retrieve", "GET", "/v1/me")
    return f"Connected as {me['name']}."


class ToyIntake:
    def verify(self, connection: Connection, *, body: bytes, headers: Mapping[str, str], channel: str) -> registry.Notification:
        secret = services.credentials_of(connection)["webhook_secret"]
        parts = dict(p.split("=", 1) for p in headers.get("Toy-Signature", "").split(",") if "=" in p)
        try:
            stamp = int(parts["t"])
        except (KeyError, ValueError):
            raise registry.SignatureInvalid("no timestamp") from None
        expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            raise registry.SignatureInvalid("signature mismatch")
        if abs(clock.now().timestamp() - stamp) > 300:
            raise registry.SignatureInvalid("timestamp outside the tolerance")
        data = json.loads(body)
        return registry.Notification(vendor_event_id=data["id"], event_type=data["type"], payload=data)

    def handle(self, connection: Connection, event: InboundEvent) -> bool:
        if not event.event_type.startswith("contact."):
            return False
        contact_id = event.payload["data"]["id"]
        HANDLED.append((event.vendor_event_id, _send(connection, "contacts.retrieve", "GET", f"/v1/contacts/{contact_id}")))
        return True


VENDOR = registry.register(
    registry.Vendor(
        kind="crm",
        name="toy",
        label="Toy CRM",
        credentials=(
            registry.Field("api_key", "API key", pattern=r"toy_{mode}_[A-Za-z0-9]+", help="toy_<mode>_..."),
            registry.Field("webhook_secret", "Webhook secret"),
        ),
        settings=(registry.Field("region", "Region", required=False),),
        test=test_call,
        intake=ToyIntake(),
    )
)


def _record_failure(connection: Connection, job: ConnectorJob, error: str) -> None:
    FAILED_JOBS.append(error)


@jobs.operation("toy.contact_create", on_failure=_record_failure)
def contact_create(connection: Connection, job: ConnectorJob) -> dict[str, Any]:
    created = _send(connection, "contacts.create", "POST", "/v1/contacts", key=job.idempotency_key, json=job.payload)
    return {"id": created["id"]}


class ToyFake(FakeVendor):
    def __init__(self) -> None:
        super().__init__()
        self.contacts: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, dict[str, Any]] = {}
        self.ids = itertools.count(1)
        self.route("GET", "/v1/me", self.me)
        self.route("POST", "/v1/contacts", self.create)
        self.route("GET", r"/v1/contacts/(?P<id>[^/]+)", self.get)

    def error_reply(self, status: int) -> Reply:
        return status, {"Request-Id": f"req_err_{status}"}, {"error": {"type": "api_error", "message": f"failed ({status})"}}

    def _auth(self, request: Request) -> Reply | None:
        if not request.header("Authorization").startswith("Bearer toy_"):
            return (
                401,
                {"Request-Id": "req_401"},
                {"error": {"type": "auth", "message": f"bad key {request.header('Authorization')}"}},
            )
        return None

    def me(self, request: Request) -> Reply:
        return self._auth(request) or (200, {"Request-Id": "req_me"}, {"name": "Toy account"})

    def create(self, request: Request) -> Reply:
        key = request.header("Idempotency-Key")
        if key in self.by_key:
            return 200, {"Request-Id": "req_replayed"}, self.by_key[key]
        contact = {"id": f"c_{next(self.ids)}", **request.json()}
        self.contacts[contact["id"]] = contact
        if key:
            self.by_key[key] = contact
        return 200, {"Request-Id": f"req_{contact['id']}"}, contact

    def get(self, request: Request) -> Reply:
        contact = self.contacts.get(request.params["id"])
        if contact is None:
            return 404, {}, {"error": {"type": "not_found", "message": "no such contact"}}
        return 200, {"Request-Id": "req_get"}, contact


def sign(secret: str, body: bytes, at: float | None = None) -> str:
    stamp = int(at if at is not None else time.time())
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"
