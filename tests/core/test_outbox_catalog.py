"""Every type of the catalog is published exactly once by the service that causes it, and never on rollback.

One organizer's day, service by service: after each step the outbox holds exactly
the rows that step's service publishes.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from core import outbox
from core.audit import SYSTEM
from core.models import OutboxEvent
from events import services as events
from payments import services as payments
from registrations import services as registrations

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0) + dt.timedelta(days=20)
GOOD_CARD, DECLINED_CARD = "4242 4242 4242 4242", "4000 0000 0000 0002"


def _one_day(org, step):
    """Run the scenario; ``step(expected_types)`` is called after each service."""
    event = events.event_create(
        actor=SYSTEM,
        organization=org,
        data={"title": "Expo", "starts_at": START, "ends_at": START + dt.timedelta(hours=8),
              "attendance_mode": "online", "online_url": "https://meet.example/expo", "capacity": 10},
    )  # fmt: skip
    step(["event.created"])
    events.event_update(actor=SYSTEM, event=event, data={"title": "Expo 2031"})
    step(["event.updated"])
    session = events.session_create(
        actor=SYSTEM, event=event, data={"title": "Opening", "starts_at": START, "ends_at": START + dt.timedelta(hours=1)}
    )
    step(["session.created"])
    events.session_update(actor=SYSTEM, session=session, data={"title": "Opening keynote"})
    step(["session.updated"])
    events.event_publish(actor=SYSTEM, event=event)
    step(["event.published"])

    ticket = registrations.ticket_type_create(actor=SYSTEM, event=event, data={"name": "Standard", "price": Decimal("40.00")})
    step([])
    paid = registrations.registration_create(
        actor=SYSTEM,
        organization_id=event.organization_id,
        event_id=event.pk,
        ticket_type_id=ticket.pk,
        attendees=[{"name": "Ada", "email": "ada@example.com"}],
    )[0]
    step(["registration.created"])
    payment = payments.payment_create(actor=SYSTEM, registrations=[paid])
    step([])
    payments.payment_confirm(actor=SYSTEM, payment=payment, card_number=GOOD_CARD)
    step(["registration.confirmed", "payment.completed"])
    payments.payment_refund(actor=SYSTEM, payment=payment, reason="Goodwill", amount=Decimal("10.00"))
    step(["payment.refunded"])

    unpaid = registrations.registration_create(
        actor=SYSTEM,
        organization_id=event.organization_id,
        event_id=event.pk,
        ticket_type_id=ticket.pk,
        attendees=[{"name": "Bob", "email": "bob@example.com"}],
    )[0]
    step(["registration.created"])
    declined = payments.payment_create(actor=SYSTEM, registrations=[unpaid])
    step([])
    payments.payment_confirm(actor=SYSTEM, payment=declined, card_number=DECLINED_CARD)
    step(["payment.failed"])

    paid.refresh_from_db()
    event.refresh_from_db()  # the gate reads the event's status: it is published now
    # Scanned as the doors open: the event starts in 20 days, outside its check-in window today.
    result = registrations.checkin_scan(
        actor=SYSTEM, organization=org, event=event, code=paid.ticket_code, device="gate 1", now=event.starts_at
    )
    assert result.error is None
    step(["checkin.completed"])
    registrations.registration_cancel(actor=SYSTEM, registration=unpaid, reason="Changed plans")
    step(["registration.cancelled"])
    events.session_cancel(actor=SYSTEM, session=session, reason="Speaker ill")
    step(["session.cancelled"])
    events.event_cancel(actor=SYSTEM, event=event, reason="Venue closed")
    step(["event.cancelled"])


def test_each_type_is_published_exactly_once_by_the_service_that_causes_it(org):
    seen: list[str] = []

    def step(expected):
        rows = list(OutboxEvent.objects.order_by("created_at", "id").values_list("event_type", "organization_id"))
        new = rows[len(seen) :]
        assert [t for t, _ in new] == expected
        assert all(o == org.id for _, o in new)
        seen.extend(t for t, _ in new)

    _one_day(org, step)

    assert set(seen) == set(outbox.EVENT_TYPES), "every catalog type is covered"
    # Each step published exactly its own rows; the scenario registers two attendees.
    assert len(seen) == len(outbox.EVENT_TYPES) + 1 and seen.count("registration.created") == 2


def test_nothing_is_published_when_the_transaction_rolls_back(org):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        _one_day(org, lambda expected: None)
        assert OutboxEvent.objects.count() == 15  # all written inside the transaction
        raise Abort

    assert OutboxEvent.objects.count() == 0
