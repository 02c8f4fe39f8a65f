"""The model admin (platform superusers) for ticket types and registrations, through the services; the stats provider.

Organizers do this in the console (tests/console/)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from core.models import AuditEntry, OutboxEvent
from events.stats import event_stats
from registrations.admin import ADMIN_CANCEL_REASON
from registrations.models import Registration, TicketType
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org: Any) -> Any:
    return PublishedEventFactory(organization=org, title="Acme Summit", capacity=10)


def test_ticket_type_add_goes_through_the_service(console, root, event):
    client = console(root)
    url = reverse("admin:registrations_tickettype_add")
    assert "Acme Summit" in client.get(url).content.decode()
    form = {
        "event": str(event.pk),
        "name": "Student",
        "description": "",
        "price": "5.00",
        "tax_rate": "0",
        "capacity": "",
        "max_per_order": "4",
        "visibility": "public",
        "sort_order": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket_type = TicketType.objects.get(name="Student")
    assert ticket_type.price == Decimal("5.00") and ticket_type.currency == event.currency
    assert AuditEntry.objects.filter(action="ticket_type.created", actor_id=str(root.id)).exists()


def test_cancel_action_cancels_through_the_service(console, root, event):
    registration = RegistrationFactory(ticket_type=TicketTypeFactory(event=event))
    client = console(root)
    response = client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [str(registration.pk)]},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled" and registration.cancellation_reason == ADMIN_CANCEL_REASON
    assert OutboxEvent.objects.filter(event_type="registration.cancelled").count() == 1


def test_registration_add_and_change_through_the_services(console, root, event):
    ticket_type = TicketTypeFactory(event=event)
    client = console(root)
    response = client.post(
        reverse("admin:registrations_registration_add"),
        {
            "event": str(event.pk),
            "ticket_type": str(ticket_type.pk),
            "attendee_name": "Walk In",
            "attendee_email": "walkin@example.com",
            "answers": "{}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.get(attendee_name="Walk In")
    assert registration.status == "confirmed"
    response = client.post(
        reverse("admin:registrations_registration_change", args=[registration.pk]),
        {"attendee_name": "Walked In", "attendee_email": "walkin@example.com", "answers": '{"a": 1}'},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attendee_name == "Walked In" and registration.answers == {"a": 1}
    assert AuditEntry.objects.filter(action="registration.updated").exists()


def test_stats_provider_is_registered(event):
    ticket_type = TicketTypeFactory(event=event)
    RegistrationFactory.create_batch(3, ticket_type=ticket_type)
    RegistrationFactory(ticket_type=ticket_type, status="waitlisted")
    stats = event_stats(event)
    assert stats["registrations"]["seats_taken"] == 3
    assert stats["registrations"]["seats_remaining"] == 7
    assert stats["registrations"]["by_status"]["waitlisted"] == 1
    event.capacity = None
    assert event_stats(event)["registrations"]["seats_remaining"] is None
