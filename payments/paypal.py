"""The PayPal flow on the payment services: checkout (an order to approve), return and cancel, notifications.

PayPal's objects are translated here into what the platform acts on (``PayPalState``): the order, with its
captures, authorizations and refunds as PayPal shows them now. Notifications only say "look again": the handler
fetches the order or capture from PayPal and applies what PayPal says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from connectors.exceptions import Rejected
from connectors import jobs
from connectors.models import Connection, ConnectorJob, InboundEvent
from payments.providers import paypal

# PayPal capture status -> the platform's payment status.
CAPTURE_STATUS = {
    "COMPLETED": "succeeded",
    "PARTIALLY_REFUNDED": "succeeded",
    "REFUNDED": "succeeded",
    "PENDING": "processing",
    "DECLINED": "failed",
    "FAILED": "failed",
}


@dataclass(frozen=True)
class PayPalState:
    """An order as PayPal shows it now, in the platform's terms."""

    order_id: str
    status: str  # requires_payment | approved | processing | succeeded | failed
    intent: str
    amount: Decimal
    currency: str
    reference: str = ""  # the platform's payment id (custom_id)
    capture_id: str = ""
    authorization_id: str = ""
    refunded: Decimal = Decimal("0")
    refund_ids: tuple[str, ...] = ()
    failure_code: str = ""
    failure_message: str = ""
    payer_email: str = ""


def state_of(order: Mapping[str, Any]) -> PayPalState:
    """Translate an Orders v2 order (``GET /v2/checkout/orders/{id}``) into a ``PayPalState``."""
    unit = (order.get("purchase_units") or [{}])[0]
    amount = unit.get("amount") or {}
    payments = unit.get("payments") or {}
    captures = payments.get("captures") or []
    authorizations = payments.get("authorizations") or []
    refunds = [r for r in payments.get("refunds") or [] if r.get("status") in ("COMPLETED", "PENDING")]
    capture = captures[-1] if captures else {}
    authorization = authorizations[-1] if authorizations else {}
    order_status = str(order.get("status") or "")
    failure_code = failure_message = ""
    if capture:
        status = CAPTURE_STATUS.get(str(capture.get("status")), "processing")
        if status == "failed":
            reason = (capture.get("status_details") or {}).get("reason") or capture.get("status")
            failure_code, failure_message = "paypal_capture_declined", f"PayPal declined the capture ({reason})."
    elif authorization:
        if authorization.get("status") in ("VOIDED", "EXPIRED", "DENIED"):
            status = "failed"
            failure_code = f"paypal_authorization_{str(authorization.get('status')).lower()}"
            failure_message = f"The PayPal authorization is {str(authorization.get('status')).lower()}."
        else:
            status = "approved"  # authorized: the capture is the platform's next step
    elif order_status == "APPROVED":
        status = "approved"
    elif order_status == "VOIDED":
        status, failure_code, failure_message = "failed", "paypal_order_voided", "The PayPal order was voided."
    else:  # CREATED, SAVED, PAYER_ACTION_REQUIRED
        status = "requires_payment"
    payer = order.get("payer") or {}
    return PayPalState(
        order_id=str(order.get("id") or ""),
        status=status,
        intent=str(order.get("intent") or "CAPTURE"),
        amount=paypal.amount_of(capture.get("amount") if capture else amount),
        currency=str((capture.get("amount") if capture else amount).get("currency_code") or ""),
        reference=str(unit.get("custom_id") or ""),
        capture_id=str(capture.get("id") or ""),
        authorization_id=str(authorization.get("id") or ""),
        refunded=sum((paypal.amount_of(r.get("amount")) for r in refunds), Decimal("0")),
        refund_ids=tuple(str(r.get("id")) for r in refunds),
        failure_code=failure_code,
        failure_message=failure_message,
        payer_email=str(payer.get("email_address") or ""),
    )


def order_id_of_capture(capture: Mapping[str, Any]) -> str:
    """The order a capture belongs to (``supplementary_data.related_ids.order_id``, else its ``up`` link)."""
    related = ((capture.get("supplementary_data") or {}).get("related_ids") or {}).get("order_id")
    if related:
        return str(related)
    up = paypal.link(capture, "up")
    return up.rsplit("/", 1)[-1] if "/checkout/orders/" in up else ""


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


def settle(connection: Connection, order_id: str, *, key: str) -> PayPalState:
    """Capture an approved order (intent CAPTURE), or authorize then capture it (intent AUTHORIZE), with keys
    derived from ``key`` so that any number of callers capture once; PayPal's state of the order afterwards."""
    order = paypal.order_get(connection, order_id)
    state = state_of(order)
    if state.status != "approved":
        return state  # not approved yet, or captured already (a webhook, the return page, a retry)
    if state.intent == "AUTHORIZE":
        authorization_id = state.authorization_id
        if not authorization_id:
            authorized = paypal.order_authorize(connection, order_id, key=f"{key}:authorize")
            authorization_id = state_of(authorized).authorization_id
        paypal.authorization_capture(connection, authorization_id, key=f"{key}:capture", invoice_id=state.reference)
    else:
        try:
            paypal.order_capture(connection, order_id, key=key)
        except Rejected as exc:
            if exc.vendor_code not in ("ORDER_ALREADY_CAPTURED", "ORDER_ALREADY_COMPLETED"):
                raise
    return state_of(paypal.order_get(connection, order_id))


# -- connector jobs ------------------------------------------------------------------------------------------
@jobs.operation("paypal.capture")
def capture_job(connection: Connection, job: ConnectorJob) -> dict[str, Any]:
    """Capture the approved order ``payload.order_id`` and apply PayPal's state to its payment."""
    state = settle(connection, str(job.payload["order_id"]), key=job.idempotency_key)
    apply(connection, state)
    return {"order_id": state.order_id, "status": state.status, "capture_id": state.capture_id}


def capture_submit(connection: Connection, order_id: str) -> ConnectorJob:
    """The capture of an order as a durable job (the same job however many paths ask for it)."""
    return jobs.submit(
        connection=connection, operation="paypal.capture", payload={"order_id": order_id}, idempotency_key=capture_key(order_id)
    )


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
# IPN transaction types of one-off checkout payments (subscriptions' recurring_payment* are handled through webhooks).
IPN_CHECKOUT_TYPES = frozenset({"", "express_checkout", "cart", "web_accept", "adjustment"})


def handle_notification(connection: Connection, event: InboundEvent) -> bool:
    """Act on a verified webhook or IPN message: fetch the order from PayPal and apply what PayPal says now."""
    if event.channel == "ipn":
        if str(event.payload.get("txn_type") or "") not in IPN_CHECKOUT_TYPES:
            return False
        capture_id = capture_id_of(event)
        return bool(capture_id) and _from_capture(connection, capture_id)
    if event.event_type == "CHECKOUT.ORDER.APPROVED":
        order_id = str((event.payload.get("resource") or {}).get("id") or "")
        if not order_id or payment_of_order(connection, order_id) is None:
            return False
        job = capture_submit(connection, order_id)
        jobs.run(job.pk)  # here in the worker; a job already run (the return page) is not run again
        apply(connection, state_of(paypal.order_get(connection, order_id)))
        return True
    if event.event_type in CAPTURE_EVENTS:
        capture_id = capture_id_of(event)
        return bool(capture_id) and _from_capture(connection, capture_id)
    return False


def _from_capture(connection: Connection, capture_id: str) -> bool:
    order_id = order_id_of_capture(paypal.capture_get(connection, capture_id))
    if not order_id:
        return False
    return apply(connection, state_of(paypal.order_get(connection, order_id)))
