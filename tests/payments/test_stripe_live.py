"""Stripe end to end over real sockets: the fake Stripe (tests/fakes/stripe.py) posts the signed notification to the
platform served by pytest-django's ``live_server``, as Stripe's servers do, not through Django's test client. The
payment created through the API, confirmed at Stripe, notified over HTTP: registrations confirmed, ``payment.completed``
delivered to a partner's endpoint, the receipt emailed with its PDF; the same notification again, a forged one and a
stale one change nothing more."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.core import mail
from pypdf import PdfReader

from core.audit import SYSTEM
from core.models import OutboxEvent
from integrations import services as integration_services
from integrations import tasks as webhook_tasks
from payments.models import Payment, PaymentStatus
from registrations.models import RegistrationStatus
from tests.integrations.conftest import serve
from tests.integrations.helpers import verify
from tests.payments.test_stripe import WHSEC, connection, create, stripe_fake

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["connection", "stripe_fake"]  # the Stripe tests' fixtures: the fake Stripe and a Stripe connection of ``org``


def test_the_signed_notification_reaches_the_live_server_over_a_socket(
    live_server: Any, client_owner: Any, org: Any, ticket: Any, connection: Any, stripe_fake: Any, eager: None, settings: Any
) -> None:
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    receiver, server = serve()
    try:
        _, secret = integration_services.subscription_create(
            actor=SYSTEM, organization=org, data={"event_types": ["payment.completed"], "url": receiver.url}
        )
        body = create(client_owner, ticket, "ada@example.com", "bob@example.com").json()
        intent = stripe_fake.confirm(body["providerReference"])  # Stripe.js confirming with a test card
        event = stripe_fake.event("payment_intent.succeeded", intent)
        url = f"{live_server.url}/hooks/{connection.pk}"

        answer = stripe_fake.send_webhook(url, event, WHSEC)  # Stripe's POST, over TCP to the running server
        assert answer.status_code == 200 and answer.json() == {"received": True}
        payment = Payment.objects.get(pk=body["id"])
        assert payment.status == PaymentStatus.SUCCEEDED and payment.payment_method == "visa •••• 4242"
        assert {r.status for r in payment.registrations.all()} == {RegistrationStatus.CONFIRMED}
        # The intent was fetched from Stripe (the notification is a trigger, not the truth).
        assert stripe_fake.calls("GET", f"/v1/payment_intents/{intent['id']}")

        webhook_tasks.sweep()  # anything the after-commit dispatch left
        [delivered] = [verify(secret, r) for r in receiver.requests]
        assert delivered["event"] == "payment.completed" and delivered["data"]["id"] == str(payment.pk)
        [message] = mail.outbox
        [pdf] = [content for _, content, mime in message.attachments if mime == "application/pdf"]
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert payment.invoice.number in text

        again = stripe_fake.send_webhook(url, event, WHSEC)  # Stripe retries: stored once, nothing happens twice
        assert again.status_code == 200 and again.json()["duplicate"] is True
        forged = stripe_fake.send_webhook(url, stripe_fake.event("charge.refunded", intent), "whsec_forged")
        stale = stripe_fake.send_webhook(url, stripe_fake.event("charge.refunded", intent), WHSEC, at=time.time() - 600)
        assert forged.status_code == 400 and stale.status_code == 400
        assert OutboxEvent.objects.filter(event_type="payment.completed").count() == 1
        assert len(mail.outbox) == 1 and len(receiver.requests) == 1
    finally:
        server.shutdown()
        server.server_close()
