"""Parallel scans of one ticket on PostgreSQL: the registration row lock checks it in exactly once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from accounts.roles import Role
from core.models import OutboxEvent
from registrations.models import CheckIn
from tests.conftest import error_of
from tests.registrations.factories import DoorsOpenEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _patient_locks(settings: Any) -> None:
    # A crowd of 24 threads queues on one row; on a loaded test machine the last one may wait longer than
    # the production bound and get 503 BUSY (tests/core/test_locks.py tests that). Here only the
    # outcome of the race counts.
    settings.DB_LOCK_TIMEOUT_MS = 60_000


REQUESTS = 100


def test_100_parallel_scans_of_one_ticket(api, member, org):
    event = DoorsOpenEventFactory(organization=org)
    ticket = RegistrationFactory(ticket_type=TicketTypeFactory(event=event))
    user = member(Role.CHECKIN)
    clients = [api(user) for _ in range(REQUESTS)]
    body = {"code": ticket.ticket_code, "eventId": str(event.id), "device": "gate"}

    def check_in(client: Any) -> Any:
        try:
            return client.post("/api/v1/checkins", body, format="json")
        finally:
            connection.close()  # each worker thread has its own connection

    with ThreadPoolExecutor(max_workers=24) as pool:
        responses = list(pool.map(check_in, clients))

    statuses = [r.status_code for r in responses]
    assert not [s for s in statuses if s >= 500], sorted(set(statuses))
    assert statuses.count(201) == 1
    assert statuses.count(409) == REQUESTS - 1
    assert {error_of(r)["code"] for r in responses if r.status_code == 409} == {"ALREADY_CHECKED_IN"}
    assert CheckIn.objects.filter(registration=ticket, accepted=True, undone_at__isnull=True).count() == 1
    assert CheckIn.objects.filter(registration=ticket).count() == REQUESTS
    assert OutboxEvent.objects.filter(event_type="checkin.completed").count() == 1
