"""Delivery end to end: outbox rows become signed Standard Webhooks requests to a real receiver on loopback."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from standardwebhooks.webhooks import WebhookVerificationError

from accounts.roles import Role
from core import outbox
from core.audit import SYSTEM
from core.models import AuditEntry, OutboxEvent
from integrations import services, tasks
from integrations.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.integrations.helpers import verify
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db

REGS = "/api/v1/registrations"


@pytest.fixture
def event(org: Any) -> Any:
    return PublishedEventFactory(organization=org, capacity=50, title="Acme Summit")


@pytest.fixture
def free(event: Any) -> Any:
    return TicketTypeFactory(event=event, name="Free", max_per_order=3)


@pytest.fixture
def editor_client(api: Any, member: Any) -> Any:
    return api(member(Role.EDITOR))


def order(event: Any, ticket_type: Any, email: str = "ada@example.com") -> dict[str, Any]:
    return {"eventId": str(event.id), "ticketTypeId": str(ticket_type.id), "attendees": [{"name": "Ada", "email": email}]}


def publish(org: Any, event_type: str = "registration.created", data: dict[str, Any] | None = None) -> OutboxEvent:
    from django.db import transaction

    with transaction.atomic():
        return outbox.publish(event_type, org.id, data or {"id": "r1", "eventId": None, "status": "confirmed"})


def attempt(delivery: WebhookDelivery, now: dt.datetime) -> Any:
    return services.delivery_attempt(delivery_id=delivery.pk, now=now)


def test_a_registration_made_through_the_api_reaches_the_receiver_signed(
    editor_client, event, free, receiver, subscribe, eager, django_capture_on_commit_callbacks
):
    subscription, secret = subscribe(["registration.created"])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(REGS, order(event, free), format="json")
    assert response.status_code == 201
    [registration] = response.json()["data"]

    [request] = receiver.requests
    body = verify(secret, request)
    assert request.path == "/hooks"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("EventPlatform-Webhooks/")
    assert body["id"] == request.headers["webhook-id"] and body["id"].startswith("msg_")
    assert (body["event"], body["version"]) == ("registration.created", "1.0")
    assert body["timestamp"].endswith("Z")
    # data is the resource exactly as the API renders it
    assert body["data"] == editor_client.get(f"{REGS}/{registration['id']}").json()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.subscription_id, delivery.status, delivery.attempt_count) == (subscription.pk, "succeeded", 1)
    assert delivery.message_id == request.headers["webhook-id"]
    # registration.confirmed (not subscribed) was published in the same transaction: dispatched, no delivery
    assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 0
    with pytest.raises(WebhookVerificationError):
        verify("whsec_" + "A" * 43 + "=", request)


def test_the_catalog_schema_accepts_what_is_delivered(
    editor_client, event, free, receiver, subscribe, eager, django_capture_on_commit_callbacks
):
    import jsonschema

    from integrations import catalog

    _, secret = subscribe(["registration.*"])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(REGS, order(event, free), format="json")
    bodies = [verify(secret, r) for r in receiver.requests]
    assert sorted(b["event"] for b in bodies) == ["registration.confirmed", "registration.created"]
    for body in bodies:
        jsonschema.validate(body["data"], catalog.data_schema(body["event"]))


def test_500_twice_then_200_is_delivered_on_the_third_attempt_with_the_same_id(org, receiver, subscribe):
    _, secret = subscribe()
    publish(org)
    [delivery_id] = services.outbox_dispatch()
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    receiver.answer(500, 500, 200)
    now = timezone.now()

    first = attempt(delivery, now)
    assert first.status == "pending" and 4.5 <= (first.retry_at - now).total_seconds() <= 5.5
    assert attempt(delivery, now + dt.timedelta(seconds=1)) is None  # not due yet: nothing sent
    second = attempt(delivery, first.retry_at)
    assert second.status == "pending" and 270 <= (second.retry_at - first.retry_at).total_seconds() <= 330
    third = attempt(delivery, second.retry_at)
    assert third.status == "succeeded" and third.retry_at is None

    assert len(receiver.requests) == 3
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
    assert len({r.body for r in receiver.requests}) == 1
    assert [r.headers["webhook-timestamp"] for r in receiver.requests] == [
        str(int(t.timestamp())) for t in (now, first.retry_at, second.retry_at)
    ]
    verify(secret, receiver.requests[2], at=second.retry_at)
    attempts = list(WebhookAttempt.objects.filter(delivery_id=delivery_id).order_by("number"))
    assert [(a.number, a.response_status) for a in attempts] == [(1, 500), (2, 500), (3, 200)]
    assert attempts[0].request_headers["webhook-id"] == delivery.message_id
    assert attempts[0].request_body == delivery.body
    assert len(attempts[0].response_body) == 4096  # the first 4 KB of the answer
    assert attempts[2].response_body == '{"ok": true}'


def test_the_retry_schedule_runs_ten_attempts_over_about_three_days_then_gives_up(org, receiver, subscribe):
    receiver.default = (502, {})
    subscribe()
    publish(org)
    [delivery_id] = services.outbox_dispatch()
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    now = start = timezone.now()
    gaps = []
    for _ in range(10):
        outcome = attempt(delivery, now)
        if outcome.retry_at is None:
            break
        gaps.append((outcome.retry_at - now).total_seconds())
        now = outcome.retry_at
    expected = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]
    assert len(gaps) == 9 and len(receiver.requests) == 10
    for gap, nominal in zip(gaps, expected, strict=True):
        assert nominal * 0.9 <= gap <= nominal * 1.1
    assert len(set(gaps)) == 9  # jittered, not the bare schedule
    assert dt.timedelta(days=2.5) < now - start < dt.timedelta(days=3.5)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count, delivery.next_attempt_at) == ("failed", 10, None)
    assert attempt(delivery, now + dt.timedelta(days=1)) is None


def test_retry_after_of_a_429_or_503_is_honoured(org, receiver, subscribe):
    subscribe()
    publish(org)
    [delivery_id] = services.outbox_dispatch()
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    receiver.answer((429, {"Retry-After": "120"}), (503, {"Retry-After": "3600"}), (500, {"Retry-After": "9999"}))
    now = timezone.now()
    first = attempt(delivery, now)
    assert (first.retry_at - now).total_seconds() == 120
    second = attempt(delivery, first.retry_at)
    assert (second.retry_at - first.retry_at).total_seconds() == 3600
    third = attempt(delivery, second.retry_at)  # a 500's Retry-After is not a promise: the schedule applies
    assert 1800 * 0.9 <= (third.retry_at - second.retry_at).total_seconds() <= 1800 * 1.1


def test_retry_after_as_an_http_date():
    from email.utils import format_datetime

    now = timezone.now().replace(microsecond=0)
    later = format_datetime(now + dt.timedelta(minutes=10), usegmt=True)
    assert services._retry_after({"retry-after": later}, now) == 600
    assert services._retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00"}, now) == 0  # past, no zone: GMT
    assert services._retry_after({"retry-after": "soon"}, now) is None
    assert services._retry_after({"retry-after": "999999"}, now) == 86400


def test_a_410_disables_the_subscription_and_its_pending_deliveries_fail_unsent(org, receiver, subscribe):
    subscription, _ = subscribe()
    publish(org)
    publish(org)
    first_id, second_id = services.outbox_dispatch()
    receiver.answer(410)
    now = timezone.now()
    outcome = services.delivery_attempt(delivery_id=first_id, now=now)
    assert outcome.status == "failed" and outcome.retry_at is None
    subscription.refresh_from_db()
    assert (subscription.enabled, subscription.disabled_reason) == (False, "gone")
    assert AuditEntry.objects.filter(action="webhook.disabled", object_id=str(subscription.pk)).exists()
    assert services.delivery_attempt(delivery_id=second_id, now=now).attempted is False
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get(pk=second_id).status == "failed"
    assert mail.outbox == []  # only the five-day rule emails


def test_a_subscription_failing_every_attempt_for_five_days_is_disabled_and_its_owners_emailed(
    org, owner, member, receiver, subscribe, django_capture_on_commit_callbacks
):
    member(Role.OWNER, email="second-owner@acme.example")
    member(Role.ADMIN, email="admin@acme.example")
    receiver.default = (500, {})
    subscription, _ = subscribe()
    start = timezone.now()
    for day in range(6):
        now = start + dt.timedelta(days=day, hours=1)
        publish(org)
        [delivery_id] = services.outbox_dispatch(now=now)
        with django_capture_on_commit_callbacks(execute=True):
            services.delivery_attempt(delivery_id=delivery_id, now=now)
        subscription.refresh_from_db()
        assert subscription.enabled is (day < 5), day
    assert subscription.disabled_reason == "failing"
    [message] = mail.outbox
    assert sorted(message.to) == ["owner@acme.example", "second-owner@acme.example"]
    assert subscription.url in message.body


def test_a_success_ends_the_failing_run(org, receiver, subscribe):
    receiver.answer(500, 200)
    subscription, _ = subscribe()
    start = timezone.now()
    for offset, expected in ((0, start), (4, None)):
        publish(org)
        [delivery_id] = services.outbox_dispatch(now=start + dt.timedelta(days=offset))
        services.delivery_attempt(delivery_id=delivery_id, now=start + dt.timedelta(days=offset))
        subscription.refresh_from_db()
        assert subscription.failing_since == expected
    receiver.default = (500, {})
    publish(org)
    [delivery_id] = services.outbox_dispatch(now=start + dt.timedelta(days=6))
    services.delivery_attempt(delivery_id=delivery_id, now=start + dt.timedelta(days=6))
    subscription.refresh_from_db()
    assert subscription.enabled and subscription.failing_since == start + dt.timedelta(days=6)


def test_rotation_signs_with_both_secrets_for_24_hours_then_only_the_new_one(org, receiver, subscribe):
    subscription, old = subscribe()
    now = timezone.now()
    subscription, new = services.subscription_rotate_secret(actor=SYSTEM, subscription=subscription, now=now)
    assert new != old and new.startswith("whsec_")
    for offset in (dt.timedelta(hours=1), dt.timedelta(hours=25)):
        publish(org)
        [delivery_id] = services.outbox_dispatch()
        services.delivery_attempt(delivery_id=delivery_id, now=now + offset)
    during, after = receiver.requests
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    verify(new, during, at=now + dt.timedelta(hours=1))
    verify(old, during, at=now + dt.timedelta(hours=1))
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    verify(new, after, at=now + dt.timedelta(hours=25))
    with pytest.raises(WebhookVerificationError):
        verify(old, after, at=now + dt.timedelta(hours=25))


def test_attempt_logs_are_purged_after_30_days(org, receiver, subscribe):
    subscribe()
    receiver.answer(500)
    publish(org)
    publish(org)
    now = timezone.now()
    old_id, recent_id = services.outbox_dispatch(now=now - dt.timedelta(days=31))
    services.delivery_attempt(delivery_id=old_id, now=now - dt.timedelta(days=31))
    services.delivery_attempt(delivery_id=recent_id, now=now - dt.timedelta(days=29))
    WebhookDelivery.objects.filter(pk=old_id).update(updated_at=now - dt.timedelta(days=31), status="succeeded")
    assert services.attempts_purge(now=now) == 1
    assert list(WebhookAttempt.objects.values_list("delivery_id", flat=True)) == [recent_id]
    assert list(WebhookDelivery.objects.values_list("id", flat=True)) == [recent_id]


def test_dispatched_outbox_rows_are_purged_after_30_days_and_undispatched_ones_never(org):
    now = timezone.now()
    old, recent, waiting = publish(org), publish(org), publish(org)
    OutboxEvent.objects.filter(pk=old.pk).update(dispatched_at=now - dt.timedelta(days=31))
    OutboxEvent.objects.filter(pk=recent.pk).update(dispatched_at=now - dt.timedelta(days=29))
    OutboxEvent.objects.filter(pk=waiting.pk).update(created_at=now - dt.timedelta(days=90))
    services.attempts_purge(now=now)
    assert set(OutboxEvent.objects.values_list("id", flat=True)) == {recent.pk, waiting.pk}


def test_dispatch_matches_types_families_and_the_event_filter_once_per_row(org, other_org, event, subscribe):
    everything, _ = subscribe(["registration.*", "payment.completed"])
    created_only, _ = subscribe(["registration.created"])
    this_event, _ = subscribe(["registration.*"], event_id=event)
    disabled, _ = subscribe(["registration.*"], enabled=False)
    subscribe(["registration.*"], organization=other_org)
    rows = [
        publish(org, "registration.created", {"id": "a", "eventId": str(event.id)}),
        publish(org, "registration.cancelled", {"id": "b", "eventId": "00000000-0000-0000-0000-000000000000"}),
        publish(org, "payment.completed", {"id": "c", "eventId": str(event.id)}),
        publish(org, "event.updated", {"id": str(event.id)}),
    ]
    services.outbox_dispatch()
    assert services.outbox_dispatch(outbox_ids=[r.id for r in rows]) == []  # already dispatched
    got = sorted((d.outbox_event_id, d.subscription_id) for d in WebhookDelivery.objects.all())
    assert got == sorted(
        [
            (rows[0].id, everything.pk),
            (rows[0].id, created_only.pk),
            (rows[0].id, this_event.pk),
            (rows[1].id, everything.pk),
            (rows[2].id, everything.pk),
        ]
    )
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
    assert not WebhookDelivery.objects.filter(subscription=disabled).exists()


def test_a_second_dispatch_of_the_same_row_adds_nothing(org, subscribe):
    subscribe()
    row = publish(org)
    [first] = services.outbox_dispatch()
    OutboxEvent.objects.filter(pk=row.pk).update(dispatched_at=None)  # as if the first dispatcher died before marking
    services.outbox_dispatch()
    assert list(WebhookDelivery.objects.values_list("id", flat=True)) == [first]


def test_the_per_subscription_rate_is_respected(org, receiver, subscribe):
    import time

    subscribe(rate_limit=2)
    for _ in range(4):
        publish(org)
    ids = services.outbox_dispatch()
    now = timezone.now()
    started = time.monotonic()
    outcomes = [services.delivery_attempt(delivery_id=i, now=now) for i in ids]
    # slots every half second: the first three start within a second (waiting for their slot), the fourth is deferred
    assert [o.attempted for o in outcomes] == [True, True, True, False]
    assert time.monotonic() - started >= 1.0
    assert len(receiver.requests) == 3 and WebhookAttempt.objects.count() == 3
    assert outcomes[3].retry_at == now + dt.timedelta(seconds=1.5)
    assert WebhookDelivery.objects.get(pk=ids[3]).next_attempt_at == now + dt.timedelta(seconds=1.5)


def test_a_receiver_that_does_not_answer_in_time_is_retried(org, subscribe, settings):
    import socket

    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        subscribe(url=f"http://127.0.0.1:{silent.getsockname()[1]}/slow")
        publish(org)
        [delivery_id] = services.outbox_dispatch()
        outcome = services.delivery_attempt(delivery_id=delivery_id)
    finally:
        silent.close()
    assert outcome.status == "pending" and outcome.retry_at is not None
    [logged] = WebhookAttempt.objects.all()
    assert logged.response_status is None and "timed out" in logged.error.lower()


def test_redirects_are_not_followed(org, receiver, subscribe):
    receiver.answer((302, {"Location": receiver.url + "/elsewhere"}))
    subscribe()
    publish(org)
    [delivery_id] = services.outbox_dispatch()
    outcome = services.delivery_attempt(delivery_id=delivery_id)
    assert outcome.status == "pending"
    assert [r.path for r in receiver.requests] == ["/hooks"]


def test_no_subscription_no_broker_message_and_one_cheap_query(org, django_assert_num_queries, monkeypatch):
    from integrations import dispatch

    sent = []
    monkeypatch.setattr(dispatch, "send_now", lambda task, *args: sent.append(args))
    with django_assert_num_queries(1):  # the EXISTS on the partial index
        dispatch.on_outbox_published(sender=OutboxEvent, organization_id=org.id, ids=[])
    assert sent == []
    WebhookSubscription.objects.create(organization=org, url="https://x.example/h", event_types=["event.*"], secret="-")
    dispatch.on_outbox_published(sender=OutboxEvent, organization_id=org.id, ids=["a"])
    assert sent == [(["a"],)]


def test_with_a_shared_cache_an_organization_without_subscribers_costs_no_statement_after_a_write(
    org, settings, django_assert_num_queries, django_capture_on_commit_callbacks, monkeypatch
):
    """The flag of enabled subscriptions is kept in a shared cache (Redis in production) and dropped on
    commit whenever one of the organization's subscriptions is saved or deleted (ADR 0024)."""
    from integrations import dispatch

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "flag"}}
    sent = []
    monkeypatch.setattr(dispatch, "send_now", lambda task, *args: sent.append(args))

    def announce(ids, queries):
        with django_assert_num_queries(queries):
            dispatch.on_outbox_published(sender=OutboxEvent, organization_id=org.id, ids=ids)

    announce(["a"], 1)  # a miss reads the subscriptions once
    announce(["b"], 0)  # then the flag answers
    assert sent == []
    with django_capture_on_commit_callbacks(execute=True):
        subscription = WebhookSubscription.objects.create(
            organization=org, url="https://x.example/h", event_types=["event.*"], secret="-"
        )
    announce(["c"], 1)
    announce(["d"], 0)
    assert sent == [(["c"],), (["d"],)]
    with django_capture_on_commit_callbacks(execute=True):
        subscription.enabled = False
        subscription.save()
    announce(["e"], 1)
    assert sent == [(["c"],), (["d"],)]
    with django_capture_on_commit_callbacks(execute=True):
        subscription.enabled = True
        subscription.save()
    announce(["f"], 1)
    with django_capture_on_commit_callbacks(execute=True):
        subscription.delete()
    announce(["g"], 1)
    announce(["h"], 0)
    assert sent == [(["c"],), (["d"],), (["f"],)]


