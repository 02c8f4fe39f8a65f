"""The SQL statements of one scan (POST /api/v1/checkins), pinned: the door's hot path (ADR 0024)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from core.models import AuditEntry, OutboxEvent
from registrations.models import CheckIn
from tests.conftest import error_of
from tests.registrations.factories import DoorsOpenEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db

# Signed in (session, user, membership) 3; the event the body names 1; the lock's bound (PostgreSQL) 1;
# the registration locked 1; the nonce's earlier scan and the active check-in 1 (2 where a UNION takes
# no LIMIT, SQLite); the scan, its audit entry, change-log row and outbox row 1 (4 without data-modifying CTEs); and the
# savepoint and its release standing for BEGIN and COMMIT inside the test's transaction 2.
POSTGRES = connection.vendor == "postgresql"
ACCEPTED = 3 + 1 + (1 if POSTGRES else 0) + 1 + (1 if POSTGRES else 2) + (1 if POSTGRES else 4) + 2


def _scan(client: Any, ticket: Any, event: Any, nonce: str) -> Any:
    body = {"code": ticket.ticket_code, "eventId": str(event.id), "device": "gate", "nonce": nonce}
    return client.post("/api/v1/checkins", body, format="json")


def test_an_accepted_scan_takes_one_read_and_one_write_after_its_lock(api: Any, member: Any, org: Any) -> None:
    event = DoorsOpenEventFactory(organization=org)
    ticket = RegistrationFactory(ticket_type=TicketTypeFactory(event=event))
    client = api(member(Role.CHECKIN))
    with CaptureQueriesContext(connection) as ctx:
        response = _scan(client, ticket, event, "n-1")
    assert response.status_code == 201, response.content
    assert len(ctx.captured_queries) == ACCEPTED, "\n".join(q["sql"][:120] for q in ctx.captured_queries)
    checkin = CheckIn.objects.get(registration=ticket)
    assert checkin.accepted and checkin.nonce == "n-1"
    [published] = OutboxEvent.objects.filter(event_type="checkin.completed")
    assert published.data == response.json()
    assert AuditEntry.objects.filter(action="checkin.completed", object_id=str(checkin.id)).count() == 1


def test_a_retried_nonce_replays_and_a_second_scan_is_refused_and_logged(api: Any, member: Any, org: Any) -> None:
    event = DoorsOpenEventFactory(organization=org)
    ticket = RegistrationFactory(ticket_type=TicketTypeFactory(event=event))
    client = api(member(Role.CHECKIN))
    first = _scan(client, ticket, event, "n-1")
    with CaptureQueriesContext(connection) as ctx:
        again = _scan(client, ticket, event, "n-1")
    assert again.status_code == 201 and again.headers["Nonce-Replayed"] == "true"
    assert again.json() == first.json()
    # No write: the replay reads (nothing after the earlier scan is found).
    assert not [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    second = _scan(client, ticket, event, "n-2")
    assert second.status_code == 409 and error_of(second)["code"] == "ALREADY_CHECKED_IN"
    assert error_of(second)["details"]["checkInId"] == first.json()["id"]
    assert CheckIn.objects.filter(registration=ticket).count() == 2  # the refused scan is logged
    assert OutboxEvent.objects.filter(event_type="checkin.completed").count() == 1


def test_a_check_in_written_around_the_lock_is_caught_by_the_constraint_and_the_scan_refused(
    api: Any, member: Any, org: Any, monkeypatch: Any
) -> None:
    """Were the active check-in not seen (a row written outside the service), the partial unique constraint
    refuses the second one; the scan runs again, finds it and is refused and logged, not failed."""
    from registrations import checkins

    event = DoorsOpenEventFactory(organization=org)
    ticket = RegistrationFactory(ticket_type=TicketTypeFactory(event=event))
    client = api(member(Role.CHECKIN))
    first = _scan(client, ticket, event, "n-1")
    real = checkins._recorded
    calls = []

    def blind(**kwargs: Any) -> Any:
        calls.append(1)
        original, active = real(**kwargs)
        return (original, None) if len(calls) == 1 else (original, active)

    monkeypatch.setattr(checkins, "_recorded", blind)
    second = _scan(client, ticket, event, "n-2")
    assert len(calls) == 2
    assert second.status_code == 409 and error_of(second)["code"] == "ALREADY_CHECKED_IN"
    assert error_of(second)["details"]["checkInId"] == first.json()["id"]
    assert CheckIn.objects.filter(registration=ticket, accepted=True).count() == 1
    assert CheckIn.objects.filter(registration=ticket).count() == 2
    assert OutboxEvent.objects.filter(event_type="checkin.completed").count() == 1
