"""Seat counters: the database keeps them equal to the registrations, whatever writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Q
from django.utils import timezone

from core.audit import SYSTEM
from core.errors import DomainError
from registrations import selectors, services
from registrations.models import Registration, RegistrationStatus, SeatCount
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory, register

NOW = timezone.now().replace(microsecond=0)
HELD = Q(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING_PAYMENT])


def recount() -> dict[Any, tuple[int, int]]:
    """What the counters must say, counted from the registrations (ticket types without any count as 0/0)."""
    rows = Registration.objects.values("ticket_type_id").annotate(
        held=Count("id", filter=HELD), waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED))
    )
    return {r["ticket_type_id"]: (r["held"], r["waitlisted"]) for r in rows if r["held"] or r["waitlisted"]}


def counters() -> dict[Any, tuple[int, int]]:
    return {c.ticket_type_id: (c.held, c.waitlisted) for c in SeatCount.objects.all() if c.held or c.waitlisted}


@pytest.mark.django_db
def test_counters_follow_every_service_write(org):
    event = PublishedEventFactory(organization=org, capacity=4)
    free = TicketTypeFactory(event=event, name="Free")
    paid = TicketTypeFactory(event=event, name="Paid", price=Decimal("10.00"))
    services.event_registration_settings_update(actor=SYSTEM, event=event, data={"waitlist_enabled": True})

    confirmed = register(event, free, 2)
    pending = register(event, paid, 2, now=NOW)
    waiting = register(event, free, 2)
    assert counters() == recount() == {free.pk: (2, 2), paid.pk: (2, 0)}

    services.registration_cancel(actor=SYSTEM, registration=confirmed[0], reason="Cannot come")  # promotes one
    assert counters() == recount() == {free.pk: (2, 1), paid.pk: (2, 0)}

    services.registration_confirm(actor=SYSTEM, registration=pending[0], now=NOW)
    assert services.registrations_expire_pending(now=NOW + dt.timedelta(hours=2)) == 1  # promotes the other
    assert counters() == recount() == {free.pk: (3, 0), paid.pk: (1, 0)}

    services.registration_cancel(actor=SYSTEM, registration=waiting[0], reason="Changed plans")
    assert counters() == recount()


@pytest.mark.django_db
def test_counters_follow_writes_that_bypass_the_services(org):
    event = PublishedEventFactory(organization=org, capacity=None)
    first, second = TicketTypeFactory(event=event), TicketTypeFactory(event=event)
    rows = RegistrationFactory.create_batch(3, ticket_type=first)
    Registration.objects.bulk_create(
        [
            Registration(
                organization=org,
                event=event,
                ticket_type=second,
                order_id=rows[0].order_id,
                attendee_name="Bulk",
                attendee_email=f"bulk{i}@example.com",
                status=RegistrationStatus.WAITLISTED,
            )
            for i in range(2)
        ]
    )
    assert counters() == recount() == {first.pk: (3, 0), second.pk: (0, 2)}

    Registration.objects.filter(pk=rows[0].pk).update(status=RegistrationStatus.CANCELLED)
    Registration.objects.filter(pk=rows[1].pk).update(ticket_type=second)
    Registration.objects.filter(ticket_type=second, status=RegistrationStatus.WAITLISTED).update(
        status=RegistrationStatus.PENDING_PAYMENT
    )
    rows[2].attendee_name = "Renamed"
    rows[2].save()  # no change of status or ticket type: the counters do not move
    assert counters() == recount() == {first.pk: (1, 0), second.pk: (3, 0)}

    Registration.objects.filter(ticket_type=second).delete()
    assert counters() == recount() == {first.pk: (1, 0)}


@pytest.mark.django_db
def test_the_order_reads_the_counters_and_the_settings_in_one_query(org, django_assert_num_queries):
    event = PublishedEventFactory(organization=org, capacity=10)
    free, other = TicketTypeFactory(event=event), TicketTypeFactory(event=event)
    register(event, free, 3)
    register(event, other, 2)

    with django_assert_num_queries(1):
        found = selectors.ticket_type_for_order(event=event, ticket_type_id=free.pk)

    assert found is not None and found.pk == free.pk
    assert (found.type_held, found.event_held, found.event_waitlisted) == (3, 5, 0)
    assert (found.waitlist_enabled, found.payment_ttl_minutes) == (False, 30)
    assert selectors.ticket_type_for_order(event=PublishedEventFactory(organization=org), ticket_type_id=free.pk) is None


@pytest.mark.django_db
def test_an_order_the_counters_cannot_fit_is_counted_exactly(org):
    """Unpaid registrations past their payment window still count in ``held``; the exact count frees them."""
    event = PublishedEventFactory(organization=org, capacity=3)
    free = TicketTypeFactory(event=event)
    paid = TicketTypeFactory(event=event, price=Decimal("5.00"))
    register(event, paid, 3, now=NOW)
    assert counters()[paid.pk] == (3, 0)

    with pytest.raises(DomainError) as excinfo:
        register(event, free, now=NOW + dt.timedelta(minutes=5))
    assert excinfo.value.error.code == "SOLD_OUT" and excinfo.value.details == {"seatsLeft": 0, "requested": 1}

    later = NOW + dt.timedelta(hours=1)
    assert [r.status for r in register(event, free, 3, now=later)] == ["confirmed"] * 3


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_registrations_already_there(org):
    event = PublishedEventFactory(organization=org, capacity=None)
    first, second = TicketTypeFactory(event=event), TicketTypeFactory(event=event)
    RegistrationFactory.create_batch(2, ticket_type=first)
    RegistrationFactory(ticket_type=first, status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(ticket_type=second, status=RegistrationStatus.CANCELLED)
    executor = MigrationExecutor(connection)
    executor.migrate([("registrations", "0003_checkin_closed")])
    try:
        executor.loader.build_graph()
        executor.migrate([("registrations", "0004_seat_counts")])
        assert counters() == recount() == {first.pk: (2, 1)}
        RegistrationFactory(ticket_type=second)  # the triggers are back
        assert counters() == recount() == {first.pk: (2, 1), second.pk: (1, 0)}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
