"""Factories of the registrations app (plain rows; tests of rules go through the services)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import factory

from events.models import EventStatus
from registrations.models import Registration, RegistrationStatus, TicketType
from tests.factories import EventFactory


class PublishedEventFactory(EventFactory):
    status = EventStatus.PUBLISHED
    capacity = 100


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
