"""Builders of the payments tests: paid orders made through the registrations services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from registrations import services as registration_services
from registrations.models import Registration
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory

VISA = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
NO_FUNDS = "4000 0000 0000 9995"


def paid_event(org: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("currency", "EUR")
    return PublishedEventFactory(organization=org, **kwargs)


def paid_ticket(event: Any, price: str = "25.00", tax_rate: str = "19.00", **kwargs: Any) -> Any:
    return TicketTypeFactory(event=event, price=Decimal(price), tax_rate=Decimal(tax_rate), **kwargs)


def pending_order(actor: Any, ticket_type: Any, *emails: str) -> list[Registration]:
    attendees = [{"name": e.split("@")[0].title(), "email": e} for e in emails or ("ada@example.com",)]
    return registration_services.registration_create(
        actor=actor,
        organization_id=ticket_type.organization_id,
        event_id=ticket_type.event_id,
        ticket_type_id=ticket_type.pk,
        attendees=attendees,  # type: ignore[arg-type]
    )
