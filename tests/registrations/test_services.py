"""The registrations services, called directly: seats, orders, waitlist, cancel, expiry, confirm, batch, outbox."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core.audit import SYSTEM
from core.errors import DomainError
from core.models import AuditEntry, OutboxEvent
from events.models import EventStatus
from registrations import services
from registrations.models import EventRegistrationSettings, Registration, RegistrationSource, RegistrationStatus, TicketVisibility
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory, people, register

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def code_of(excinfo: Any) -> str:
    return excinfo.value.error.code


def outbox_types() -> list[str]:
    return list(OutboxEvent.objects.order_by("created_at", "id").values_list("event_type", flat=True))


@pytest.fixture
def event(org: Any) -> Any:
    return PublishedEventFactory(organization=org, capacity=5, currency="EUR")


@pytest.fixture
def free(event: Any) -> Any:
    return TicketTypeFactory(event=event, name="Free")


@pytest.fixture
def paid(event: Any) -> Any:
    return TicketTypeFactory(event=event, name="Paid", price=Decimal("25.00"))


def waitlist_on(event: Any, ttl: int = 30) -> None:
    services.event_registration_settings_update(
        actor=SYSTEM, event=event, data={"waitlist_enabled": True, "pending_payment_ttl_minutes": ttl}
    )


# -- ticket types ---------------------------------------------------------------------------
def test_ticket_type_create_takes_the_event_currency_and_audits(owner, event):
    event.currency = "CHF"
    event.save()
    ticket_type = services.ticket_type_create(
        actor=owner, event=event, data={"name": "Early bird", "price": Decimal("10.50"), "tax_rate": Decimal("7.7")}
    )
    assert ticket_type.currency == "CHF"
    entry = AuditEntry.objects.get(action="ticket_type.created")
    assert entry.changes["price"] == "10.50" and entry.changes["currency"] == "CHF"
    assert entry.actor_label == owner.email


def test_ticket_type_create_rejects_duplicate_name_bad_window_and_closed_event(owner, event, free):
    with pytest.raises(DomainError) as excinfo:
        services.ticket_type_create(actor=owner, event=event, data={"name": "free"})
    assert excinfo.value.target == "name"
    with pytest.raises(DomainError) as excinfo:
        services.ticket_type_create(
            actor=owner, event=event, data={"name": "X", "sales_starts_at": NOW, "sales_ends_at": NOW - dt.timedelta(hours=1)}
        )
    assert excinfo.value.target == "salesEndsAt"
    event.status = EventStatus.CANCELLED
    event.save()
    with pytest.raises(DomainError) as excinfo:
        services.ticket_type_create(actor=owner, event=event, data={"name": "Late"})
    assert code_of(excinfo) == "EVENT_NOT_EDITABLE"


def test_ticket_type_update_capacity_not_below_taken(owner, event, free):
    register(event, free, 3)
    with pytest.raises(DomainError) as excinfo:
        services.ticket_type_update(actor=owner, ticket_type=free, data={"capacity": 2})
    assert code_of(excinfo) == "TICKET_CAPACITY_TOO_LOW"
    updated = services.ticket_type_update(actor=owner, ticket_type=free, data={"capacity": 3, "name": "Gratis"})
    assert (updated.capacity, updated.name) == (3, "Gratis")
    assert AuditEntry.objects.get(action="ticket_type.updated").changes["name"] == {"from": "Free", "to": "Gratis"}


def test_ticket_type_delete_only_without_registrations(owner, event, free, paid):
    register(event, free)
    with pytest.raises(DomainError) as excinfo:
        services.ticket_type_delete(actor=owner, ticket_type=free)
    assert code_of(excinfo) == "TICKET_TYPE_IN_USE"
    services.ticket_type_delete(actor=owner, ticket_type=paid)
    assert list(event.ticket_types.values_list("name", flat=True)) == ["Free"]


# -- creating -------------------------------------------------------------------------------
def test_free_order_is_confirmed_with_created_and_confirmed_rows(owner, event, free):
    created = services.registration_create(
        actor=owner,
        organization_id=event.organization_id,
        event_id=event.pk,
        ticket_type_id=free.pk,
        attendees=[{"name": " Ada ", "email": "ada@example.com", "answers": {"diet_pref": "vegan"}}, *people(1)],
    )
    assert [r.status for r in created] == ["confirmed", "confirmed"]
    assert len({r.order_id for r in created}) == 1
    assert len({r.ticket_code for r in created}) == 2 and all(len(r.ticket_code) >= 20 for r in created)
    ada = created[0]
    assert ada.attendee_name == "Ada" and ada.confirmed_at is not None and ada.expires_at is None
    assert ada.created_by == owner.email and ada.source == RegistrationSource.USER
    assert outbox_types() == ["registration.created", "registration.confirmed"] * 2
    data = OutboxEvent.objects.filter(event_type="registration.created").first().data
    assert data["attendeeName"] == "Ada" and data["status"] == "confirmed"
    assert data["answers"] == {"diet_pref": "vegan"}  # client keys are not camelized
    assert data["ticketType"]["name"] == "Free" and "ticketCode" not in data
    assert AuditEntry.objects.filter(action="registration.created").count() == 2


def test_paid_order_is_pending_with_expiry(event, paid):
    waitlist_on(event, ttl=15)
    [registration] = register(event, paid, now=NOW)
    assert registration.status == RegistrationStatus.PENDING_PAYMENT
    assert registration.expires_at == NOW + dt.timedelta(minutes=15)
    assert outbox_types() == ["registration.created"]


def test_default_pending_ttl_comes_from_settings(settings, event, paid):
    settings.REGISTRATION_PENDING_TTL_MINUTES = 7
    [registration] = register(event, paid, now=NOW)
    assert registration.expires_at == NOW + dt.timedelta(minutes=7)


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED, EventStatus.COMPLETED])
def test_only_published_events_take_registrations(event, free, status):
    event.status = status
    event.save()
    with pytest.raises(DomainError) as excinfo:
        register(event, free)
    assert code_of(excinfo) == "EVENT_NOT_OPEN"
    assert not Registration.objects.exists() and not OutboxEvent.objects.exists()


def test_sales_window(event):
    ticket_type = TicketTypeFactory(
        event=event, sales_starts_at=NOW + dt.timedelta(hours=1), sales_ends_at=NOW + dt.timedelta(hours=2)
    )
    for moment in (NOW, NOW + dt.timedelta(hours=2)):
        with pytest.raises(DomainError) as excinfo:
            register(event, ticket_type, now=moment)
        assert code_of(excinfo) == "TICKET_SALES_CLOSED"
    assert register(event, ticket_type, now=NOW + dt.timedelta(hours=1))[0].status == "confirmed"


def test_per_order_limit(event):
    ticket_type = TicketTypeFactory(event=event, max_per_order=2)
    with pytest.raises(DomainError) as excinfo:
        register(event, ticket_type, 3)
    assert code_of(excinfo) == "ORDER_LIMIT_EXCEEDED"
    assert excinfo.value.status == 400
    assert len(register(event, ticket_type, 2)) == 2


def test_hidden_ticket_type_only_for_organizer_channels(event):
    hidden = TicketTypeFactory(event=event, visibility=TicketVisibility.HIDDEN)
    with pytest.raises(DomainError) as excinfo:
        register(event, hidden, allow_hidden=False)
    assert code_of(excinfo) == "TICKET_TYPE_NOT_AVAILABLE"
    assert len(register(event, hidden)) == 1


def test_ticket_type_of_another_event_is_refused(event, org):
    other = TicketTypeFactory(event=PublishedEventFactory(organization=org))
    with pytest.raises(DomainError) as excinfo:
        register(event, other)
    assert code_of(excinfo) == "VALIDATION_ERROR" and excinfo.value.target == "ticketTypeId"


def test_sold_out_by_event_capacity_counts_unexpired_pending(event, free, paid):
    register(event, free, 3)
    register(event, paid, 2, now=NOW)
    with pytest.raises(DomainError) as excinfo:
        register(event, free, now=NOW)
    assert code_of(excinfo) == "SOLD_OUT" and excinfo.value.status == 409
    # An expired pending registration no longer holds its seat, even before the job runs.
    assert register(event, free, now=NOW + dt.timedelta(hours=1))[0].status == "confirmed"


def test_sold_out_by_ticket_type_capacity_and_order_is_all_or_nothing(event):
    ticket_type = TicketTypeFactory(event=event, capacity=2)
    register(event, ticket_type)
    with pytest.raises(DomainError) as excinfo:
        register(event, ticket_type, 2)
    assert code_of(excinfo) == "SOLD_OUT"
    assert excinfo.value.details == {"seatsLeft": 1, "requested": 2}
    assert Registration.objects.count() == 1
    assert outbox_types() == ["registration.created", "registration.confirmed"]


def test_unlimited_event_and_ticket_type(org):
    event = PublishedEventFactory(organization=org, capacity=None)
    assert len(register(event, TicketTypeFactory(event=event), 10)) == 10


# -- waitlist -------------------------------------------------------------------------------
def test_full_event_with_waitlist_waitlists_the_whole_order(event, free):
    waitlist_on(event)
    register(event, free, 4)
    order = register(event, free, 2)
    assert [r.status for r in order] == ["waitlisted", "waitlisted"]
    assert outbox_types()[-2:] == ["registration.created", "registration.created"]


def test_cancel_promotes_the_waitlist_in_order(event, free, paid):
    waitlist_on(event, ttl=10)
    seated = register(event, free, 5)
    first = register(event, paid)[0]
    second = register(event, free)[0]
    third = register(event, free)[0]
    assert {first.status, second.status, third.status} == {"waitlisted"}
    OutboxEvent.objects.all().delete()

    services.registration_cancel(actor=SYSTEM, registration=seated[0], reason="cannot come", now=NOW)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "pending_payment" and first.expires_at == NOW + dt.timedelta(minutes=10)
    assert second.status == "waitlisted"
    assert outbox_types() == ["registration.cancelled"]  # a paid promotion waits for payment before it is confirmed

    services.registration_cancel(actor=SYSTEM, registration=seated[1], reason="ill", now=NOW)
    second.refresh_from_db()
    assert second.status == "confirmed" and second.confirmed_at == NOW
    assert outbox_types() == ["registration.cancelled", "registration.cancelled", "registration.confirmed"]
    assert AuditEntry.objects.filter(action="registration.promoted").count() == 2


def test_promotion_skips_entries_whose_ticket_type_is_full(event):
    waitlist_on(event)
    vip = TicketTypeFactory(event=event, name="VIP", capacity=1)
    regular = TicketTypeFactory(event=event, name="Regular")
    [vip_seat] = register(event, vip)
    register(event, regular, 4)
    waiting_vip = register(event, vip)[0]
    waiting_regular = register(event, regular)[0]
    assert waiting_vip.status == waiting_regular.status == "waitlisted"
    cancelled_regular = Registration.objects.filter(ticket_type=regular, status="confirmed").first()
    services.registration_cancel(actor=SYSTEM, registration=cancelled_regular, reason="x")
    waiting_vip.refresh_from_db()
    waiting_regular.refresh_from_db()
    assert (waiting_vip.status, waiting_regular.status) == ("waitlisted", "confirmed")
    services.registration_cancel(actor=SYSTEM, registration=vip_seat, reason="x")
    waiting_vip.refresh_from_db()
    assert waiting_vip.status == "confirmed"


def test_cancel_needs_reason_and_only_once(event, free):
    [registration] = register(event, free)
    with pytest.raises(DomainError) as excinfo:
        services.registration_cancel(actor=SYSTEM, registration=registration, reason="  ")
    assert excinfo.value.target == "reason"
    services.registration_cancel(actor=SYSTEM, registration=registration, reason="changed plans")
    registration.refresh_from_db()
    assert registration.status == "cancelled" and registration.cancellation_reason == "changed plans"
    assert registration.cancelled_at is not None
    with pytest.raises(DomainError) as excinfo:
        services.registration_cancel(actor=SYSTEM, registration=registration, reason="again")
    assert code_of(excinfo) == "REGISTRATION_INVALID_TRANSITION"
    assert outbox_types().count("registration.cancelled") == 1


def test_cancelling_a_waitlisted_registration_promotes_nobody(event, free):
    waitlist_on(event)
    register(event, free, 5)
    first, second = register(event, free), register(event, free)
    services.registration_cancel(actor=SYSTEM, registration=first[0], reason="x")
    second[0].refresh_from_db()
    assert second[0].status == "waitlisted"


# -- expiry and confirmation ----------------------------------------------------------------
def test_expire_pending_cancels_and_promotes(event, paid, free):
    waitlist_on(event)
    pending = register(event, paid, 2, now=NOW)
    register(event, free, 3, now=NOW)
    waiting = register(event, free, 1, now=NOW)[0]
    assert waiting.status == "waitlisted"
    OutboxEvent.objects.all().delete()
    assert services.registrations_expire_pending(now=NOW + dt.timedelta(minutes=5)) == 0

    assert services.registrations_expire_pending(now=NOW + dt.timedelta(minutes=31)) == 2

    for registration in pending:
        registration.refresh_from_db()
        assert registration.status == "cancelled"
        assert registration.cancellation_reason == "payment not received in time"
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert outbox_types() == ["registration.cancelled", "registration.cancelled", "registration.confirmed"]
    assert AuditEntry.objects.filter(action="registration.expired", actor_label="system").count() == 2


def test_expire_registrations_command(event, paid):
    register(event, paid, now=timezone.now() - dt.timedelta(hours=2))
    call_command("expire_registrations")
    assert Registration.objects.get().status == "cancelled"


def test_confirm_pending(event, paid, free):
    [pending] = register(event, paid, now=NOW)
    confirmed = services.registration_confirm(actor=SYSTEM, registration=pending, now=NOW)
    assert confirmed.status == "confirmed" and confirmed.expires_at is None and confirmed.confirmed_at == NOW
    assert outbox_types() == ["registration.created", "registration.confirmed"]
    with pytest.raises(DomainError) as excinfo:
        services.registration_confirm(actor=SYSTEM, registration=confirmed)
    assert code_of(excinfo) == "REGISTRATION_INVALID_TRANSITION"
    assert excinfo.value.details["from"] == "confirmed"


def test_confirm_after_expiry_only_while_a_seat_is_free(org, event, paid, free):
    [late] = register(event, paid, now=NOW)
    later = NOW + dt.timedelta(hours=1)
    register(event, free, 4, now=later)  # the expired pending seat is not counted: 1 left
    assert services.registration_confirm(actor=SYSTEM, registration=late, now=later).status == "confirmed"

    small = PublishedEventFactory(organization=org, capacity=1)
    small_paid, small_free = TicketTypeFactory(event=small, price=Decimal("5")), TicketTypeFactory(event=small)
    [too_late] = register(small, small_paid, now=NOW)
    register(small, small_free, now=later)  # someone else took the seat after the expiry
    with pytest.raises(DomainError) as excinfo:
        services.registration_confirm(actor=SYSTEM, registration=too_late, now=later)
    assert code_of(excinfo) == "REGISTRATION_EXPIRED"


def test_confirm_waitlisted_or_cancelled_is_illegal(event, free):
    waitlist_on(event)
    register(event, free, 5)
    [waiting] = register(event, free)
    with pytest.raises(DomainError) as excinfo:
        services.registration_confirm(actor=SYSTEM, registration=waiting)
    assert code_of(excinfo) == "REGISTRATION_INVALID_TRANSITION"


# -- updating ---------------------------------------------------------------------------------
def test_update_attendee_details_audits_and_publishes_nothing(event, free):
    [registration] = register(event, free)
    OutboxEvent.objects.all().delete()
    updated = services.registration_update(
        actor=SYSTEM, registration=registration, data={"attendee_name": "New Name", "answers": {"a": 1}, "status": "x"}
    )
    assert updated.attendee_name == "New Name" and updated.answers == {"a": 1} and updated.status == "confirmed"
    assert AuditEntry.objects.get(action="registration.updated").changes["attendee_name"]["to"] == "New Name"
    assert not OutboxEvent.objects.exists()
    services.registration_cancel(actor=SYSTEM, registration=registration, reason="x")
    with pytest.raises(DomainError) as excinfo:
        services.registration_update(actor=SYSTEM, registration=registration, data={"attendee_name": "Z"})
    assert code_of(excinfo) == "REGISTRATION_NOT_EDITABLE"


# -- batch and rollback ------------------------------------------------------------------------
def items_for(event: Any, ticket_type: Any, n: int) -> list[services.BatchItem]:
    return [
        services.BatchItem(
            index=i, event=event, ticket_type=ticket_type, attendee={"name": f"B{i}", "email": f"b{i}@example.com"}
        )
        for i in range(n)
    ]


def test_batch_atomic_all_or_nothing(event, free):
    with pytest.raises(DomainError) as excinfo:
        services.registrations_batch(actor=SYSTEM, items=items_for(event, free, 7), atomic=True)
    assert code_of(excinfo) == "SOLD_OUT"
    assert excinfo.value.details["index"] == 5
    assert excinfo.value.target == "items[5]"
    assert not Registration.objects.exists()
    assert not OutboxEvent.objects.exists()
    assert not AuditEntry.objects.filter(action="registration.created").exists()


def test_batch_non_atomic_keeps_what_fits(event, free):
    outcomes = services.registrations_batch(actor=SYSTEM, items=items_for(event, free, 7), atomic=False)
    assert [o.registration is not None for o in outcomes] == [True] * 5 + [False] * 2
    assert outcomes[6].error is not None and outcomes[6].error.code == "SOLD_OUT"
    assert Registration.objects.filter(source="batch").count() == 5
    assert outbox_types().count("registration.created") == 5


def test_outbox_rows_roll_back_with_the_transaction(event, free):
    with pytest.raises(RuntimeError), transaction.atomic():
        register(event, free)
        assert OutboxEvent.objects.count() == 2
        raise RuntimeError("boom")
    assert not OutboxEvent.objects.exists() and not Registration.objects.exists()


def test_settings_update_audits_and_needs_an_open_event(owner, event):
    stored = services.event_registration_settings_update(actor=owner, event=event, data={"waitlist_enabled": True})
    assert stored.waitlist_enabled and stored.pending_payment_ttl_minutes == 30
    assert EventRegistrationSettings.objects.count() == 1
    assert AuditEntry.objects.get(action="registration_settings.updated").changes["waitlist_enabled"]["to"] is True
    event.status = EventStatus.COMPLETED
    event.save()
    with pytest.raises(DomainError):
        services.event_registration_settings_update(actor=owner, event=event, data={"waitlist_enabled": False})


def test_factory_rows_count_as_seats(event, free):
    RegistrationFactory.create_batch(5, ticket_type=free)
    with pytest.raises(DomainError) as excinfo:
        register(event, free)
    assert code_of(excinfo) == "SOLD_OUT"


def test_a_new_order_never_jumps_the_waitlist(event, free, paid):
    waitlist_on(event, ttl=10)
    register(event, free, 4)
    unpaid = register(event, paid, now=NOW)[0]  # the last seat, held until NOW + 10 min
    waiting = register(event, free, now=NOW)[0]
    assert (unpaid.status, waiting.status) == ("pending_payment", "waitlisted")

    # The unpaid hold lapses; nobody has run the expiry job yet. A newcomer arrives.
    later = NOW + dt.timedelta(minutes=11)
    newcomer = register(event, free, now=later)[0]

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert newcomer.status == "waitlisted"


def test_raising_a_ticket_type_capacity_promotes_its_waitlist(org):
    event = PublishedEventFactory(organization=org, capacity=None)
    limited = TicketTypeFactory(event=event, name="Limited", capacity=1)
    waitlist_on(event)
    register(event, limited)
    waiting = register(event, limited)[0]
    assert waiting.status == "waitlisted"
    OutboxEvent.objects.all().delete()

    services.ticket_type_update(actor=SYSTEM, ticket_type=limited, data={"capacity": 2})

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert outbox_types() == ["registration.confirmed"]
