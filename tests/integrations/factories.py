"""Factories of webhook subscriptions, deliveries and attempts (plain rows; delivery itself goes through the services)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import factory
from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from core import secrets
from integrations import services, signing
from integrations.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.factories import OrganizationFactory


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookSubscription

    organization = factory.SubFactory(OrganizationFactory)
    url = factory.Sequence(lambda n: f"https://hooks{n}.partner.example/in")
    event_types = factory.LazyFunction(lambda: ["registration.*"])
    secret = factory.LazyFunction(lambda: secrets.encrypt(signing.new_secret()))


def _body(delivery: Any) -> str:
    return services.render_body(f"msg_{delivery.id.hex}", delivery.event_type, timezone.now(), {"id": str(uuid.uuid4())})


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    id = factory.LazyFunction(uuid.uuid4)
    subscription = factory.SubFactory(WebhookSubscriptionFactory)
    organization = factory.SelfAttribute("subscription.organization")
    event_type = "registration.created"
    status = DeliveryStatus.SUCCEEDED
    attempt_count = 1
    last_status_code = 200
    last_attempt_at = factory.LazyFunction(timezone.now)
    body = factory.LazyAttribute(_body)


class WebhookAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookAttempt

    delivery = factory.SubFactory(WebhookDeliveryFactory)
    number = 1
    attempted_at = factory.LazyFunction(timezone.now)
    url = factory.SelfAttribute("delivery.subscription.url")
    request_headers = factory.LazyFunction(
        lambda: {"webhook-id": "msg_1", "webhook-timestamp": "1", "webhook-signature": "v1,x", "Content-Type": "application/json"}
    )
    request_body = factory.SelfAttribute("delivery.body")
    response_status = 200
    duration_ms = 12


def create_deliveries(count: int, *, start: dt.datetime | None = None, **fields: Any) -> list[WebhookDelivery]:
    """``count`` deliveries in one INSERT, one second apart ending at ``start`` (default now); ``fields`` as for the factory.

    A field given as a list is cycled through (``status=["succeeded", "failed"]``).
    """
    start = start or timezone.now()
    cycled = {key: value for key, value in fields.items() if isinstance(value, list)}
    rows = [
        WebhookDeliveryFactory.build(**{**fields, **{key: value[i % len(value)] for key, value in cycled.items()}})
        for i in range(count)
    ]
    created = WebhookDelivery.objects.bulk_create(rows)
    # created_at is auto_now_add, so the times are set afterwards: one UPDATE with a CASE per 500 rows.
    for first in range(0, count, 500):
        chunk = created[first : first + 500]
        whens = [When(pk=row.pk, then=Value(start - dt.timedelta(seconds=count - first - i))) for i, row in enumerate(chunk)]
        WebhookDelivery.objects.filter(pk__in=[row.pk for row in chunk]).update(
            created_at=Case(*whens, output_field=DateTimeField())
        )
    return created


def confirmed_registrations(organization: Any, count: int) -> None:
    """``count`` confirmed registrations of one new event of ``organization``, in bulk (export tests at scale)."""
    from registrations.models import Registration, RegistrationStatus
    from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory

    event = PublishedEventFactory(organization=organization, capacity=count + 10)
    ticket_type = TicketTypeFactory(event=event)
    Registration.objects.bulk_create(
        (
            Registration(
                organization=organization,
                event=event,
                ticket_type=ticket_type,
                order_id=uuid.uuid4(),
                attendee_name=f"P{i}",
                attendee_email=f"p{i}@example.com",
                status=RegistrationStatus.CONFIRMED,
            )
            for i in range(count)
        ),
        batch_size=5000,
    )