def test_publishing_adds_no_query_in_the_writers_transaction(
    org, subscribe, django_assert_num_queries, django_capture_on_commit_callbacks
):
    subscribe()
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(3):  # savepoint, INSERT, release
        publish(org)
    assert len(callbacks) == 1  # the hook runs after the commit


def test_the_sweep_dispatches_missed_rows_and_sends_what_is_due(org, receiver, subscribe, eager):
    _, secret = subscribe()
    publish(org)  # its after-commit dispatch never ran (the test's transaction does not commit)
    assert tasks.sweep() == 1
    [request] = receiver.requests
    assert verify(secret, request)["event"] == "registration.created"
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
    assert tasks.sweep() == 0


def test_the_sweep_drains_a_backlog_in_batches_even_when_nobody_subscribed(org, other_org, receiver, subscribe, eager):
    subscribe(organization=other_org)
    for _ in range(7):
        publish(org)  # nobody in org subscribed: marked dispatched, no delivery
    publish(other_org)
    assert tasks.sweep(batch=3) == 1
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
    assert len(receiver.requests) == 1


def test_the_delivery_detail_shows_every_attempt(org, owner, client_owner, receiver, subscribe):
    subscription, _ = subscribe()
    receiver.answer(500)
    publish(org)
    now = timezone.now()
    [delivery_id] = services.outbox_dispatch(now=now - dt.timedelta(minutes=1))
    services.delivery_attempt(delivery_id=delivery_id, now=now - dt.timedelta(minutes=1))
    services.delivery_attempt(delivery_id=delivery_id, now=now)
    body = client_owner.get(f"/api/v1/webhook-deliveries/{delivery_id}").json()
    assert body["status"] == "succeeded" and body["subscriptionId"] == str(subscription.pk)
    assert [a["responseStatus"] for a in body["attempts"]] == [500, 200]
    assert body["attempts"][0]["requestHeaders"]["webhook-id"] == body["messageId"]
    assert body["payload"] == json.loads(WebhookDelivery.objects.get().body)


