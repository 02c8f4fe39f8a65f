"""PayPal end to end through the fake PayPal over real HTTP: order -> approve -> capture -> registration confirmed ->
payment.completed delivered; the IPN path; forged notifications; duplicates and disorder; refunds; an outage."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests
from django.conf import settings
from django.core import mail
from pypdf import PdfReader

from connectors import tasks
from connectors.models import CircuitState, Connection, InboundEvent
from core.audit import SYSTEM
from core.models import AuditEntry, OutboxEvent
from integrations import services as webhook_services
from integrations import tasks as webhook_tasks
from payments import paypal as flow
from payments import services as payment_services
from payments.models import Invoice, Payment, PaymentStatus
from payments.providers import paypal
from registrations.models import RegistrationStatus
from tests.connectors.conftest import Clock
from tests.fakes.paypal import PayPalFake
from tests.integrations.conftest import Receiver, serve
from tests.integrations.helpers import verify
from tests.payments.factories import pending_order
from tests.payments.paypal.conftest import hook

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    state, server = serve()
    yield state
    server.shutdown()
    server.server_close()


def _follow(client: Any, url: str) -> Any:
    """The buyer's browser coming back from PayPal to the platform's page."""
    path = url.split("://", 1)[-1].split("/", 1)[1]
    return client.get("/" + path)


@pytest.fixture
def buy(owner: Any, ticket: Any, connection: Connection) -> Any:
    """buy(*emails, capture=True) -> (payment, approval URL): a PayPal payment of pending registrations, its order open."""

    def make(*emails: str, capture: bool = True) -> tuple[Payment, str]:
        regs = pending_order(owner, ticket, *(emails or ("ada@example.com",)))
        payment = payment_services.payment_create(actor=owner, registrations=regs, provider="paypal")
        url = flow.checkout(actor=owner, payment=payment, capture=capture)
        payment.refresh_from_db()
        return payment, url

    return make


def _approve(fake: PayPalFake, url: str) -> str:
    """The buyer approves at PayPal's page; the URL PayPal redirects them back to."""
    answer = requests.get(url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    return str(answer.headers["Location"])


def _capture_at_paypal(fake: PayPalFake, connection: Connection, payment: Payment) -> str:
    """The platform's capture reached PayPal but its answer was lost: PayPal has the money, the platform does not know."""
    fake.approve(payment.provider_reference)
    order = paypal.order_capture(connection, payment.provider_reference, key=flow.capture_key(payment.provider_reference))
    return str(order["purchase_units"][0]["payments"]["captures"][0]["id"])


def _confirmed_once(payment: Payment) -> None:
    payment.refresh_from_db()
    assert payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)
    assert payment.succeeded_at is not None
    for item in payment.items.select_related("registration"):
        assert item.registration.status == RegistrationStatus.CONFIRMED
        assert AuditEntry.objects.filter(action="registration.confirmed", object_id=str(item.registration_id)).count() == 1
    assert Invoice.objects.filter(payment=payment).count() == 1
    assert OutboxEvent.objects.filter(event_type="payment.completed").count() == 1


def test_order_approve_capture_confirms_delivers_the_webhook_and_emails_the_receipt(
    client: Any, fake: PayPalFake, buy: Any, org: Any, receiver: Receiver, eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    _, secret = webhook_services.subscription_create(
        actor=SYSTEM, organization=org, data={"event_types": ["payment.completed"], "url": receiver.url}
    )
    payment, url = buy("ada@example.com", "bob@example.com")
    assert url.startswith(f"{fake.url}/checkoutnow?token={payment.provider_reference}")
    sent = fake.calls("POST", "/v2/checkout/orders")[0].json()
    assert sent["intent"] == "CAPTURE" and sent["purchase_units"][0]["amount"] == {"currency_code": "EUR", "value": "50.00"}
    back = _approve(fake, url)
    assert back.startswith(f"{settings.SITE_URL}/pay/paypal/{payment.pk}/return?token={payment.provider_reference}")
    with django_capture_on_commit_callbacks(execute=True):
        page = _follow(client, back)
    assert page.status_code == 200 and b"Payment received" in page.content
    _confirmed_once(payment)
    assert len(fake.captures) == 1 and fake.calls("POST", r"/v2/checkout/orders/.*/capture")[0].header("PayPal-Request-Id")
    webhook_tasks.sweep()
    delivered = [verify(secret, r) for r in receiver.requests]
    assert [d["event"] for d in delivered] == ["payment.completed"]
    assert delivered[0]["data"]["id"] == str(payment.pk) and delivered[0]["data"]["amount"] == "50.00"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.com"]
    pdfs = [body for _, body, mime in mail.outbox[0].attachments if mime == "application/pdf"]
    assert len(pdfs) == 1
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdfs[0])).pages)
    assert "50.00 EUR" in text and Invoice.objects.get(payment=payment).number in text
    # the buyer reloads the return page: nothing more happens
    assert b"Payment received" in _follow(client, back).content
    assert len(fake.captures) == 1 and len(mail.outbox) == 1


