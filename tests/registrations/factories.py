"""Factories of the registrations app (plain rows; tests of rules go through the services)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from core.audit import SYSTEM
from events.models import EventStatus
from registrations import services
from registrations.models import Registration, RegistrationStatus, TicketType
from tests.factories import EventFactory


class PublishedEventFactory(EventFactory):
    status = EventStatus.PUBLISHED
    capacity = 100


class DoorsOpenEventFactory(PublishedEventFactory):
    """A published event starting in an hour: inside its default check-in window (24 hours before the start to the end)."""

    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + dt.timedelta(hours=1))


class TicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType

    event = factory.SubFactory(PublishedEventFactory)
    organization = factory.SelfAttribute("event.organization")
    name = factory.Sequence(lambda n: f"Ticket {n}")
    price = Decimal("0.00")
    currency = factory.SelfAttribute("event.currency")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    ticket_type = factory.SubFactory(TicketTypeFactory)
    event = factory.SelfAttribute("ticket_type.event")
    organization = factory.SelfAttribute("ticket_type.organization")
    order_id = factory.LazyFunction(uuid.uuid4)
    attendee_name = factory.Faker("name")
    attendee_email = factory.Sequence(lambda n: f"attendee{n}@example.com")
    status = RegistrationStatus.CONFIRMED


def people(n: int, prefix: str = "p") -> list[services.Attendee]:
    return [{"name": f"{prefix} {i}", "email": f"{prefix}{i}@example.com"} for i in range(n)]


def register(event: Any, ticket_type: Any, n: int = 1, **kwargs: Any) -> list[Registration]:
    """An order of ``n`` attendees through the service, as the system."""
    return services.registration_create(
        actor=SYSTEM,
        organization_id=event.organization_id,
        event_id=event.pk,
        ticket_type_id=ticket_type.pk,
        attendees=people(n),
        **kwargs,
    )
