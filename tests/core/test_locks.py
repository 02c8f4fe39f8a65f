"""Bounded lock waits on PostgreSQL (core.locks, ADR 0018): a row held by another connection gives 503 BUSY
with Retry-After within DB_LOCK_TIMEOUT_MS, writes nothing, and tasks retry; If-Match is checked under the lock."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from celery.exceptions import Retry
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import ApiKey
from accounts.roles import Role
from core import locks
from core.models import AuditEntry, OutboxEvent
from events.models import Event
from events.tasks import complete_ended_events
from registrations.models import CheckIn, Registration
from tests.accounts.test_api_keys import keyed, make_key
from tests.conftest import error_of
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BOUND_MS = 400
# Time for everything but the wait itself (request handling, a loaded test machine); a hang would be seconds.
MARGIN_S = 2.0


@pytest.fixture(autouse=True)
def _bound(settings: Any) -> None:
    settings.DB_LOCK_TIMEOUT_MS = BOUND_MS


@contextmanager
def other_connection() -> Iterator[psycopg.Connection[Any]]:
    """A second connection to the test database, outside Django: what another worker's transaction looks like."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    conn = psycopg.connect(**{k: v for k, v in params.items() if k in ("host", "port", "user", "password", "dbname")})
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


@contextmanager
def holding_event(event: Event) -> Iterator[psycopg.Connection[Any]]:
    """Hold the event's row lock (SELECT ... FOR UPDATE) in an open transaction of another connection."""
    with other_connection() as conn:
        conn.execute(f"SELECT id FROM {Event._meta.db_table} WHERE id = %s FOR UPDATE", [event.pk])
        yield conn


def timed(client: Any, call: Any) -> tuple[Any, float]:
    """``call()`` and how long it took, after a first request of the client (the process's first one loads the URLconf)."""
    assert client.get("/api/v1/events").status_code == 200
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def assert_busy(response: Any, elapsed: float) -> None:
    assert response.status_code == 503, response.content
    assert error_of(response)["code"] == "BUSY"
    assert response["Retry-After"] == "1"  # ceil(400 ms)
    assert BOUND_MS / 1000 <= elapsed < BOUND_MS / 1000 + MARGIN_S, elapsed


def test_the_bound_is_set_for_the_transaction_from_the_setting(settings):
    settings.DB_LOCK_TIMEOUT_MS = 1234
    with transaction.atomic():
        locks.bound_lock_wait()
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "1234ms"
    with connection.cursor() as cursor:  # SET LOCAL: gone with the transaction
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "0"