def test_authorize_then_capture(client: Any, fake: PayPalFake, buy: Any) -> None:
    payment, url = buy(capture=False)
    assert fake.orders[payment.provider_reference]["intent"] == "AUTHORIZE"
    page = _follow(client, _approve(fake, url))
    assert b"Payment received" in page.content
    assert [a["status"] for a in fake.authorizations.values()] == ["CAPTURED"]
    _confirmed_once(payment)
    assert set(payment.references.values_list("kind", flat=True)) == {"order", "authorization", "capture"}


def test_the_buyer_cancels_at_paypal(client: Any, fake: PayPalFake, buy: Any) -> None:
    payment, url = buy()
    back = requests.get(url + "&cancel=1", allow_redirects=False, timeout=5).headers["Location"]
    page = _follow(client, back)
    assert page.status_code == 200 and b"Payment cancelled" in page.content
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.failure_code == "paypal_canceled_by_buyer"
    assert not fake.captures
    assert all(i.registration.status == RegistrationStatus.PENDING_PAYMENT for i in payment.items.select_related("registration"))


def test_a_return_with_another_order_is_not_found(client: Any, fake: PayPalFake, buy: Any) -> None:
    payment, _ = buy()
    other, _ = buy("bob@example.com")
    assert client.get(f"/pay/paypal/{payment.pk}/return?token={other.provider_reference}").status_code == 404
    assert client.get(f"/pay/paypal/{payment.pk}/return").status_code == 404
    assert not fake.calls("POST", r"/v2/checkout/orders/.*/capture")


