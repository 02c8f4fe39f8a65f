"""Registrations are rendered by hand for speed; that must equal what DRF's declared fields give."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers

from api.representation import money
from core.audit import SYSTEM
from registrations import services
from registrations.models import Registration
from registrations.serializers import RegistrationSerializer
from tests.factories import UserFactory
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


class FieldByField(RegistrationSerializer):
    def to_representation(self, registration):
        return serializers.ModelSerializer.to_representation(self, registration)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def test_hand_built_registration_representation_equals_the_declared_fields(org):
    event = PublishedEventFactory(organization=org, capacity=2)
    free = TicketTypeFactory(event=event, name="Free")
    paid = TicketTypeFactory(event=event, name="Paid", price=Decimal("49.9"))
    services.event_registration_settings_update(actor=SYSTEM, event=event, data={"waitlist_enabled": True})

    def order(ticket_type, **attendee):
        return services.registration_create(
            actor=SYSTEM,
            organization_id=org.id,
            event_id=event.id,
            ticket_type_id=ticket_type.id,
            attendees=[{"name": "Ada", "email": "ada@example.com", **attendee}],
        )[0]

    confirmed = order(free, answers={"diet": "vegan", "size": ["M", "L"]}, user=UserFactory())
    pending = order(paid)
    waiting = order(free)
    services.registration_cancel(actor=SYSTEM, registration=confirmed, reason="Ill", now=timezone.now() + dt.timedelta(1))

    rows = list(Registration.objects.filter(organization=org).select_related("ticket_type"))
    assert waiting.status == "waitlisted"  # rendered while waitlisted (with its position), promoted by the cancel
    assert sorted(r.status for r in rows) == ["cancelled", "confirmed", "pending_payment"]
    for registration in [*rows, pending, waiting]:
        assert RegistrationSerializer(registration).data == _plain(FieldByField(registration).data)


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("49.9"), "49.90"), (Decimal("0"), "0.00"), (Decimal("1E+3"), "1000.00"), (12, "12.00"), ("7.5", "7.50")],
)
def test_money_is_what_a_two_place_decimal_field_renders(value, text):
    assert money(value) == text == serializers.DecimalField(max_digits=10, decimal_places=2).to_representation(value)
