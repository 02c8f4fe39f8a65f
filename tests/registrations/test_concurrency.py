"""Parallel registrations on PostgreSQL: the event row lock never sells a seat twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from accounts.roles import Role
from core.models import OutboxEvent
from registrations.models import Registration
from tests.conftest import error_of
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _patient_locks(settings: Any) -> None:
    # A crowd of 24 threads queues on one row; on a loaded test machine the last one may wait longer than
    # the production bound and get 503 BUSY (tests/core/test_locks.py tests that). Here only the
    # outcome of the race counts.
    settings.DB_LOCK_TIMEOUT_MS = 60_000


SEATS = 50
REQUESTS = 200


def test_200_parallel_registrations_for_50_seats(api, member, org):
    event = PublishedEventFactory(organization=org, capacity=SEATS)
    ticket_type = TicketTypeFactory(event=event, name="Free")
    user = member(Role.EDITOR)
    clients = [api(user) for _ in range(REQUESTS)]
    body = {
        "eventId": str(event.id),
        "ticketTypeId": str(ticket_type.id),
        "attendees": [{"name": "Guest", "email": "guest@example.com"}],
    }

    def register(client: Any) -> Any:
        try:
            return client.post("/api/v1/registrations", body, format="json")
        finally:
            connection.close()  # each worker thread has its own connection

    with ThreadPoolExecutor(max_workers=24) as pool:
        responses = list(pool.map(register, clients))

    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == SEATS, sorted(set(statuses))
    assert statuses.count(409) == REQUESTS - SEATS
    assert not [s for s in statuses if s >= 500]
    assert {error_of(r)["code"] for r in responses if r.status_code == 409} == {"SOLD_OUT"}
    assert Registration.objects.filter(event=event, status="confirmed").count() == SEATS
    assert Registration.objects.filter(event=event).count() == SEATS
    assert OutboxEvent.objects.filter(event_type="registration.confirmed").count() == SEATS
