"""A world for the console's tests: an organizer organization with an event open for check-in, paid and pending
registrations, a check-in, feedback; a second organization the members must never see; a member of each role."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from core.audit import SYSTEM
from payments import services as payment_services
from registrations import checkins
from registrations.models import Registration, TicketType
from tests.factories import MembershipFactory, SessionFactory, UserFactory
from tests.payments.factories import VISA, pending_order
from tests.registrations.factories import DoorsOpenEventFactory, TicketTypeFactory


@dataclass
class World:
    org: Any
    other_org: Any
    event: Any
    ticket: TicketType
    free: TicketType
    paid: Registration
    pending: Registration
    checked_in: Registration
    other_event: Any
    other_registration: Registration
    users: dict[str, User]


def _paid(ticket: TicketType, email: str) -> Registration:
    registration = pending_order(SYSTEM, ticket, email)[0]
    payment = payment_services.payment_create(actor=SYSTEM, registrations=[registration])
    payment_services.payment_confirm(actor=SYSTEM, payment=payment, card_number=VISA)
    registration.refresh_from_db()
    return registration


@pytest.fixture
def world(org: Any, other_org: Any) -> World:
    return build_world(org, other_org)


def build_world(org: Any, other_org: Any) -> World:
    event = DoorsOpenEventFactory(organization=org, title="Berlin Summit", time_zone="Europe/Berlin", currency="EUR")
    ticket = TicketTypeFactory(event=event, name="Standard", price=Decimal("25.00"))
    free = TicketTypeFactory(event=event, name="Speaker", price=Decimal("0.00"))
    SessionFactory(event=event, title="Opening keynote")
    paid = _paid(ticket, "paid@example.com")
    pending = pending_order(SYSTEM, ticket, "pending@example.com")[0]
    checked_in = pending_order(SYSTEM, free, "inside@example.com")[0]
    checkins.checkin_scan(actor=SYSTEM, organization=org, event=event, code=checked_in.ticket_code)
    other_event = DoorsOpenEventFactory(organization=other_org, title="Rival Fair")
    other_ticket = TicketTypeFactory(event=other_event, name="Rival ticket")
    other_registration = pending_order(SYSTEM, other_ticket, "rival@example.com")[0]
    users = {}
    for role in Role:
        user = UserFactory(email=f"{role.value}@acme.example")
        MembershipFactory(user=user, organization=org, role=role)
        users[role.value] = user
    return World(org, other_org, event, ticket, free, paid, pending, checked_in, other_event, other_registration, users)


@pytest.fixture
def as_role(world: World) -> Any:
    """as_role("owner") -> a client signed in as the member of that role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(world.users[role])
        return client

    return make