def test_an_ipn_completes_a_payment_whose_capture_answer_was_lost(
    client: Any, fake: PayPalFake, buy: Any, connection: Connection, org: Any, receiver: Receiver, eager: None,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    """The IPN path end to end: verified by postback -> registration confirmed -> payment.completed delivered to a
    partner's endpoint -> the receipt email with a PDF that parses."""
    _, secret = webhook_services.subscription_create(
        actor=SYSTEM, organization=org, data={"event_types": ["payment.completed"], "url": receiver.url}
    )
    payment, _ = buy()
    capture_id = _capture_at_paypal(fake, connection, payment)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT
    body = fake.ipn(txn_id=capture_id, mc_gross="25.00", mc_currency="EUR", invoice=str(payment.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert hook(client, connection, body, {}, channel="ipn").status_code == 200
    assert InboundEvent.objects.get().status == "processed"
    assert fake.calls("POST", "/cgi-bin/webscr")[0].body == b"cmd=_notify-validate&" + body
    _confirmed_once(payment)
    webhook_tasks.sweep()
    [delivered] = [verify(secret, r) for r in receiver.requests]
    assert delivered["event"] == "payment.completed" and delivered["data"]["id"] == str(payment.pk)
    assert len(mail.outbox) == 1
    [pdf] = [content for _, content, mime in mail.outbox[0].attachments if mime == "application/pdf"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "25.00 EUR" in text and Invoice.objects.get(payment=payment).number in text


def test_forged_notifications_change_nothing(
    client: Any, fake: PayPalFake, buy: Any, connection: Connection, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    payment, _ = buy()
    capture_id = _capture_at_paypal(fake, connection, payment)
    body, headers = fake.notify("PAYMENT.CAPTURE.COMPLETED", fake.captures[capture_id])
    forged = json.loads(body)
    forged["id"] = "WH-FORGED"
    with django_capture_on_commit_callbacks(execute=True):
        assert hook(client, connection, json.dumps(forged).encode(), headers).status_code == 400
        ipn = fake.ipn(txn_id=capture_id, mc_gross="25.00").replace(b"Completed", b"Refunded")
        assert hook(client, connection, ipn, {}, channel="ipn").status_code == 400
    assert not InboundEvent.objects.exists()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT and not Invoice.objects.exists()


def test_the_same_webhook_five_times_and_out_of_order_is_processed_once(
    client: Any, fake: PayPalFake, buy: Any, connection: Connection, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    payment, _ = buy()
    order_id = payment.provider_reference
    capture_id = _capture_at_paypal(fake, connection, payment)
    approved = fake.notify("CHECKOUT.ORDER.APPROVED", fake.render_order(fake.orders[order_id]))
    completed = fake.notify("PAYMENT.CAPTURE.COMPLETED", fake.captures[capture_id])
    refund = paypal.capture_refund(connection, capture_id, key="at-paypal-1", amount=Decimal("10"), currency="EUR")
    refunded = fake.notify("PAYMENT.CAPTURE.REFUNDED", fake.refunds[refund["id"]])
    with django_capture_on_commit_callbacks(execute=True):
        for body, headers in [refunded, completed, completed, approved, completed, completed, completed, refunded]:
            assert hook(client, connection, body, headers).status_code == 200
    assert InboundEvent.objects.count() == 3
    assert sorted(InboundEvent.objects.values_list("deliveries", flat=True)) == [1, 2, 5]
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {"processed"}
    _confirmed_once(payment)
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("10.00") and payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert OutboxEvent.objects.filter(event_type="payment.refunded").count() == 1
    assert len(fake.captures) == 1 and len(fake.refunds) == 1


def test_refunds_full_and_partial_go_to_paypal_once_even_after_a_timeout(
    client: Any, fake: PayPalFake, buy: Any, owner: Any, settings: Any, frozen: Clock,
    django_capture_on_commit_callbacks: Any, eager: None,
) -> None:  # fmt: skip
    payment, url = buy()
    _follow(client, _approve(fake, url))
    payment.refresh_from_db()
    settings.CONNECTOR_READ_TIMEOUT_SECONDS = 0.3
    fake.slow_path, fake.slow_seconds = r"/v2/payments/captures/.*/refund", 0.6  # PayPal refunds; the answer comes too late
    with django_capture_on_commit_callbacks(execute=True):
        refund = payment_services.payment_refund(actor=owner, payment=payment, reason="Changed plans", amount=Decimal("10"))
    refund.refresh_from_db()
    assert refund.status == "pending" and len(fake.refunds) == 1
    fake.slow_path = ""
    frozen.advance(3600)
    tasks.sweep()
    refund.refresh_from_db()
    payment.refresh_from_db()
    assert refund.status == "succeeded" and len(fake.refunds) == 1
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and payment.refunded_amount == Decimal("10.00")
    sent = fake.calls("POST", r"/v2/payments/captures/.*/refund")
    assert len({r.header("PayPal-Request-Id") for r in sent}) == 1 and len(sent) >= 2
    with django_capture_on_commit_callbacks(execute=True):
        rest = payment_services.payment_refund(actor=owner, payment=payment, reason="Event cancelled")
    rest.refresh_from_db()
    payment.refresh_from_db()
    assert rest.status == "succeeded" and rest.amount == Decimal("15.00")
    assert payment.status == PaymentStatus.REFUNDED and len(fake.refunds) == 2
    capture = next(iter(fake.captures.values()))
    assert capture["status"] == "REFUNDED"
    assert {r["custom_id"] for r in fake.refunds.values()} == {str(refund.pk), str(rest.pk)}


def test_paypal_down_for_an_hour_then_the_capture_completes_once(
    client: Any, fake: PayPalFake, buy: Any, connection: Connection, settings: Any, frozen: Clock, eager: None,
) -> None:  # fmt: skip
    """The buyer returns while PayPal is unreachable; the capture job's message is lost (no commit hooks run here),
    so only the sweep (every minute) runs it."""
    settings.CONNECTOR_BREAKER_FAILURES = 3
    payment, url = buy()
    back = _approve(fake, url)
    approved = fake.notify("CHECKOUT.ORDER.APPROVED", fake.render_order(fake.orders[payment.provider_reference]))
    with fake.down():
        page = _follow(client, back)  # the buyer comes back while PayPal is unreachable
        assert page.status_code == 200 and b"Payment being confirmed" in page.content, page.content.decode()[-600:]
        assert hook(client, connection, *approved).status_code == 503  # PayPal will send it again
        for _ in range(60):  # an hour, the sweep every minute
            tasks.sweep()
            frozen.advance(60)
        connection.refresh_from_db()
        assert connection.circuit_state == CircuitState.OPEN
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.REQUIRES_PAYMENT
    assert not fake.captures
    frozen.advance(settings.CONNECTOR_BREAKER_COOLDOWN_SECONDS + 1)
    for _ in range(30):
        tasks.sweep()
        payment.refresh_from_db()
        if payment.status == PaymentStatus.SUCCEEDED:
            break
        frozen.advance(600)
    assert payment.status == PaymentStatus.SUCCEEDED
    assert hook(client, connection, *approved).status_code == 200  # PayPal's retry of the webhook
    for _ in range(3):
        tasks.sweep()
        frozen.advance(120)
    _confirmed_once(payment)
    assert len(fake.captures) == 1
    assert len({r.header("PayPal-Request-Id") for r in fake.calls("POST", r"/v2/checkout/orders/.*/capture")}) == 1
    connection.refresh_from_db()
    assert connection.circuit_state == CircuitState.CLOSED


def test_an_approved_order_whose_webhook_was_lost_is_captured_by_the_reconciliation(
    fake: PayPalFake, buy: Any, connection: Connection, settings: Any, frozen: Clock, eager: None
) -> None:
    """The buyer approved at PayPal but never came back, and PayPal's CHECKOUT.ORDER.APPROVED was lost: the beat job
    asks PayPal, finds the order approved and captures it through the same capture job the return page submits."""
    from payments import tasks as payment_tasks

    payment, _ = buy()
    fake.approve(payment.provider_reference)
    frozen.advance(settings.PAYMENT_RECONCILE_AFTER_SECONDS + 60)  # a minute's margin over created_at's real time
    assert payment_tasks.reconcile_gateways() == 1  # beat's job; eager: the per-payment task runs here
    _confirmed_once(payment)
    assert len(fake.captures) == 1
    [post] = fake.calls("POST", r"/v2/checkout/orders/.*/capture")
    assert post.header("PayPal-Request-Id") == flow.capture_key(payment.provider_reference)
    frozen.advance(settings.PAYMENT_RECONCILE_AFTER_SECONDS + 1)
    assert payment_tasks.reconcile_gateways() == 0  # succeeded: nothing left to ask
    assert len(fake.captures) == 1


def test_a_declined_funding_source_sends_the_buyer_back_to_paypal_then_the_capture_succeeds(
    client: Any, fake: PayPalFake, buy: Any, connection: Connection
) -> None:
    payment, url = buy()
    fake.decline_instrument = 1
    back = _approve(fake, url)
    page = _follow(client, back)
    # PayPal's advice for INSTRUMENT_DECLINED: restart, so the buyer picks another funding source for the same order.
    assert page.status_code == 302 and page["Location"] == url
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT and payment.provider_status == "requires_action"
    assert payment.failure_code == flow.DECLINED_CODE and "another way to pay" in payment.failure_message
    assert not fake.captures and AuditEntry.objects.filter(action="payment.provider_problem").count() == 1
    page = _follow(client, _approve(fake, url))  # approved again with another funding source
    assert page.status_code == 200 and b"Payment received" in page.content
    _confirmed_once(payment)
    assert payment.failure_code == "" and len(fake.captures) == 1
    keys = [r.header("PayPal-Request-Id") for r in fake.calls("POST", r"/v2/checkout/orders/.*/capture")]
    order_key = flow.capture_key(payment.provider_reference)
    assert keys == [order_key, f"{order_key}:1"]  # a new key: PayPal would replay the decline for the first


def test_a_declined_funding_source_without_the_buyer_leaves_the_payment_open_with_the_reason(
    client: Any, fake: PayPalFake, buy: Any, connection: Connection, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    """CHECKOUT.ORDER.APPROVED arrives, the capture is declined on the funding source: nothing is charged, the
    payment stays payable (its registrations pending) with the reason; a duplicate of the webhook captures nothing."""
    payment, _ = buy()
    fake.approve(payment.provider_reference)
    fake.decline_instrument = 1
    approved = fake.notify("CHECKOUT.ORDER.APPROVED", fake.render_order(fake.orders[payment.provider_reference]))
    with django_capture_on_commit_callbacks(execute=True):
        assert hook(client, connection, *approved).status_code == 200
    assert InboundEvent.objects.get().status == "processed"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUIRES_PAYMENT and payment.failure_code == flow.DECLINED_CODE
    assert not fake.captures and not OutboxEvent.objects.filter(event_type__startswith="payment.").exists()
    assert {i.registration.status for i in payment.items.select_related("registration")} == {RegistrationStatus.PENDING_PAYMENT}