def test_an_order_costs_one_exists_after_its_commit_and_no_message_when_nobody_subscribed(
    editor_client, event, free, django_assert_num_queries, django_capture_on_commit_callbacks, monkeypatch
):
    from integrations import dispatch

    sent = []
    monkeypatch.setattr(dispatch, "send_now", lambda task, *args: sent.append(args))
    # the order's queries (7 + 2 on PostgreSQL, 9 + 2 elsewhere: tests/registrations/test_api.py), then the
    # EXISTS of the outbox hook after the commit
    order_queries = 7 if connection.vendor == "postgresql" else 9
    with django_assert_num_queries(order_queries + 2 + 1), django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(REGS, order(event, free), format="json").status_code == 201
    assert sent == []


def test_a_receiver_trickling_its_answer_is_cut_off_at_the_timeout(org, subscribe, settings):
    import http.server
    import threading
    import time

    class Trickle(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(30):  # a header byte every 0.1 s: no single read waits long enough to time out
                self.wfile.write(b"X")
                self.wfile.flush()
                time.sleep(0.1)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    try:
        subscribe(url=f"http://127.0.0.1:{server.server_address[1]}/slow")
        publish(org)
        [delivery_id] = services.outbox_dispatch()
        started = time.monotonic()
        outcome = services.delivery_attempt(delivery_id=delivery_id)
        elapsed = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    assert outcome.status == "pending" and elapsed < 1.5, elapsed
    [logged] = WebhookAttempt.objects.all()
    assert logged.response_status is None and logged.error == "timed out: no complete answer within 0.5 s"
    assert 450 <= logged.duration_ms <= elapsed * 1000  # the attempt logs how long it waited


def test_a_batch_sends_side_by_side_and_records_each_outcome_on_its_own_schedule(org, receiver, subscribe):
    import socket

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nobody listens there: the connection is refused
    healthy, _ = subscribe()
    broken, _ = subscribe(url=f"http://127.0.0.1:{port}/hooks")
    publish(org)
    publish(org)
    ids = services.outbox_dispatch()
    now = timezone.now()

    outcomes = services.deliveries_attempt(delivery_ids=ids, now=now)

    assert len(outcomes) == 4 and len(receiver.requests) == 2
    for delivery in WebhookDelivery.objects.filter(subscription=healthy):
        assert outcomes[delivery.pk].status == "succeeded" and delivery.delivered_at == now
        assert delivery.last_status_code == 200 and delivery.attempt_count == 1
    for delivery in WebhookDelivery.objects.filter(subscription=broken):
        outcome = outcomes[delivery.pk]
        assert outcome.status == "pending" and 4.5 <= (outcome.retry_at - now).total_seconds() <= 5.5
        assert delivery.next_attempt_at == outcome.retry_at and delivery.last_error
    logged = sorted((number, status or 0) for number, status in WebhookAttempt.objects.values_list("number", "response_status"))
    assert logged == [(1, 0), (1, 0), (1, 200), (1, 200)]
    healthy.refresh_from_db()
    broken.refresh_from_db()
    assert healthy.failing_since is None and broken.failing_since == now


@pytest.mark.postgres
def test_a_batch_costs_the_same_statements_whatever_its_size(org, receiver, subscribe, django_assert_num_queries):
    for _ in range(6):
        subscribe()
    publish(org)
    ids = services.outbox_dispatch()
    # Claim: SELECT ... FOR UPDATE SKIP LOCKED, UPDATE. Record: SET LOCAL lock_timeout (its waits are bounded),
    # UPDATE, UPDATE of failing runs, INSERT of the attempts. Each transaction is a savepoint here (the test's own
    # transaction around it).
    with django_assert_num_queries(10):
        assert len(services.deliveries_attempt(delivery_ids=ids[:2])) == 2
    with django_assert_num_queries(10):
        assert len(services.deliveries_attempt(delivery_ids=ids[2:])) == 4
    assert WebhookAttempt.objects.count() == 6 and len(receiver.requests) == 6


@pytest.mark.django_db(transaction=True)
def test_a_delivery_deleted_while_its_batch_is_out_does_not_stop_the_others_being_recorded(org, receiver, subscribe):
    import threading

    kept, _ = subscribe()
    deleted, _ = subscribe()
    publish(org)
    ids = services.outbox_dispatch()
    receiver.stall = 2  # both requests wait for the release
    outcomes: dict[Any, Any] = {}

    def attempt_batch() -> None:
        try:
            outcomes.update(services.deliveries_attempt(delivery_ids=ids))
        finally:
            connection.close()

    worker = threading.Thread(target=attempt_batch)
    worker.start()
    try:
        deadline = timezone.now() + dt.timedelta(seconds=10)
        while len(receiver.requests) < 2 and timezone.now() < deadline:
            threading.Event().wait(0.02)
        services.subscription_delete(actor=SYSTEM, subscription=deleted)
    finally:
        receiver.release.set()
        worker.join(10)
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.subscription_id == kept.pk and delivery.status == "succeeded"
    assert outcomes[delivery.pk].status == "succeeded"
    assert {o.status for o in outcomes.values()} == {"succeeded", "failed"}  # the deleted one: nothing left to send
    assert list(WebhookAttempt.objects.values_list("delivery_id", flat=True)) == [delivery.pk]


def test_one_check_after_a_write_tells_webhooks_and_calendars_and_a_calendar_connection_drops_the_flag(
    org, owner, settings, django_assert_num_queries, django_capture_on_commit_callbacks, monkeypatch
):
    """Webhooks and connected calendars both listen to the outbox: one statement (or the flag) answers for both,
    and connecting or disconnecting a personal calendar drops the flag like a subscription change."""
    from connectors.models import Connection, ConnectionStatus, Kind
    from integrations import dispatch

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "flag2"}}
    sent = []
    monkeypatch.setattr(dispatch, "send_now", lambda task, *args: sent.append((task.name.rsplit(".", 1)[-1], *args)))

    def announce(ids, queries):
        with django_assert_num_queries(queries):
            dispatch.on_outbox_published(sender=OutboxEvent, organization_id=org.id, ids=ids)

    announce(["a"], 1)
    announce(["b"], 0)
    assert sent == []
    with django_capture_on_commit_callbacks(execute=True):
        connection = Connection.objects.create(
            organization=org, user=owner, kind=Kind.CALENDAR, vendor="google", name="Ada's calendar"
        )
    with django_capture_on_commit_callbacks(execute=True):
        WebhookSubscription.objects.create(organization=org, url="https://x.example/h", event_types=["event.*"], secret="-")
    announce(["c"], 1)  # one statement answers for both
    announce(["d"], 0)
    assert sent == [
        ("dispatch_outbox", ["c"]),
        ("calendars_on_outbox", ["c"]),
        ("dispatch_outbox", ["d"]),
        ("calendars_on_outbox", ["d"]),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        connection.status = ConnectionStatus.DISCONNECTED
        connection.save()
    announce(["e"], 1)
    assert sent[-1] == ("dispatch_outbox", ["e"])
