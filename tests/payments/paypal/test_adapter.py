"""The PayPal adapter against the fake PayPal over real HTTP: token caching, idempotency, errors, verification."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from connectors import calls, intake, services
from connectors.models import CallLog, Connection, ConnectionStatus, InboundEvent
from core.audit import SYSTEM
from payments.providers import paypal
from tests.connectors.conftest import Clock
from tests.fakes.paypal import CLIENT_ID, CLIENT_SECRET, WEBHOOK_ID, PayPalFake
from tests.payments.paypal.conftest import hook

pytestmark = pytest.mark.django_db


def _order(connection: Connection, key: str = "order-1", amount: str = "25.00", currency: str = "EUR") -> dict[str, Any]:
    return paypal.order_create(
        connection,
        key=key,
        intent="CAPTURE",
        amount=Decimal(amount),
        currency=currency,
        reference="pay-1",
        description="Acme Summit: Standard",
        return_url="https://platform.example/pay/return",
        cancel_url="https://platform.example/pay/cancel",
    )


def test_amounts_carry_the_currencys_decimals() -> None:
    assert paypal.value(Decimal("25"), "EUR") == "25.00"
    assert paypal.value(Decimal("1500.00"), "JPY") == "1500"
    assert paypal.value(Decimal("10.005"), "usd") == "10.01"
    assert paypal.money(Decimal("999"), "huf") == {"currency_code": "HUF", "value": "999"}


def test_the_token_is_cached_until_it_expires_then_fetched_again(fake: PayPalFake, connection: Connection, frozen: Clock) -> None:
    fake.expires_in = 3600
    for _ in range(3):
        paypal.order_get(connection, _order(connection)["id"])
    assert fake.token_requests() == 1
    token_call = fake.calls("POST", "/v1/oauth2/token")[0]
    assert token_call.header("Authorization").startswith("Basic ") and token_call.form() == {"grant_type": "client_credentials"}
    frozen.advance(3600 - 30)  # within the minute's margin: fetched again before PayPal would refuse it
    paypal.order_get(connection, _order(connection)["id"])
    assert fake.token_requests() == 2
    connection.refresh_from_db()
    assert connection.token_expires_at is not None and connection.token_expires_at > frozen.now
    assert fake.tokens and not any(t in connection.access_token for t in fake.tokens)  # encrypted at rest


def test_a_token_paypal_stopped_accepting_is_replaced_once(fake: PayPalFake, connection: Connection) -> None:
    order = _order(connection)
    fake.revoke_tokens()
    assert paypal.order_get(connection, order["id"])["id"] == order["id"]
    assert fake.token_requests() == 2
    assert CallLog.objects.filter(connection=connection, operation="orders.get", outcome="ok").count() == 1


def test_wrong_client_credentials_mark_the_connection_failing(fake: PayPalFake, org: Any) -> None:
    connection = services.connection_create(
        actor=SYSTEM,
        organization=org,
        kind="payment",
        vendor="paypal",
        mode="test",
        credentials={"client_id": CLIENT_ID, "client_secret": "EFwrong-secret-123", "webhook_id": WEBHOOK_ID},
    )
    result = services.connection_test(actor=SYSTEM, connection=connection)
    assert not result.ok and "invalid_client" in result.message
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.FAILING
    assert "EFwrong-secret-123" not in CallLog.objects.get(connection=connection).error


def test_the_connection_test_fetches_a_token(fake: PayPalFake, connection: Connection) -> None:
    result = services.connection_test(actor=SYSTEM, connection=connection)
    assert result.ok, result.message
    assert fake.token_requests() == 1


def test_an_order_is_created_with_the_documented_body_and_an_approval_link(fake: PayPalFake, connection: Connection) -> None:
    order = _order(connection, amount="1500", currency="JPY")
    sent = fake.calls("POST", "/v2/checkout/orders")[0]
    body = sent.json()
    assert body["intent"] == "CAPTURE"
    assert body["purchase_units"][0]["amount"] == {"currency_code": "JPY", "value": "1500"}
    assert body["purchase_units"][0]["custom_id"] == "pay-1"
    assert body["payment_source"]["paypal"]["experience_context"]["return_url"] == "https://platform.example/pay/return"
    assert sent.header("PayPal-Request-Id") == "order-1" and sent.header("Authorization").startswith("Bearer A21AA")
    assert order["status"] == "PAYER_ACTION_REQUIRED"
    assert paypal.link(order, "payer-action", "approve").startswith(f"{fake.url}/checkoutnow?token=")
    log = CallLog.objects.get(connection=connection, operation="orders.create")
    assert log.idempotency_key == "order-1" and log.vendor_request_id and log.status_code == 201


def test_capture_before_approval_is_refused_with_paypals_issue(fake: PayPalFake, connection: Connection) -> None:
    order = _order(connection)
    with pytest.raises(calls.Rejected) as caught:
        paypal.order_capture(connection, order["id"], key="cap-1")
    assert caught.value.status_code == 422 and caught.value.vendor_code == "ORDER_NOT_APPROVED"
    assert caught.value.vendor_request_id  # the Paypal-Debug-Id PayPal's support asks for


def test_the_same_request_id_captures_once(fake: PayPalFake, connection: Connection) -> None:
    order = _order(connection)
    fake.approve(order["id"])
    first = paypal.order_capture(connection, order["id"], key="cap-1")
    again = paypal.order_capture(connection, order["id"], key="cap-1")
    assert first == again and first["status"] == "COMPLETED"
    assert len(fake.captures) == 1
    with pytest.raises(calls.Rejected) as caught:
        paypal.order_capture(connection, order["id"], key="cap-2")
    assert caught.value.vendor_code == "ORDER_ALREADY_CAPTURED"


def test_authorize_then_capture(fake: PayPalFake, connection: Connection) -> None:
    order = paypal.order_create(
        connection,
        key="o-auth",
        intent="AUTHORIZE",
        amount=Decimal("40"),
        currency="USD",
        reference="pay-2",
        description="x",
        return_url="https://r.example/",
        cancel_url="https://c.example/",
    )
    fake.approve(order["id"])
    authorized = paypal.order_authorize(connection, order["id"], key="auth-1")
    authorization = authorized["purchase_units"][0]["payments"]["authorizations"][0]
    assert authorization["status"] == "CREATED"
    capture = paypal.authorization_capture(connection, authorization["id"], key="auth-cap-1", invoice_id="pay-2")
    assert capture["status"] == "COMPLETED" and capture["amount"] == {"currency_code": "USD", "value": "40.00"}
    assert paypal.authorization_get(connection, authorization["id"])["status"] == "CAPTURED"


def test_refunds_partial_then_the_rest_and_never_more(fake: PayPalFake, connection: Connection) -> None:
    order = _order(connection)
    fake.approve(order["id"])
    capture_id = paypal.order_capture(connection, order["id"], key="cap")["purchase_units"][0]["payments"]["captures"][0]["id"]
    partial = paypal.capture_refund(connection, capture_id, key="r1", amount=Decimal("10"), currency="EUR")
    assert partial["amount"] == {"currency_code": "EUR", "value": "10.00"}
    assert paypal.capture_get(connection, capture_id)["status"] == "PARTIALLY_REFUNDED"
    with pytest.raises(calls.Rejected) as caught:
        paypal.capture_refund(connection, capture_id, key="r2", amount=Decimal("15.01"), currency="EUR")
    assert caught.value.vendor_code == "REFUND_AMOUNT_EXCEEDED"
    rest = paypal.capture_refund(connection, capture_id, key="r3", amount=None, currency="EUR")
    assert rest["amount"]["value"] == "15.00"
    assert paypal.capture_get(connection, capture_id)["status"] == "REFUNDED"
    assert paypal.refund_get(connection, rest["id"])["status"] == "COMPLETED"


def test_a_refund_retried_after_a_timeout_refunds_once(fake: PayPalFake, connection: Connection, settings: Any) -> None:
    order = _order(connection)
    fake.approve(order["id"])
    capture_id = paypal.order_capture(connection, order["id"], key="cap")["purchase_units"][0]["payments"]["captures"][0]["id"]
    settings.CONNECTOR_READ_TIMEOUT_SECONDS = 0.3
    fake.delay = 0.6  # PayPal refunds, but the answer comes too late: every attempt times out
    with pytest.raises(calls.Unavailable):
        paypal.capture_refund(connection, capture_id, key="refund-1", amount=Decimal("5"), currency="EUR")
    fake.delay = 0
    refund = paypal.capture_refund(connection, capture_id, key="refund-1", amount=Decimal("5"), currency="EUR")
    assert len(fake.refunds) == 1 and refund["id"] in fake.refunds
    assert len(fake.calls("POST", r"/v2/payments/captures/.*/refund")) >= 2
    assert fake.captures[capture_id]["status"] == "PARTIALLY_REFUNDED"


def test_server_errors_are_retried_with_the_same_request_id(fake: PayPalFake, connection: Connection) -> None:
    paypal.token(connection)
    fake.fail_next(503, 500)
    order = _order(connection, key="order-retry")
    assert order["status"] == "PAYER_ACTION_REQUIRED"
    posts = fake.calls("POST", "/v2/checkout/orders")
    assert [p.header("PayPal-Request-Id") for p in posts] == ["order-retry"] * 3
    assert list(CallLog.objects.filter(operation="orders.create").order_by("id").values_list("outcome", flat=True)) == [
        "error",
        "error",
        "ok",
    ]


def test_subscriptions_plan_and_approval(fake: PayPalFake, connection: Connection) -> None:
    product = paypal.product_create(connection, key="prod-1", name="Season pass")
    plan = paypal.plan_create(
        connection, key="plan-1", product_id=product["id"], name="Season pass", amount=Decimal("30"), currency="EUR"
    )
    assert plan["billing_cycles"][0]["pricing_scheme"]["fixed_price"] == {"currency_code": "EUR", "value": "30.00"}
    sub = paypal.subscription_create(
        connection,
        key="sub-1",
        plan_id=plan["id"],
        reference="pass-1",
        email="ada@example.com",
        return_url="https://r.example/",
        cancel_url="https://c.example/",
    )
    assert sub["status"] == "APPROVAL_PENDING" and paypal.link(sub, "approve")
    fake.approve_subscription(sub["id"])
    current = paypal.subscription_get(connection, sub["id"])
    assert current["status"] == "ACTIVE" and current["billing_info"]["last_payment"]["amount"]["value"] == "30.00"
    paypal.subscription_cancel(connection, sub["id"], key="cancel-1", reason="The buyer asked")
    assert paypal.subscription_get(connection, sub["id"])["status"] == "CANCELLED"


# -- inbound: webhooks and IPN ----------------------------------------------------------------------
def test_a_genuine_webhook_is_verified_by_paypal_and_stored(client: Any, fake: PayPalFake, connection: Connection) -> None:
    body, headers = fake.notify("CHECKOUT.ORDER.APPROVED", {"id": "5O000000000000001", "status": "APPROVED"})
    assert hook(client, connection, body, headers).status_code == 200
    event = InboundEvent.objects.get(connection=connection)
    assert event.event_type == "CHECKOUT.ORDER.APPROVED" and event.vendor_event_id == json.loads(body)["id"]
    asked = fake.calls("POST", "/v1/notifications/verify-webhook-signature")[0].json()
    assert asked["webhook_id"] == WEBHOOK_ID and asked["webhook_event"] == json.loads(body)
    assert asked["transmission_sig"] == headers["PAYPAL-TRANSMISSION-SIG"]


def test_forged_webhooks_are_refused_and_store_nothing(client: Any, fake: PayPalFake, connection: Connection) -> None:
    body, headers = fake.notify("PAYMENT.CAPTURE.COMPLETED", {"id": "3C1", "status": "COMPLETED"})
    tampered = body.replace(b"COMPLETED", b"REFUNDED")
    assert hook(client, connection, tampered, headers).status_code == 400
    assert hook(client, connection, body, {**headers, "PAYPAL-TRANSMISSION-SIG": "Zm9yZ2Vk"}).status_code == 400
    missing = {k: v for k, v in headers.items() if k != "PAYPAL-CERT-URL"}
    assert hook(client, connection, body, missing).status_code == 400
    assert hook(client, connection, b"not json", headers).status_code == 400
    assert not InboundEvent.objects.exists()
    assert len(fake.calls("POST", "/v1/notifications/verify-webhook-signature")) == 2  # the malformed ones never ask


def test_another_webhook_id_does_not_verify(client: Any, fake: PayPalFake, org: Any) -> None:
    other = services.connection_create(
        actor=SYSTEM,
        organization=org,
        kind="payment",
        vendor="paypal",
        mode="test",
        credentials={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "webhook_id": "OTHERWEBHOOK1"},
    )
    body, headers = fake.notify("PAYMENT.CAPTURE.COMPLETED", {"id": "3C1"})
    assert hook(client, other, body, headers).status_code == 400
    assert not InboundEvent.objects.exists()


def test_verification_unavailable_asks_paypal_to_send_again(client: Any, fake: PayPalFake, connection: Connection) -> None:
    paypal.token(connection)
    body, headers = fake.notify("PAYMENT.CAPTURE.COMPLETED", {"id": "3C1"})
    fake.fail_next(503, 503, 503)
    assert hook(client, connection, body, headers).status_code == 503
    assert not InboundEvent.objects.exists()
    assert hook(client, connection, body, headers).status_code == 200


def test_an_ipn_is_posted_back_verbatim_and_only_verified_is_accepted(
    client: Any, fake: PayPalFake, connection: Connection
) -> None:
    body = fake.ipn(txn_id="3C000000000000009", mc_gross="25.00", mc_currency="EUR", invoice="pay-1", first_name="Zoë")
    assert hook(client, connection, body, {}, channel="ipn").status_code == 200
    postback = fake.calls("POST", "/cgi-bin/webscr")[0]
    assert postback.body == b"cmd=_notify-validate&" + body
    event = InboundEvent.objects.get(connection=connection)
    assert event.channel == "ipn" and event.event_type == "ipn.completed"
    assert event.payload["txn_id"] == "3C000000000000009" and event.payload["first_name"] == "Zoë"
    assert hook(client, connection, body, {}, channel="ipn").status_code == 200  # the same message again: counted once
    event.refresh_from_db()
    assert event.deliveries == 2 and InboundEvent.objects.count() == 1


def test_a_forged_ipn_is_refused(client: Any, fake: PayPalFake, connection: Connection) -> None:
    genuine = fake.ipn(txn_id="3C1", mc_gross="25.00")
    forged = genuine.replace(b"mc_gross=25.00", b"mc_gross=2500.00")
    assert hook(client, connection, forged, {}, channel="ipn").status_code == 400
    assert hook(client, connection, genuine, {}, channel="nope").status_code == 400
    assert not InboundEvent.objects.exists()


def test_ignored_types_are_processed_as_ignored(client: Any, fake: PayPalFake, connection: Connection) -> None:
    body, headers = fake.notify("CUSTOMER.DISPUTE.CREATED", {"id": "PP-D-1"})
    hook(client, connection, body, headers)
    event = InboundEvent.objects.get()
    assert intake.process(event.pk) == "ignored"
