"""The PayPal flow on the payment services: checkout (an order to approve), return and cancel, notifications.

PayPal's objects are translated here into what the platform acts on (``PayPalState``): the order, with its
captures, authorizations and refunds as PayPal shows them now. Notifications only say "look again": the handler
fetches the order or capture from PayPal and applies what PayPal says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from connectors import jobs
from connectors.exceptions import Rejected
from connectors.models import Connection, ConnectorJob, InboundEvent, JobStatus
from core.audit import Actor
from payments import services as payment_services
from payments import subscriptions
from payments.models import Payment, Subscription
from payments.providers import paypal


def capture_id_of(event: InboundEvent) -> str:
    """The capture a notification is about: a capture webhook's resource, a refund webhook's ``up`` link, an IPN's
    ``txn_id`` (``parent_txn_id`` for a refund or reversal)."""
    payload = event.payload
    if event.channel == "ipn":
        return str(payload.get("parent_txn_id") or payload.get("txn_id") or "")
    resource = payload.get("resource") or {}
    if event.event_type in ("PAYMENT.CAPTURE.REFUNDED", "PAYMENT.CAPTURE.REVERSED") and "/refunds/" in paypal.link(
        resource, "self"
    ):
        up = paypal.link(resource, "up")
        return up.rsplit("/", 1)[-1] if "/captures/" in up else ""
    return str(resource.get("id") or "")


# -- keys: one decision, one key, whichever path (return page, webhook, IPN, sweep) makes the call -------------
def order_key(payment_id: Any) -> str:
    return f"paypal:order:{payment_id}"


def capture_key(order_id: str) -> str:
    return f"paypal:capture:{order_id}"


def refund_key(refund_id: Any) -> str:
    return f"paypal:refund:{refund_id}"


def approval_url(order: Mapping[str, Any]) -> str:
    return paypal.link(order, "payer-action", "approve")


# -- the payment of an order, and applying PayPal's state to it --------------------------------------------------
def checkout(*, actor: Actor, payment: Payment, capture: bool | None = None) -> str:
    """Open (or reopen) the payment's PayPal order, returning to the platform's return and cancel pages; the URL
    to send the buyer to. ``capture=False`` (default: the payment's ``capture_method``): intent AUTHORIZE, captured
    when the buyer returns."""
    from django.conf import settings
    from django.urls import reverse

    pages = {
        name: settings.SITE_URL + reverse(f"paypal-{name}", kwargs={"payment_id": payment.pk}) for name in ("return", "cancel")
    }
    opened = payment_services.payment_checkout(
        actor=actor, payment=payment, return_url=pages["return"], cancel_url=pages["cancel"], capture=capture
    )
    return opened.approval_url


def subscription_pages(subscription: Subscription) -> dict[str, str]:
    """The platform's pages PayPal sends a subscriber back to (``return_url``, ``cancel_url``)."""
    from django.conf import settings
    from django.urls import reverse

    back = settings.SITE_URL + reverse("paypal-subscription-return", kwargs={"subscription_id": subscription.pk})
    return {"return_url": back, "cancel_url": f"{back}?cancel=1"}


def subscribe(*, actor: Actor, subscription: Subscription) -> str:
    """Open the series pass's PayPal subscription (product, plan, subscription, each keyed from ``subscription-<id>``)
    returning to the platform's page; the approval URL to send the buyer to."""
    opened = subscriptions.subscription_checkout(actor=actor, subscription=subscription, **subscription_pages(subscription))
    return opened.approval_url


def payment_of_order(connection: Connection, order_id: str) -> Payment | None:
    """The connection's payment whose PayPal order is ``order_id`` (through the vendor references)."""
    return payment_services.payment_by_reference(provider=paypal.NAME, value=order_id, connection=connection)


def order_of(payment: Payment) -> str:
    """The PayPal order of a payment ("" before its checkout was created)."""
    return payment.provider_reference


def connection_of(payment: Payment) -> Connection | None:
    return payment.connection


def refresh(connection: Connection, order_id: str) -> bool:
    """Fetch the order from PayPal and apply its state to the payment (False: not a payment of this connection)."""
    payment = payment_of_order(connection, order_id)
    if payment is None:
        return False
    state = paypal.provider_state(paypal.order_get(connection, order_id))
    payment_services.payment_apply_provider_state(payment=payment, state=state)
    return True


def cancel(connection: Connection, payment: Payment) -> paypal.PayPalState:
    """The buyer came back through the cancel URL: unless PayPal says the order was approved after all (another
    tab), the payment is canceled; its registrations stay pending until they expire."""
    order = paypal.order_get(connection, order_of(payment))
    state = paypal.state_of(order)
    if state.status == "requires_payment":
        canceled = replace(
            paypal.provider_state(order),
            status="canceled",
            failure_code="paypal_canceled_by_buyer",
            failure_message="The buyer left PayPal without paying.",
        )
        payment_services.payment_apply_provider_state(payment=payment, state=canceled)
    else:
        payment_services.payment_apply_provider_state(payment=payment, state=paypal.provider_state(order))
    return state


# -- connector jobs ------------------------------------------------------------------------------------------
# PayPal's answer to a capture (or authorization) when the buyer's funding source fails: "restart the payment so the
# payer can select a different payment option" (PayPal, "Handle funding failures"). The order stays open; the buyer
# is sent back to its approval link, and the next capture is a new job with a new key.
INSTRUMENT_DECLINED = "INSTRUMENT_DECLINED"
DECLINED_CODE = "paypal_instrument_declined"
DECLINED_MESSAGE = "PayPal declined the buyer's funding source; the buyer can choose another way to pay at PayPal."
# Results of a capture job after which the order may still be captured by a later job (the buyer approves again).
UNCAPTURED = frozenset({"instrument_declined", "requires_payment"})


@jobs.operation("paypal.capture")
def capture_job(connection: Connection, job: ConnectorJob) -> dict[str, Any]:
    """Capture the approved order ``payload.order_id`` and apply PayPal's state to its payment. INSTRUMENT_DECLINED
    is an answer, not a failure: the payment stays open with the reason, its order waits for the buyer."""
    order_id = str(job.payload["order_id"])
    try:
        state = paypal.settle(connection, order_id, key=job.idempotency_key)
    except Rejected as exc:
        if exc.vendor_code != INSTRUMENT_DECLINED:
            raise
        payment = payment_of_order(connection, order_id)
        if payment is not None:
            payment_services.payment_note_provider_problem(
                payment=payment, provider_status="requires_action", code=DECLINED_CODE, message=DECLINED_MESSAGE
            )
        return {"order_id": order_id, "status": "instrument_declined", "capture_id": ""}
    refresh(connection, state.order_id)
    return {"order_id": state.order_id, "status": state.status, "capture_id": state.capture_id}


def capture_submit(connection: Connection, order_id: str) -> ConnectorJob:
    """The capture of an order as a durable job: the same job however many paths ask for it (the return page, the
    webhook, the reconciliation), until one ends without a capture (declined funding, not approved yet); the
    next is a new job with the next key, so PayPal does not answer it from the last one's ``PayPal-Request-Id``."""
    previous = list(
        ConnectorJob.objects.filter(connection=connection, operation="paypal.capture", payload__order_id=order_id)
        .order_by("created_at", "id")
        .only("status", "result", "idempotency_key")
    )
    last = previous[-1] if previous else None
    if last is not None and (
        last.status == JobStatus.PENDING
        or (last.status == JobStatus.SUCCEEDED and (last.result or {}).get("status") not in UNCAPTURED)
    ):
        return last
    key = capture_key(order_id) + (f":{len(previous)}" if previous else "")
    return jobs.submit(connection=connection, operation="paypal.capture", payload={"order_id": order_id}, idempotency_key=key)


CAPTURE_EVENTS = frozenset(
    {
        "PAYMENT.CAPTURE.COMPLETED",
        "PAYMENT.CAPTURE.DENIED",
        "PAYMENT.CAPTURE.DECLINED",
        "PAYMENT.CAPTURE.PENDING",
        "PAYMENT.CAPTURE.REFUNDED",
        "PAYMENT.CAPTURE.REVERSED",
    }
)
# A subscription's payments (their resource is a sale whose ``billing_agreement_id`` is the subscription).
SALE_EVENTS = frozenset({"PAYMENT.SALE.COMPLETED", "PAYMENT.SALE.DENIED", "PAYMENT.SALE.PENDING"})
# IPN transaction types of one-off checkout payments (subscriptions' recurring_payment* are handled through webhooks).
IPN_CHECKOUT_TYPES = frozenset({"", "express_checkout", "cart", "web_accept", "adjustment"})


def handle_notification(connection: Connection, event: InboundEvent) -> bool:
    """Act on a verified webhook or IPN message: fetch the order from PayPal and apply what PayPal says now."""
    if event.channel == "ipn":
        if str(event.payload.get("txn_type") or "") not in IPN_CHECKOUT_TYPES:
            return False
        capture_id = capture_id_of(event)
        return bool(capture_id) and _from_capture(connection, capture_id)
    if event.event_type.startswith("BILLING.SUBSCRIPTION.") or event.event_type in SALE_EVENTS:
        # A series pass: fetch the subscription (and its payments) from PayPal and apply what PayPal says now.
        resource = event.payload.get("resource") or {}
        subscription_id = resource.get("billing_agreement_id") if event.event_type in SALE_EVENTS else resource.get("id")
        return bool(subscription_id) and subscriptions.subscription_refresh(
            connection=connection, provider_subscription_id=str(subscription_id)
        )
    if event.event_type == "CHECKOUT.ORDER.APPROVED":
        order_id = str((event.payload.get("resource") or {}).get("id") or "")
        if not order_id or payment_of_order(connection, order_id) is None:
            return False
        job = capture_submit(connection, order_id)
        jobs.run(job.pk)  # here in the worker; a job already run (the return page) is not run again
        return refresh(connection, order_id)
    if event.event_type in CAPTURE_EVENTS:
        capture_id = capture_id_of(event)
        return bool(capture_id) and _from_capture(connection, capture_id)
    return False


def _from_capture(connection: Connection, capture_id: str) -> bool:
    order_id = paypal.order_id_of_capture(paypal.capture_get(connection, capture_id))
    if not order_id:
        return False
    return refresh(connection, order_id)
