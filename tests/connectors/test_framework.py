"""The connector framework through a test vendor and its fake over real HTTP: calls, retries, the breaker,
the call log, jobs, inbound notifications, and the connections API with its tenancy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from connectors import intake, jobs, services, tasks
from connectors.exceptions import CircuitOpen, Rejected, Unavailable
from connectors.models import CallLog, CallOutcome, CircuitState, Connection, ConnectionStatus, InboundEvent
from core.audit import SYSTEM
from tests.conftest import error_of
from tests.connectors import toy

pytestmark = pytest.mark.django_db


# -- calls, retries, the call log ----------------------------------------------------------------
def test_a_call_is_logged_with_the_vendors_request_id(fake: toy.ToyFake, connect: Any) -> None:
    connection = connect()
    assert toy.test_call(connection) == "Connected as Toy account."
    (log,) = CallLog.objects.filter(connection=connection)
    assert (log.operation, log.method, log.path, log.status_code, log.outcome, log.vendor_request_id) == (
        "account.retrieve",
        "GET",
        "/v1/me",
        200,
        CallOutcome.OK,
        "req_me",
    )
    assert fake.calls("GET", "/v1/me")[0].header("Authorization") == "Bearer toy_test_abc123"


def test_retries_send_the_same_idempotency_key_and_honour_retry_after(fake: toy.ToyFake, connect: Any, frozen: Any) -> None:
    connection = connect()
    fake.fail_next((429, {"Retry-After": "3"}, {"error": {"message": "slow down"}}), 503)
    created = toy._send(connection, "contacts.create", "POST", "/v1/contacts", key="k-1", json={"name": "Ada"})
    assert created["name"] == "Ada"
    sent = fake.calls("POST", "/v1/contacts")
    assert [r.header("Idempotency-Key") for r in sent] == ["k-1", "k-1", "k-1"]
    assert frozen.slept[0] >= 3  # Retry-After is a floor for the wait
    outcomes = list(CallLog.objects.filter(connection=connection).order_by("id").values_list("attempt", "outcome", "status_code"))
    assert outcomes == [(1, "error", 429), (2, "error", 503), (3, "ok", 200)]
    assert len(fake.contacts) == 1


def test_a_refusal_is_not_retried_and_its_secret_is_redacted_from_the_log(fake: toy.ToyFake, connect: Any) -> None:
    connection = connect(api_key="toy_test_abc123")
    fake.fail_next(
        (400, {"Request-Id": "req_bad"}, {"error": {"type": "invalid", "message": "key toy_test_abc123 of ada@example.com"}})
    )
    with pytest.raises(Rejected) as caught:
        toy._send(connection, "contacts.create", "POST", "/v1/contacts", key="k", json={})
    assert caught.value.status_code == 400 and caught.value.vendor_request_id == "req_bad"
    log = CallLog.objects.get(connection=connection)
    assert log.outcome == CallOutcome.REJECTED
    assert "toy_test_abc123" not in log.error and "ada@example.com" not in log.error
    assert "[redacted]" in log.error and "[email]" in log.error
    assert len(fake.calls()) == 1


def test_refused_credentials_mark_the_connection_failing(fake: toy.ToyFake, connect: Any) -> None:
    connection = connect()
    fake.fail_next((401, {}, {"error": {"message": "invalid api key"}}))
    result = services.connection_test(actor=SYSTEM, connection=connection)
    assert not result.ok and "invalid api key" in result.message
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.FAILING and connection.circuit_state == CircuitState.CLOSED


# -- the circuit breaker -------------------------------------------------------------------------
def test_the_breaker_opens_refuses_without_calling_then_probes_and_closes(
    fake: toy.ToyFake, connect: Any, frozen: Any, settings: Any
) -> None:
    settings.CONNECTOR_BREAKER_FAILURES = 3
    settings.CONNECTOR_BREAKER_COOLDOWN_SECONDS = 60
    connection = connect()
    with fake.down():
        with pytest.raises(Unavailable):
            toy.test_call(connection)  # three attempts, three failures: the circuit opens
        connection.refresh_from_db()
        assert connection.circuit_state == CircuitState.OPEN and connection.status == ConnectionStatus.FAILING
        with pytest.raises(CircuitOpen) as caught:
            toy.test_call(connection)
        assert 0 < caught.value.retry_after <= 60
    requests_before = len(fake.calls())
    with pytest.raises(CircuitOpen):
        toy.test_call(connection)  # the vendor is back, but the cool-down is not over: nothing is sent
    assert len(fake.calls()) == requests_before
    assert CallLog.objects.filter(connection=connection, outcome=CallOutcome.CIRCUIT_OPEN).count() == 2
    frozen.advance(61)
    assert toy.test_call(connection).startswith("Connected")  # the half-open probe succeeds
    connection.refresh_from_db()
    assert (connection.circuit_state, connection.status, connection.consecutive_failures) == (
        CircuitState.CLOSED,
        ConnectionStatus.CONNECTED,
        0,
    )


def test_a_failed_probe_opens_the_circuit_again(fake: toy.ToyFake, connect: Any, frozen: Any, settings: Any) -> None:
    settings.CONNECTOR_BREAKER_FAILURES = 1
    connection = connect()
    with fake.down():
        with pytest.raises(Unavailable):
            toy.test_call(connection)
        frozen.advance(settings.CONNECTOR_BREAKER_COOLDOWN_SECONDS + 1)
        with pytest.raises(Unavailable):
            toy.test_call(connection)  # the probe fails
        connection.refresh_from_db()
        assert connection.circuit_state == CircuitState.OPEN and connection.circuit_opened_at == frozen.now
        with pytest.raises(CircuitOpen):
            toy.test_call(connection)


def test_only_one_caller_becomes_the_probe(connect: Any, frozen: Any, settings: Any) -> None:
    from connectors import breaker

    connection = connect()
    Connection.objects.filter(pk=connection.pk).update(circuit_state=CircuitState.OPEN, circuit_opened_at=frozen.now)
    frozen.advance(settings.CONNECTOR_BREAKER_COOLDOWN_SECONDS + 1)
    breaker.before_call(connection)  # the first caller probes
    with pytest.raises(CircuitOpen):
        breaker.before_call(connection)  # the second waits for the probe's outcome


# -- jobs ---------------------------------------------------------------------------------------------
def test_a_job_survives_an_hour_of_the_vendor_down_and_creates_once(
    fake: toy.ToyFake, connect: Any, frozen: Any, settings: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connection = connect()
    with django_capture_on_commit_callbacks(execute=False):  # the message is lost: only the sweep runs it
        job = jobs.submit(connection=connection, operation="toy.contact_create", payload={"name": "Ada"}, idempotency_key="job-1")
    with fake.down():
        for _ in range(60):  # an hour, the sweep every minute
            tasks.sweep()
            frozen.advance(60)
        job.refresh_from_db()
        assert job.status == "pending" and job.attempts > 0
        connection.refresh_from_db()
        assert connection.circuit_state == CircuitState.OPEN
    frozen.advance(settings.CONNECTOR_BREAKER_COOLDOWN_SECONDS + 1)
    for _ in range(10):
        tasks.sweep()
        job.refresh_from_db()
        if job.status != "pending":
            break
        frozen.advance(300)
    assert job.status == "succeeded" and job.result == {"id": "c_1"}
    assert len(fake.contacts) == 1
    # a second submission of the same decision is the same job, and running it again changes nothing
    again = jobs.submit(connection=connection, operation="toy.contact_create", payload={"name": "Ada"}, idempotency_key="job-1")
    assert again.pk == job.pk and jobs.run(job.pk) is None
    assert len(fake.contacts) == 1


def test_a_timed_out_create_retried_creates_once_at_the_vendor(
    fake: toy.ToyFake, connect: Any, frozen: Any, settings: Any
) -> None:
    """The first attempt reaches the vendor but the answer is lost (read timeout): the retry carries the same key."""
    settings.CONNECTOR_READ_TIMEOUT_SECONDS = 0.3
    connection = connect()
    job = jobs.submit(connection=connection, operation="toy.contact_create", payload={"name": "Ada"}, idempotency_key="job-2")
    fake.delay = 0.6
    assert jobs.run(job.pk) == "pending"  # every attempt timed out after the vendor had acted
    fake.delay = 0
    frozen.advance(600)
    assert jobs.run(job.pk) == "succeeded"
    assert len(fake.contacts) == 1 and len(fake.calls("POST")) >= 2


def test_a_refused_job_gives_up_once_and_reports(fake: toy.ToyFake, connect: Any) -> None:
    connection = connect()
    job = jobs.submit(connection=connection, operation="toy.contact_create", payload={}, idempotency_key="job-3")
    fake.fail_next(400)
    assert jobs.run(job.pk) == "failed"
    assert jobs.run(job.pk) is None
    assert len(toy.FAILED_JOBS) == 1


# -- inbound notifications ------------------------------------------------------------------------
def _notify(
    client: Any, connection: Connection, payload: dict[str, Any], *, secret: str = "whsec_toysecret", at: float | None = None
) -> Any:
    body = json.dumps(payload).encode()
    return client.post(
        f"/hooks/{connection.pk}", data=body, content_type="application/json", HTTP_TOY_SIGNATURE=toy.sign(secret, body, at)
    )


def test_a_notification_is_stored_once_and_processed_from_the_vendors_truth(
    client: Any, fake: toy.ToyFake, connect: Any, django_capture_on_commit_callbacks: Any, eager: None
) -> None:
    connection = connect()
    fake.contacts["c_9"] = {"id": "c_9", "name": "Now"}
    payload = {"id": "evt_1", "type": "contact.updated", "data": {"id": "c_9", "name": "Stale"}}
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = _notify(client, connection, payload)
        assert response.status_code == 200
    event = InboundEvent.objects.get(connection=connection)
    assert (event.status, event.deliveries, event.attempts) == ("processed", 5, 1)
    assert toy.HANDLED == [("evt_1", {"id": "c_9", "name": "Now"})]


def test_forged_and_stale_notifications_are_refused_and_store_nothing(client: Any, connect: Any) -> None:
    import time

    connection = connect()
    payload = {"id": "evt_2", "type": "contact.updated", "data": {"id": "c_1"}}
    assert _notify(client, connection, payload, secret="whsec_wrong").status_code == 400
    assert _notify(client, connection, payload, at=time.time() - 600).status_code == 400
    assert client.post(f"/hooks/{connection.pk}", data=b"{}", content_type="application/json").status_code == 400
    assert not InboundEvent.objects.exists()


def test_unknown_and_disconnected_connections_take_nothing(client: Any, connect: Any) -> None:
    import uuid

    connection = connect()
    assert _notify(client, Connection(pk=uuid.uuid4()), {"id": "e", "type": "t"}).status_code == 404
    services.connection_disconnect(actor=SYSTEM, connection=connection)
    assert _notify(client, connection, {"id": "e", "type": "t"}).status_code == 410
    assert not InboundEvent.objects.exists()


def test_a_failed_processing_is_retried_by_the_sweep_and_can_be_replayed(
    client: Any, fake: toy.ToyFake, connect: Any, frozen: Any, memory_broker: None
) -> None:
    connection = connect()
    _notify(client, connection, {"id": "evt_3", "type": "contact.updated", "data": {"id": "c_404"}})
    event = InboundEvent.objects.get()
    assert intake.process(event.pk) == "failed"
    fake.contacts["c_404"] = {"id": "c_404"}
    assert str(event.pk) in intake.due(limit=10)
    tasks.sweep()  # the broker is this process's memory: run what it queued
    assert intake.process(event.pk) == "processed"
    replayed = services.inbound_replay(actor=SYSTEM, event=InboundEvent.objects.get())
    assert replayed.status == "received"
    assert intake.process(event.pk) == "processed"
    assert [h[0] for h in toy.HANDLED] == ["evt_3", "evt_3"]


def test_the_purge_keeps_thirty_days(connect: Any, frozen: Any) -> None:
    import datetime as dt

    connection = connect()
    old = frozen.now - dt.timedelta(days=31)
    CallLog.objects.create(
        organization=connection.organization, connection=connection, operation="x", outcome="ok", created_at=old
    )
    CallLog.objects.create(
        organization=connection.organization, connection=connection, operation="y", outcome="ok", created_at=frozen.now
    )
    InboundEvent.objects.create(
        organization=connection.organization,
        connection=connection,
        vendor_event_id="old",
        event_type="t",
        received_at=old,
        status="processed",
    )
    tasks.purge()
    assert list(CallLog.objects.values_list("operation", flat=True)) == ["y"]
    assert not InboundEvent.objects.exists()


# -- the API --------------------------------------------------------------------------------------
CREATE = {
    "kind": "crm",
    "vendor": "toy",
    "mode": "test",
    "credentials": {"apiKey": "toy_test_abc123", "webhookSecret": "whsec_toysecret"},
    "settings": {"region": "eu"},
}


def test_connect_list_test_and_disconnect_through_the_api(client_owner: Any, fake: toy.ToyFake) -> None:
    response = client_owner.post("/api/v1/connections", CREATE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credentialFields"] == ["api_key", "webhook_secret"]
    assert body["settings"] == {"region": "eu"}
    assert "toy_test_abc123" not in response.content.decode() and "whsec_toysecret" not in response.content.decode()
    assert body["inboundUrl"].endswith(f"/hooks/{body['id']}")
    assert response["Location"] == f"/api/v1/connections/{body['id']}"
    tested = client_owner.post(f"/api/v1/connections/{body['id']}/test")
    assert tested.status_code == 200 and tested.json()["ok"] is True
    calls = client_owner.get(f"/api/v1/connections/{body['id']}/calls").json()["data"]
    assert [c["operation"] for c in calls] == ["account.retrieve"]
    gone = client_owner.post(f"/api/v1/connections/{body['id']}/disconnect").json()
    assert gone["status"] == "disconnected" and gone["credentialFields"] == []
    again = client_owner.post(f"/api/v1/connections/{body['id']}/test")
    assert again.status_code == 409 and error_of(again)["code"] == "CONNECTION_DISCONNECTED"


def test_bad_credentials_and_unknown_vendors_are_refused(client_owner: Any) -> None:
    wrong_mode = {**CREATE, "mode": "live"}
    response = client_owner.post("/api/v1/connections", wrong_mode, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "CONNECTION_CREDENTIALS_INVALID"
    assert [d["target"] for d in error["details"]] == ["api_key"]
    missing = client_owner.post("/api/v1/connections", {**CREATE, "credentials": {"apiKey": "toy_test_x"}}, format="json")
    assert [d["target"] for d in error_of(missing)["details"]] == ["webhook_secret"]
    unknown = client_owner.post("/api/v1/connections", {**CREATE, "vendor": "nobody"}, format="json")
    assert error_of(unknown)["code"] == "CONNECTION_VENDOR_UNKNOWN"
    assert "toy" in error_of(unknown)["details"]["available"]["crm"]


def test_connections_and_their_logs_are_the_organizations_own(
    api: Any, member: Any, org: Any, other_org: Any, connect: Any, fake: toy.ToyFake
) -> None:
    mine, theirs = connect(), connect(organization=other_org)
    toy.test_call(theirs)
    client = api(member("owner", org), org)
    listed = client.get("/api/v1/connections").json()["data"]
    assert [c["id"] for c in listed] == [str(mine.pk)]
    for method, path in [
        ("get", f"/api/v1/connections/{theirs.pk}"),
        ("post", f"/api/v1/connections/{theirs.pk}/test"),
        ("post", f"/api/v1/connections/{theirs.pk}/disconnect"),
        ("get", f"/api/v1/connections/{theirs.pk}/calls"),
        ("get", f"/api/v1/connections/{theirs.pk}/notifications"),
    ]:
        assert getattr(client, method)(path).status_code == 404, path
    theirs.refresh_from_db()
    assert theirs.status == ConnectionStatus.CONNECTED


@pytest.mark.parametrize("role", ["editor", "finance", "checkin", "viewer"])
def test_only_owners_and_admins_manage_connections(api: Any, member: Any, org: Any, role: str, connect: Any) -> None:
    connection = connect()
    client = api(member(role, org), org)
    assert client.get("/api/v1/connections").status_code == 403
    assert client.post(f"/api/v1/connections/{connection.pk}/disconnect").status_code == 403


# Authentication and the organization, then the page (and for a log, its connection): the same for 5 rows or 500.
LIST_QUERIES = 5
LOG_QUERIES = 6


def test_the_list_and_the_call_log_take_a_fixed_number_of_queries(
    client_owner: Any, org: Any, connect: Any, fake: toy.ToyFake, django_assert_num_queries: Any
) -> None:
    connections = [connect() for _ in range(5)]
    for connection in connections:
        toy.test_call(connection)
        toy.test_call(connection)
    client_owner.get("/api/v1/connections")  # warm the auth caches
    with django_assert_num_queries(LIST_QUERIES):
        assert len(client_owner.get("/api/v1/connections").json()["data"]) == 5
    with django_assert_num_queries(LOG_QUERIES):
        assert len(client_owner.get(f"/api/v1/connections/{connections[0].pk}/calls").json()["data"]) == 2
    with django_assert_num_queries(LOG_QUERIES):
        assert len(client_owner.get(f"/api/v1/connections/{connections[0].pk}/notifications").json()["data"]) == 0