def test_a_registration_for_a_locked_event_is_busy_within_the_bound(api, member, org):
    event = PublishedEventFactory(organization=org)
    ticket_type = TicketTypeFactory(event=event, name="Free")
    client = api(member(Role.EDITOR))
    body = {
        "eventId": str(event.id),
        "ticketTypeId": str(ticket_type.id),
        "attendees": [{"name": "Guest", "email": "guest@example.com"}],
    }
    audit_before = AuditEntry.objects.count()

    with holding_event(event):
        response, elapsed = timed(
            client, lambda: client.post("/api/v1/registrations", body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
        )

    assert_busy(response, elapsed)
    assert not Registration.objects.exists()
    assert not OutboxEvent.objects.filter(event_type__startswith="registration.").exists()
    assert AuditEntry.objects.count() == audit_before
    # Nothing was stored under the Idempotency-Key either: the retry runs, once the lock is free.
    retry = client.post("/api/v1/registrations", body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    assert retry.status_code == 201, retry.content
    assert Registration.objects.count() == 1


def test_an_event_update_on_a_locked_event_is_busy_and_changes_nothing(api, member, org):
    event = PublishedEventFactory(organization=org, title="Before")
    client = api(member(Role.EDITOR))

    with holding_event(event):
        response, elapsed = timed(client, lambda: client.patch(f"/api/v1/events/{event.id}", {"title": "After"}, format="json"))

    assert_busy(response, elapsed)
    event.refresh_from_db()
    assert event.title == "Before"
    assert not OutboxEvent.objects.filter(event_type="event.updated").exists()


def test_a_check_in_waiting_on_a_locked_event_is_busy_and_logs_nothing(api, member, org):
    # The scan locks the registration, not the event; its log row's foreign key to the event waits
    # on the event held FOR UPDATE: a wait bounded by the same transaction setting.
    event = PublishedEventFactory(organization=org)
    ticket = RegistrationFactory(ticket_type=TicketTypeFactory(event=event))
    client = api(member(Role.CHECKIN))
    body = {"code": ticket.ticket_code, "eventId": str(event.id), "device": "gate"}

    with holding_event(event):
        response, elapsed = timed(client, lambda: client.post("/api/v1/checkins", body, format="json"))

    assert_busy(response, elapsed)
    assert not CheckIn.objects.exists()
    assert not OutboxEvent.objects.filter(event_type="checkin.completed").exists()


def test_an_api_key_whose_row_is_locked_still_authenticates_and_skips_its_last_use_mark(org):
    key, raw = make_key(org, ["events:read"])
    client = keyed(raw)
    assert client.get("/api/v1/ping").status_code == 200
    stale = timezone.now() - dt.timedelta(minutes=2)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=stale)

    with other_connection() as other:
        other.execute(f"SELECT id FROM {ApiKey._meta.db_table} WHERE id = %s FOR UPDATE", [key.pk])
        started = time.monotonic()
        response = client.get("/api/v1/ping")
        elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < BOUND_MS / 1000 + MARGIN_S, elapsed
    assert ApiKey.objects.get(pk=key.pk).last_used_at == stale


def test_a_periodic_task_that_meets_a_locked_row_retries(org, settings):
    event = PublishedEventFactory(
        organization=org, starts_at=dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC), ends_at=dt.datetime(2020, 1, 1, 17, tzinfo=dt.UTC)
    )

    # Run eagerly, the retry the task asks for surfaces as celery's Retry (a worker would schedule it).
    with holding_event(event), pytest.raises(Retry) as retried:
        complete_ended_events.apply()

    assert isinstance(retried.value.exc, locks.Busy)
    event.refresh_from_db()
    assert event.status == "published"
    assert complete_ended_events.apply().get() == 1  # the retry, once the lock is free, completes it


def test_if_match_is_checked_after_the_lock_so_a_write_committed_meanwhile_gives_412(api, member, org, settings):
    """Another connection holds the event, changes it and commits while the request waits for the lock:
    the request's If-Match (read before that change) must fail, not overwrite the change."""
    settings.DB_LOCK_TIMEOUT_MS = 10_000
    event = PublishedEventFactory(organization=org, title="Original")
    client = api(member(Role.EDITOR))
    url = f"/api/v1/events/{event.id}"
    etag = client.get(url)["ETag"]
    results: dict[str, Any] = {}

    def request() -> None:
        try:
            results["response"] = client.patch(url, {"title": "Mine"}, format="json", HTTP_IF_MATCH=etag)
        finally:
            connection.close()

    with holding_event(event) as other:
        other.execute(f"UPDATE {Event._meta.db_table} SET title = 'Theirs', updated_at = now() WHERE id = %s", [event.pk])
        thread = threading.Thread(target=request)
        thread.start()
        # The request is past the view and waiting for the event's lock in its service.
        with other_connection() as watcher:
            watcher.autocommit = True  # pg_stat_activity is read once per transaction
            deadline = time.monotonic() + 10
            while not _waiting_for_a_lock(watcher) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _waiting_for_a_lock(watcher), "the request never waited for the lock"
        other.commit()
        thread.join(timeout=20)

    assert not thread.is_alive()
    response = results["response"]
    assert response.status_code == 412, response.content
    assert error_of(response)["code"] == "PRECONDITION_FAILED"
    event.refresh_from_db()
    assert event.title == "Theirs"


def _waiting_for_a_lock(watcher: psycopg.Connection[Any]) -> bool:
    row = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    ).fetchone()
    return bool(row and row[0])
