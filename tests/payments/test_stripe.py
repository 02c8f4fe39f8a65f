"""Stripe end to end against the local fake Stripe (tests/fakes/stripe.py) over real HTTP: PaymentIntents from the
API, signed notifications through the connector intake, refunds as connector jobs, disputes, reconciliation, the
faults (Stripe down for an hour, duplicates and disorder, forged and stale signatures, a refund's lost answer)
and tenancy by connection."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from pypdf import PdfReader

from connectors import jobs
from connectors import services as connector_services
from connectors.models import CallLog, CircuitState, Connection, ConnectorJob, InboundEvent
from core.audit import SYSTEM
from core.models import OutboxEvent
from integrations import services as integration_services
from payments import reconcile, services
from payments.models import Dispute, Payment, PaymentStatus, Refund, RefundStatus, VendorReference
from payments.providers.stripe import from_minor, to_minor
from registrations.models import RegistrationStatus
from tests.conftest import error_of
from tests.connectors.conftest import Clock
from tests.fakes.stripe import StripeFake
from tests.integrations.conftest import serve
from tests.integrations.helpers import verify
from tests.payments.factories import paid_event, paid_ticket, pending_order

pytestmark = pytest.mark.django_db
WHSEC = "whsec_stripetestsecret"
PAY = "/api/v1/payments"


@pytest.fixture
def stripe_fake(settings: Any) -> Iterator[StripeFake]:
    fake = StripeFake().start()
    settings.STRIPE_API_BASE = fake.url
    yield fake
    fake.stop()


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Clock:
    from connectors import clock

    c = Clock()
    monkeypatch.setattr(clock, "now", lambda: c.now)
    monkeypatch.setattr(clock, "sleep", c.sleep)
    return c


def connect(organization: Any) -> Connection:
    return connector_services.connection_create(
        actor=SYSTEM,
        organization=organization,
        kind="payment",
        vendor="stripe",
        mode="test",
        credentials={"secret_key": "sk_test_abc123", "webhook_secret": WHSEC},
        settings={"publishable_key": "pk_test_abc123"},
    )


@pytest.fixture
def connection(org: Any) -> Connection:
    return connect(org)


def create(client: Any, ticket: Any, *emails: str) -> Any:
    registrations = pending_order(SYSTEM, ticket, *emails)
    return client.post(PAY, {"registrationIds": [str(r.pk) for r in registrations], "provider": "stripe"}, format="json")


def notify(client: Any, fake: StripeFake, connection: Connection, event_type: str, obj: dict[str, Any], **kw: Any) -> Any:
    """Stripe posting a signed event to the connection's endpoint (the worker runs on commit: ``eager``)."""
    import json

    from tests.fakes.stripe import sign

    event = kw.pop("event", None) or fake.event(event_type, obj)
    body = json.dumps(event).encode()
    header = kw.get("signature") or sign(kw.get("secret", WHSEC), body, kw.get("at"))
    return client.post(f"/hooks/{connection.pk}", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def test_minor_units_and_zero_decimal_currencies() -> None:
    assert to_minor(Decimal("25.00"), "EUR") == 2500 and to_minor(Decimal("1500.00"), "JPY") == 1500
    assert from_minor(2500, "eur") == Decimal("25.00") and from_minor(1500, "JPY") == Decimal("1500.00")


def test_the_api_creates_a_payment_intent_and_returns_what_stripe_js_needs(client_owner, ticket, connection, stripe_fake):
    response = create(client_owner, ticket, "ada@example.com", "bob@example.com")
    assert response.status_code == 201, response.content
    body = response.json()
    [intent] = stripe_fake.intents.values()
    checkout = body["checkout"]
    assert checkout["providerPaymentId"] == intent["id"] == body["providerReference"]
    assert checkout["clientSecret"] == intent["client_secret"] and checkout["publishableKey"] == "pk_test_abc123"
    assert checkout["checkoutUrl"].startswith("http://testserver/pay/")
    assert body["connectionId"] == str(connection.pk) and body["status"] == "requires_payment"
    [request] = stripe_fake.calls("POST", "/v1/payment_intents")
    form = request.form()
    assert form["amount"] == "5000" and form["currency"] == "eur"
    assert form["automatic_payment_methods[enabled]"] == "true"
    assert form["metadata[payment_id]"] == body["id"]
    assert set(form["metadata[registration_ids]"].split(",")) == set(body["registrationIds"])
    assert request.header("Idempotency-Key") == f"payment-{body['id']}-checkout"
    assert request.header("Authorization") == "Bearer sk_test_abc123"
    log = CallLog.objects.get(connection=connection, operation="payment_intents.create")
    assert log.vendor_request_id.startswith("req_") and log.idempotency_key == f"payment-{body['id']}-checkout"
    assert VendorReference.objects.get(value=intent["id"]).payment_id == Payment.objects.get().pk
    # Asking again returns the same intent (retrieved, not created).
    again = client_owner.get(f"{PAY}/{body['id']}/checkout").json()
    assert again["checkout"]["clientSecret"] == intent["client_secret"] and len(stripe_fake.intents) == 1


def test_zero_decimal_currency_is_sent_in_yen(client_owner, org, connection, stripe_fake):
    event = paid_event(org, title="Tokyo", currency="JPY")
    ticket = paid_ticket(event, price="1500.00", tax_rate="10.00", currency="JPY")
    assert create(client_owner, ticket).status_code == 201
    [intent] = stripe_fake.intents.values()
    assert (intent["amount"], intent["currency"]) == (1500, "jpy")


def test_stripe_needs_a_connection(client_owner, ticket, stripe_fake):
    response = create(client_owner, ticket)
    assert response.status_code == 409 or response.status_code == 400
    assert error_of(response)["code"] == "CONNECTION_NOT_CONFIGURED"
    assert not stripe_fake.intents and not Payment.objects.exists()


def test_paid_at_stripe_then_notified_confirms_delivers_and_sends_the_receipt(
    client, client_owner, org, ticket, connection, stripe_fake, eager, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    receiver, server = serve()
    try:
        _, secret = integration_services.subscription_create(
            actor=SYSTEM, organization=org, data={"event_types": ["payment.completed"], "url": receiver.url}
        )
        body = create(client_owner, ticket, "ada@example.com", "bob@example.com").json()
        intent = stripe_fake.confirm(body["providerReference"])  # Stripe.js confirming with a test card
        with django_capture_on_commit_callbacks(execute=True):
            assert notify(client, stripe_fake, connection, "payment_intent.succeeded", intent).status_code == 200
        payment = Payment.objects.get(pk=body["id"])
        assert payment.status == PaymentStatus.SUCCEEDED and payment.payment_method == "visa •••• 4242"
        assert {r.status for r in payment.registrations.all()} == {RegistrationStatus.CONFIRMED}
        [request] = receiver.requests
        delivered = verify(secret, request)
        assert delivered["event"] == "payment.completed" and delivered["data"]["id"] == str(payment.pk)
        [message] = mail.outbox
        [(name, pdf, _)] = [a for a in message.attachments if a[2] == "application/pdf"]
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert payment.invoice.number in text and name == f"{payment.invoice.number}.pdf"
        assert InboundEvent.objects.get(connection=connection).status == "processed"
    finally:
        server.shutdown()
        server.server_close()


def test_five_duplicates_and_disorder_are_processed_once(
    client, client_owner, ticket, connection, stripe_fake, eager, django_capture_on_commit_callbacks
):
    body = create(client_owner, ticket).json()
    intent_id = body["providerReference"]
    processing = stripe_fake.event("payment_intent.processing", dict(stripe_fake.intents[intent_id], status="processing"))
    stripe_fake.confirm(intent_id)
    succeeded = stripe_fake.event("payment_intent.succeeded", stripe_fake.intents[intent_id])
    with django_capture_on_commit_callbacks(execute=True):
        for event in (succeeded, succeeded, processing, succeeded, succeeded, processing, succeeded):
            assert notify(client, stripe_fake, connection, "", {}, event=event).status_code == 200
    payment = Payment.objects.get(pk=body["id"])
    assert payment.status == PaymentStatus.SUCCEEDED
    assert OutboxEvent.objects.filter(event_type="payment.completed").count() == 1
    assert OutboxEvent.objects.filter(event_type="registration.confirmed").count() == 1
    assert InboundEvent.objects.filter(connection=connection).count() == 2
    assert InboundEvent.objects.get(vendor_event_id=succeeded["id"]).deliveries == 5


def test_a_decline_fails_the_payment(
    client, client_owner, ticket, connection, stripe_fake, eager, django_capture_on_commit_callbacks
):
    body = create(client_owner, ticket).json()
    intent = stripe_fake.confirm(body["providerReference"], "pm_card_chargeDeclined")
    with django_capture_on_commit_callbacks(execute=True):
        notify(client, stripe_fake, connection, "payment_intent.payment_failed", intent)
    payment = Payment.objects.get(pk=body["id"])
    assert payment.status == PaymentStatus.FAILED and payment.failure_code == "generic_decline"
    assert OutboxEvent.objects.filter(event_type="payment.failed").count() == 1


def test_forged_and_stale_signatures_are_refused_and_change_nothing(client, client_owner, ticket, connection, stripe_fake):
    body = create(client_owner, ticket).json()
    intent = stripe_fake.confirm(body["providerReference"])
    assert notify(client, stripe_fake, connection, "payment_intent.succeeded", intent, secret="whsec_forged").status_code == 400
    assert notify(client, stripe_fake, connection, "payment_intent.succeeded", intent, at=time.time() - 600).status_code == 400
    assert notify(client, stripe_fake, connection, "payment_intent.succeeded", intent, signature="t=1,v1=00").status_code == 400
    assert not InboundEvent.objects.exists()
    assert Payment.objects.get(pk=body["id"]).status == PaymentStatus.REQUIRES_PAYMENT


def test_a_refund_whose_answer_timed_out_is_retried_and_refunds_once(
    client_owner, ticket, connection, stripe_fake, settings, frozen, django_capture_on_commit_callbacks
):
    body = create(client_owner, ticket, "ada@example.com", "bob@example.com").json()
    stripe_fake.confirm(body["providerReference"])
    services.payment_reconcile(payment=Payment.objects.get(pk=body["id"]))
    with django_capture_on_commit_callbacks(execute=False):  # the worker runs it below
        response = client_owner.post(f"{PAY}/{body['id']}/refund", {"amount": "20.00", "reason": "Cancelled"}, format="json")
    assert response.status_code == 201, response.content
    [refund] = response.json()["refunds"]
    assert refund["status"] == "pending"
    job = ConnectorJob.objects.get(idempotency_key=f"refund-{refund['id']}")
    settings.CONNECTOR_READ_TIMEOUT_SECONDS = 0.3
    stripe_fake.delay = 0.6
    assert jobs.run(job.pk) == "pending"  # Stripe refunded, its answer was lost
    stripe_fake.delay = 0
    frozen.advance(600)
    assert jobs.run(job.pk) == "succeeded"
    assert len(stripe_fake.refunds) == 1 and len(stripe_fake.calls("POST", "/v1/refunds")) >= 2
    keys = {r.header("Idempotency-Key") for r in stripe_fake.calls("POST", "/v1/refunds")}
    assert keys == {f"refund-{refund['id']}"}
    payment = Payment.objects.get(pk=body["id"])
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and payment.refunded_amount == Decimal("20.00")
    assert Refund.objects.get().status == RefundStatus.SUCCEEDED
    assert OutboxEvent.objects.filter(event_type="payment.refunded").count() == 1


def test_a_refund_made_at_stripe_and_a_dispute_arrive_by_notification(
    client, client_owner, ticket, connection, stripe_fake, eager, django_capture_on_commit_callbacks
):
    body = create(client_owner, ticket).json()
    intent = stripe_fake.confirm(body["providerReference"])
    dispute = stripe_fake.dispute(intent["id"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(client, stripe_fake, connection, "payment_intent.succeeded", intent)
        notify(client, stripe_fake, connection, "charge.dispute.created", dispute)
    shown = client_owner.get(f"{PAY}/{body['id']}").json()
    assert [(d["status"], d["reason"], d["amount"]) for d in shown["disputes"]] == [("open", "fraudulent", "25.00")]
    stripe_fake.dispute(intent["id"], status="lost")
    with django_capture_on_commit_callbacks(execute=True):
        notify(client, stripe_fake, connection, "charge.dispute.closed", dispute)
    assert Dispute.objects.get().status == "lost"


def test_stripe_down_for_an_hour_opens_the_circuit_and_reconciliation_finishes_once(
    client, client_owner, ticket, connection, stripe_fake, frozen, settings
):
    with stripe_fake.down():
        response = create(client_owner, ticket)
        assert response.status_code == 201 and response.json()["checkout"] is None  # recorded; Stripe not reached
        payment = Payment.objects.get()
        for _ in range(12):  # an hour, the reconciliation job every five minutes
            frozen.advance(300)
            for payment_id in reconcile.payments_due(now=frozen.now):
                reconcile.reconcile_one(str(payment_id))
        connection.refresh_from_db()
        assert connection.circuit_state == CircuitState.OPEN
        payment.refresh_from_db()
        assert payment.provider_reference == "" and payment.status == PaymentStatus.REQUIRES_PAYMENT
    frozen.advance(settings.CONNECTOR_BREAKER_COOLDOWN_SECONDS + settings.PAYMENT_RECONCILE_AFTER_SECONDS + 1)
    assert reconcile.reconcile_one(str(payment.pk)) == PaymentStatus.REQUIRES_PAYMENT
    [intent] = stripe_fake.intents.values()
    stripe_fake.confirm(intent["id"])
    frozen.advance(settings.PAYMENT_RECONCILE_AFTER_SECONDS + 1)
    assert payment.pk in reconcile.payments_due(now=frozen.now)
    assert reconcile.reconcile_one(str(payment.pk)) == PaymentStatus.SUCCEEDED
    assert reconcile.reconcile_one(str(payment.pk)) == PaymentStatus.SUCCEEDED
    assert len(stripe_fake.intents) == 1 and len(stripe_fake.charges) == 1
    assert OutboxEvent.objects.filter(event_type="payment.completed").count() == 1


def test_a_notification_never_reaches_another_organizations_payment(
    client, client_owner, ticket, other_org, connection, stripe_fake, eager, django_capture_on_commit_callbacks, api, member
):
    body = create(client_owner, ticket).json()
    intent = stripe_fake.confirm(body["providerReference"])
    foreign = connect(other_org)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(client, stripe_fake, foreign, "payment_intent.succeeded", intent).status_code == 200
    assert InboundEvent.objects.get(connection=foreign).status == "ignored"
    assert Payment.objects.get(pk=body["id"]).status == PaymentStatus.REQUIRES_PAYMENT
    outsider = api(member(organization=other_org))
    assert outsider.get(f"{PAY}/{body['id']}/checkout").status_code == 404
    assert outsider.get(f"{PAY}/{body['id']}").status_code == 404


def test_the_hosted_checkout_page_allows_only_stripes_origins(client, client_owner, ticket, connection, stripe_fake):
    body = create(client_owner, ticket).json()
    page = client.get(body["checkout"]["checkoutUrl"].replace("http://testserver", ""))
    assert page.status_code == 200
    policy = page["Content-Security-Policy"]
    assert "script-src 'self' https://js.stripe.com https://*.js.stripe.com" in policy
    assert "frame-src 'self' https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com" in policy
    assert "connect-src 'self' https://api.stripe.com" in policy
    html = page.content.decode()
    assert f'data-client-secret="{stripe_fake.intents[body["providerReference"]]["client_secret"]}"' in html
    assert 'data-publishable-key="pk_test_abc123"' in html
    assert client.get("/pay/forged-token").status_code == 404


# -- authorize, then capture (capture_method=manual) -----------------------------------------------------
def create_manual(client: Any, ticket: Any) -> dict[str, Any]:
    registrations = pending_order(SYSTEM, ticket, "ada@example.com")
    response = client.post(
        PAY,
        {"registrationIds": [str(r.pk) for r in registrations], "provider": "stripe", "captureMethod": "manual"},
        format="json",
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_an_authorized_intent_is_captured_by_a_job_once_even_after_a_lost_answer(
    client, client_owner, ticket, connection, stripe_fake, settings, frozen, eager, django_capture_on_commit_callbacks
):
    body = create_manual(client_owner, ticket)
    assert body["captureMethod"] == "manual"
    assert stripe_fake.calls("POST", "/v1/payment_intents")[0].form()["capture_method"] == "manual"
    intent = stripe_fake.confirm(body["providerReference"])  # Stripe.js: the card is authorized, not charged
    assert intent["status"] == "requires_capture"
    settings.CONNECTOR_READ_TIMEOUT_SECONDS = 0.3
    stripe_fake.slow_path, stripe_fake.slow_seconds = r"/v1/payment_intents/[^/]+/capture", 0.6  # captured; answer lost
    with django_capture_on_commit_callbacks(execute=True):
        answer = notify(client, stripe_fake, connection, "payment_intent.amount_capturable_updated", intent)
    assert answer.status_code == 200
    payment = Payment.objects.get(pk=body["id"])
    assert payment.status == PaymentStatus.PROCESSING and payment.provider_status == "authorized"
    job = ConnectorJob.objects.get(idempotency_key=f"payment-{payment.pk}-capture")
    assert job.operation == "payments.capture" and job.status == "pending"
    assert stripe_fake.captured == [intent["id"]]  # Stripe took the money; the platform does not know yet
    assert not OutboxEvent.objects.filter(event_type="payment.completed").exists()
    stripe_fake.slow_path = ""
    frozen.advance(600)
    assert jobs.run(job.pk) == "succeeded"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.payment_method == "visa •••• 4242"
    assert {r.status for r in payment.registrations.all()} == {RegistrationStatus.CONFIRMED}
    assert stripe_fake.captured == [intent["id"]]
    posts = stripe_fake.calls("POST", r"/v1/payment_intents/[^/]+/capture")
    assert len(posts) >= 2 and {p.header("Idempotency-Key") for p in posts} == {f"payment-{payment.pk}-capture"}
    assert OutboxEvent.objects.filter(event_type="payment.completed").count() == 1
    # Stripe's payment_intent.succeeded arriving afterwards changes nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        notify(client, stripe_fake, connection, "payment_intent.succeeded", stripe_fake.intents[intent["id"]])
    assert OutboxEvent.objects.filter(event_type="payment.completed").count() == 1 and len(stripe_fake.captured) == 1


def test_the_reconciliation_captures_an_authorized_intent_whose_notification_was_lost(
    client_owner, ticket, connection, stripe_fake, settings, frozen, eager
):
    body = create_manual(client_owner, ticket)
    stripe_fake.confirm(body["providerReference"])
    # The payment's created_at is the database's real time, the clock froze when the fixture was set up: a minute's
    # margin so a slow setup on a loaded machine does not leave the payment short of stale.
    frozen.advance(settings.PAYMENT_RECONCILE_AFTER_SECONDS + 60)
    assert reconcile.payments_due(now=frozen.now) == [Payment.objects.get().pk]
    assert reconcile.reconcile_one(body["id"]) == PaymentStatus.SUCCEEDED
    assert reconcile.reconcile_one(body["id"]) == PaymentStatus.SUCCEEDED
    assert stripe_fake.captured == [body["providerReference"]]
    assert ConnectorJob.objects.get(operation="payments.capture").status == "succeeded"
    assert OutboxEvent.objects.filter(event_type="payment.completed").count() == 1
