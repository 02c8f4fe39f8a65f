"""PayPal: the REST API (OAuth 2.0 client credentials, Orders v2, Payments v2, Subscriptions v1, webhook signature
verification) and the legacy IPN listener, on the connector framework (docs/payments.md, "PayPal").

Every call goes through ``connectors.calls.call`` (breaker, retries, call log) with one ``connectors.http`` request
per attempt: the connection's bearer token (``connectors.services.access_token``, cached until it expires; a token
PayPal no longer accepts is fetched again once), ``PayPal-Request-Id`` as the idempotency header (the same id answers
the first result and never captures or refunds twice) and ``Paypal-Debug-Id`` as the request id in the call log.
Amounts go out as strings with the currency's decimals (none for HUF, JPY, TWD).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings

from connectors import calls, http, registry, services
from connectors.exceptions import Rejected
from connectors.models import Connection, InboundEvent, Mode
from payments.providers import register_gateway
from payments.providers.base import (
    Checkout,
    GatewayProvider,
    ProviderState,
    RefundState,
    SubscriptionCheckout,
    SubscriptionState,
)

NAME = "paypal"
# PayPal's hosts by the connection's mode; PAYPAL_API_BASE / PAYPAL_IPN_VERIFY_URL replace them (a proxy, the tests' fake).
API_HOSTS = {Mode.TEST: "https://api-m.sandbox.paypal.com", Mode.LIVE: "https://api-m.paypal.com"}
IPN_HOSTS = {
    Mode.TEST: "https://ipnpb.sandbox.paypal.com/cgi-bin/webscr",
    Mode.LIVE: "https://ipnpb.paypal.com/cgi-bin/webscr",
}
# Currencies PayPal takes without decimals (its currency codes reference).
ZERO_DECIMAL = frozenset({"HUF", "JPY", "TWD"})
REQUEST_ID = "Paypal-Debug-Id"
IDEMPOTENCY = "PayPal-Request-Id"
WEBHOOK_HEADERS = {
    "transmission_id": "PAYPAL-TRANSMISSION-ID",
    "transmission_time": "PAYPAL-TRANSMISSION-TIME",
    "transmission_sig": "PAYPAL-TRANSMISSION-SIG",
    "cert_url": "PAYPAL-CERT-URL",
    "auth_algo": "PAYPAL-AUTH-ALGO",
}


# -- money ------------------------------------------------------------------------------------------
def decimals(currency: str) -> int:
    return 0 if currency.upper() in ZERO_DECIMAL else 2


def value(amount: Decimal, currency: str) -> str:
    """PayPal's amount ``value``: a string with the currency's decimals (``"25.00"``, ``"1500"`` for JPY)."""
    places = decimals(currency)
    return str(amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def money(amount: Decimal, currency: str) -> dict[str, str]:
    return {"currency_code": currency.upper(), "value": value(amount, currency)}


def amount_of(data: Mapping[str, Any] | None) -> Decimal:
    return Decimal(str((data or {}).get("value") or "0"))


# -- the wire -----------------------------------------------------------------------------------------
def api_base(connection: Connection) -> str:
    return (settings.PAYPAL_API_BASE or API_HOSTS[Mode(connection.mode)]).rstrip("/")


def ipn_verify_url(connection: Connection) -> str:
    return settings.PAYPAL_IPN_VERIFY_URL or IPN_HOSTS[Mode(connection.mode)]


def error_of(response: requests.Response) -> tuple[str, str]:
    """(code, message) of PayPal's error envelope: the first detail's ``issue`` and ``description`` when there is
    one, else ``name`` and ``message``; OAuth errors are ``{"error", "error_description"}``."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    if not isinstance(body, Mapping):
        return "", ""
    details = body.get("details") or []
    if details and isinstance(details[0], Mapping):
        first = details[0]
        return str(first.get("issue") or body.get("name") or ""), str(first.get("description") or body.get("message") or "")
    return str(body.get("name") or body.get("error") or ""), str(body.get("message") or body.get("error_description") or "")


def _fetch_token(connection: Connection) -> tuple[str, int, str]:
    credentials = services.credentials_of(connection)

    def attempt(a: calls.Attempt) -> tuple[str, int, str]:
        response = http.request(
            a,
            "POST",
            f"{api_base(connection)}/v1/oauth2/token",
            request_id_header=REQUEST_ID,
            error_parser=error_of,
            headers={"Accept": "application/json"},
            auth=(credentials.get("client_id", ""), credentials.get("client_secret", "")),
            data={"grant_type": "client_credentials"},
        )
        body = response.json()
        return str(body["access_token"]), int(body.get("expires_in") or 0), ""

    return calls.call(connection, "oauth2.token", attempt)


def token(connection: Connection) -> str:
    """The connection's access token, cached until it expires (a minute's margin)."""
    return services.access_token(connection, lambda: _fetch_token(connection))


def _forget_token(connection: Connection) -> None:
    connection.access_token, connection.token_expires_at = "", None
    Connection.objects.filter(pk=connection.pk).update(access_token="", token_expires_at=None)


def send(
    connection: Connection,
    operation: str,
    method: str,
    path: str,
    *,
    key: str = "",
    body: Mapping[str, Any] | None = None,
    max_wait: float | None = None,
) -> dict[str, Any]:
    """One PayPal API operation (``path`` under the API base), its JSON answer ({} for 204)."""

    def attempt(a: calls.Attempt) -> dict[str, Any]:
        for renewed in (False, True):
            headers = {
                "Authorization": f"Bearer {token(connection)}",
                "Accept": "application/json",
                "Prefer": "return=representation",
            }
            try:
                response = http.request(
                    a,
                    method,
                    f"{api_base(connection)}{path}",
                    request_id_header=REQUEST_ID,
                    idempotency_header=IDEMPOTENCY,
                    error_parser=error_of,
                    headers=headers,
                    **({} if body is None else {"json": dict(body)}),
                )
            except Rejected as exc:
                if exc.status_code == 401 and exc.vendor_code == "invalid_token" and not renewed:
                    _forget_token(connection)  # expired or revoked early at PayPal: one fresh token, same attempt
                    continue
                raise
            if response.status_code == 204 or not response.content:
                return {}
            result: dict[str, Any] = response.json()
            return result
        raise AssertionError("unreachable")

    return calls.call(connection, operation, attempt, idempotency_key=key, max_wait=max_wait)


def link(obj: Mapping[str, Any], *rels: str) -> str:
    """The href of the first of ``rels`` among the object's HATEOAS links ("" if none)."""
    for rel in rels:
        for item in obj.get("links") or []:
            if item.get("rel") == rel:
                return str(item.get("href") or "")
    return ""


# -- Orders v2 ------------------------------------------------------------------------------------------
def order_create(
    connection: Connection,
    *,
    key: str,
    intent: str,
    amount: Decimal,
    currency: str,
    reference: str,
    description: str,
    return_url: str,
    cancel_url: str,
    brand_name: str = "",
) -> dict[str, Any]:
    """Create an order (intent CAPTURE or AUTHORIZE) for ``reference`` (the platform's payment id, sent as
    ``custom_id`` and ``invoice_id``); the buyer approves it at its ``payer-action`` link."""
    unit = {
        "reference_id": reference[:256],
        "custom_id": reference[:127],
        "invoice_id": reference[:127],
        "description": description[:127],
        "amount": money(amount, currency),
    }
    context: dict[str, Any] = {
        "return_url": return_url,
        "cancel_url": cancel_url,
        "user_action": "PAY_NOW",
        "shipping_preference": "NO_SHIPPING",
    }
    if brand_name:
        context["brand_name"] = brand_name[:127]
    body = {"intent": intent, "purchase_units": [unit], "payment_source": {"paypal": {"experience_context": context}}}
    return send(connection, "orders.create", "POST", "/v2/checkout/orders", key=key, body=body)


def order_get(connection: Connection, order_id: str) -> dict[str, Any]:
    return send(connection, "orders.get", "GET", f"/v2/checkout/orders/{order_id}")


def order_capture(connection: Connection, order_id: str, *, key: str) -> dict[str, Any]:
    return send(connection, "orders.capture", "POST", f"/v2/checkout/orders/{order_id}/capture", key=key, body={})


def order_authorize(connection: Connection, order_id: str, *, key: str) -> dict[str, Any]:
    return send(connection, "orders.authorize", "POST", f"/v2/checkout/orders/{order_id}/authorize", key=key, body={})


# -- Payments v2 -----------------------------------------------------------------------------------------
def authorization_get(connection: Connection, authorization_id: str) -> dict[str, Any]:
    return send(connection, "authorizations.get", "GET", f"/v2/payments/authorizations/{authorization_id}")


def authorization_capture(connection: Connection, authorization_id: str, *, key: str, invoice_id: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {"final_capture": True}
    if invoice_id:
        body["invoice_id"] = invoice_id[:127]
    path = f"/v2/payments/authorizations/{authorization_id}/capture"
    return send(connection, "authorizations.capture", "POST", path, key=key, body=body)


def authorization_void(connection: Connection, authorization_id: str, *, key: str) -> dict[str, Any]:
    path = f"/v2/payments/authorizations/{authorization_id}/void"
    return send(connection, "authorizations.void", "POST", path, key=key)


def capture_get(connection: Connection, capture_id: str) -> dict[str, Any]:
    return send(connection, "captures.get", "GET", f"/v2/payments/captures/{capture_id}")


def capture_refund(
    connection: Connection,
    capture_id: str,
    *,
    key: str,
    amount: Decimal | None,
    currency: str,
    note: str = "",
    reference: str = "",
) -> dict[str, Any]:
    """Refund ``amount`` of a capture (None: all that is left of it); ``reference`` (the platform's refund id) is
    kept by PayPal as the refund's ``custom_id``."""
    body: dict[str, Any] = {}
    if amount is not None:
        body["amount"] = money(amount, currency)
    if note:
        body["note_to_payer"] = note[:255]
    if reference:
        body["custom_id"] = reference[:127]
    return send(connection, "captures.refund", "POST", f"/v2/payments/captures/{capture_id}/refund", key=key, body=body)


def refund_get(connection: Connection, refund_id: str) -> dict[str, Any]:
    return send(connection, "refunds.get", "GET", f"/v2/payments/refunds/{refund_id}")


# -- Subscriptions v1 --------------------------------------------------------------------------------------
def product_create(connection: Connection, *, key: str, name: str, description: str = "") -> dict[str, Any]:
    body = {"name": name[:127], "type": "SERVICE", "category": "EVENTS_AND_TICKETS"}
    if description:
        body["description"] = description[:256]
    return send(connection, "products.create", "POST", "/v1/catalogs/products", key=key, body=body)


def plan_create(
    connection: Connection,
    *,
    key: str,
    product_id: str,
    name: str,
    amount: Decimal,
    currency: str,
    interval_unit: str = "MONTH",
    interval_count: int = 1,
    total_cycles: int = 0,
) -> dict[str, Any]:
    """A plan of one regular billing cycle (``total_cycles`` 0: until cancelled)."""
    body = {
        "product_id": product_id,
        "name": name[:127],
        "status": "ACTIVE",
        "billing_cycles": [
            {
                "frequency": {"interval_unit": interval_unit, "interval_count": interval_count},
                "tenure_type": "REGULAR",
                "sequence": 1,
                "total_cycles": total_cycles,
                "pricing_scheme": {"fixed_price": money(amount, currency)},
            }
        ],
        "payment_preferences": {"auto_bill_outstanding": True, "payment_failure_threshold": 3},
    }
    return send(connection, "plans.create", "POST", "/v1/billing/plans", key=key, body=body)


def subscription_create(
    connection: Connection, *, key: str, plan_id: str, reference: str, email: str, return_url: str, cancel_url: str
) -> dict[str, Any]:
    body = {
        "plan_id": plan_id,
        "custom_id": reference[:127],
        "subscriber": {"email_address": email},
        "application_context": {
            "return_url": return_url,
            "cancel_url": cancel_url,
            "user_action": "SUBSCRIBE_NOW",
            "shipping_preference": "NO_SHIPPING",
        },
    }
    return send(connection, "subscriptions.create", "POST", "/v1/billing/subscriptions", key=key, body=body)


def subscription_get(connection: Connection, subscription_id: str) -> dict[str, Any]:
    return send(connection, "subscriptions.get", "GET", f"/v1/billing/subscriptions/{subscription_id}")


def subscription_transactions(connection: Connection, subscription_id: str, *, start: str, end: str) -> dict[str, Any]:
    """``GET /v1/billing/subscriptions/{id}/transactions``: the subscription's payments between two instants."""
    query = urlencode({"start_time": start, "end_time": end})
    path = f"/v1/billing/subscriptions/{subscription_id}/transactions?{query}"
    return send(connection, "subscriptions.transactions", "GET", path)


def subscription_cancel(connection: Connection, subscription_id: str, *, key: str, reason: str) -> dict[str, Any]:
    path = f"/v1/billing/subscriptions/{subscription_id}/cancel"
    return send(connection, "subscriptions.cancel", "POST", path, key=key, body={"reason": reason[:128]})


def subscription_status(subscription: Mapping[str, Any]) -> str:
    """PayPal's subscription status in the platform's terms: ACTIVE with consecutive failed payments (PayPal resets the
    count after a successful one) and SUSPENDED are past due; APPROVAL_PENDING and APPROVED wait for the first cycle."""
    status = str(subscription.get("status") or "")
    if status == "ACTIVE":
        failed = int((subscription.get("billing_info") or {}).get("failed_payments_count") or 0)
        return "past_due" if failed else "active"
    return {"SUSPENDED": "past_due", "CANCELLED": "canceled", "EXPIRED": "canceled"}.get(status, "incomplete")


# -- the order in the platform's terms ------------------------------------------------------------------
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
    money_of: Mapping[str, Any] = (capture.get("amount") if capture else amount) or {}
    return PayPalState(
        order_id=str(order.get("id") or ""),
        status=status,
        intent=str(order.get("intent") or "CAPTURE"),
        amount=amount_of(money_of),
        currency=str(money_of.get("currency_code") or ""),
        reference=str(unit.get("custom_id") or ""),
        capture_id=str(capture.get("id") or ""),
        authorization_id=str(authorization.get("id") or ""),
        refunded=sum((amount_of(r.get("amount")) for r in refunds), Decimal("0")),
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
    up = link(capture, "up")
    return up.rsplit("/", 1)[-1] if "/checkout/orders/" in up else ""


def settle(connection: Connection, order_id: str, *, key: str) -> PayPalState:
    """Capture an approved order (intent CAPTURE), or authorize then capture it (intent AUTHORIZE), with keys
    derived from ``key`` so that any number of callers capture once; PayPal's state of the order afterwards."""
    order = order_get(connection, order_id)
    state = state_of(order)
    if state.status != "approved":
        return state  # not approved yet, or captured already (a webhook, the return page, a retry)
    if state.intent == "AUTHORIZE":
        authorization_id = state.authorization_id
        if not authorization_id:
            authorized = order_authorize(connection, order_id, key=f"{key}:authorize")
            authorization_id = state_of(authorized).authorization_id
        authorization_capture(connection, authorization_id, key=f"{key}:capture", invoice_id=state.reference)
    else:
        try:
            order_capture(connection, order_id, key=key)
        except Rejected as exc:
            if exc.vendor_code not in ("ORDER_ALREADY_CAPTURED", "ORDER_ALREADY_COMPLETED"):
                raise
    return state_of(order_get(connection, order_id))


# -- the payment port (payments.providers.base.GatewayProvider) ----------------------------------------------
# PayPalState.status -> the port's status. An approved order waits for the platform's capture: the money is on its way.
PORT_STATUS = {
    "requires_payment": "requires_action",  # the buyer has to approve at PayPal
    "approved": "authorized",  # the platform's capture is the next step
    "processing": "processing",
    "succeeded": "succeeded",
    "failed": "failed",
}
REFUND_STATUS = {"COMPLETED": "succeeded", "PENDING": "pending", "FAILED": "failed", "CANCELLED": "canceled"}


def provider_state(order: Mapping[str, Any]) -> ProviderState:
    """The port's view of an order: status, amount, the ids to file under the payment, and its refunds."""
    state = state_of(order)
    unit = (order.get("purchase_units") or [{}])[0]
    refunds = tuple(
        RefundState(
            provider_refund_id=str(r.get("id")),
            amount=amount_of(r.get("amount")),
            status=REFUND_STATUS.get(str(r.get("status")), "pending"),
            failure_reason=str((r.get("status_details") or {}).get("reason") or ""),
            reference=str(r.get("custom_id") or ""),
        )
        for r in ((unit.get("payments") or {}).get("refunds") or [])
    )
    references = [("order", state.order_id)]
    if state.authorization_id:
        references.append(("authorization", state.authorization_id))
    if state.capture_id:
        references.append(("capture", state.capture_id))
    references.extend(("refund", r.provider_refund_id) for r in refunds)
    return ProviderState(
        provider_payment_id=state.order_id,
        status=PORT_STATUS[state.status],
        amount=state.amount,
        currency=state.currency,
        references=tuple(references),
        payment_method="PayPal",
        failure_code=state.failure_code,
        failure_message=state.failure_message,
        refunds=refunds,
    )


class PayPalGateway(GatewayProvider):
    name = NAME

    def create_checkout(
        self,
        connection: Any,
        *,
        amount: Decimal,
        currency: str,
        reference: str,
        metadata: Mapping[str, str],
        idempotency_key: str,
        capture: bool = True,
        return_url: str = "",
        cancel_url: str = "",
    ) -> Checkout:
        order = order_create(
            connection,
            key=idempotency_key,
            intent="CAPTURE" if capture else "AUTHORIZE",
            amount=amount,
            currency=currency,
            reference=reference,
            description=metadata.get("description", "") or f"Order {reference}",
            return_url=return_url,
            cancel_url=cancel_url,
            brand_name=metadata.get("organization", ""),
        )
        return self._checkout(order)

    def _checkout(self, order: Mapping[str, Any]) -> Checkout:
        return Checkout(
            provider_payment_id=str(order["id"]),
            status=PORT_STATUS[state_of(order).status],
            approval_url=link(order, "payer-action", "approve"),
            references={"order": str(order["id"])},
        )

    def checkout(self, connection: Any, *, provider_payment_id: str) -> Checkout:
        return self._checkout(order_get(connection, provider_payment_id))

    def retrieve(self, connection: Any, *, provider_payment_id: str) -> ProviderState:
        return provider_state(order_get(connection, provider_payment_id))

    def refund(
        self, connection: Any, *, provider_payment_id: str, amount: Decimal, currency: str, idempotency_key: str, reason: str = ""
    ) -> RefundState:
        """Refund ``amount`` of the order's capture (``provider_payment_id`` is the order id)."""
        capture_id = state_of(order_get(connection, provider_payment_id)).capture_id
        if not capture_id:
            raise Rejected("the PayPal order has no capture to refund", vendor_code="NO_CAPTURE")
        refund = capture_refund(connection, capture_id, key=idempotency_key, amount=amount, currency=currency, reference=reason)
        return RefundState(
            provider_refund_id=str(refund["id"]),
            amount=amount_of(refund.get("amount")),
            status=REFUND_STATUS.get(str(refund.get("status")), "pending"),
            reference=str(refund.get("custom_id") or ""),
        )

    def capture(
        self, connection: Any, *, provider_payment_id: str, amount: Decimal | None, idempotency_key: str
    ) -> ProviderState:
        """Capture the approved order (or authorize, then capture the authorization), once per key."""
        settle(connection, provider_payment_id, key=idempotency_key)
        return self.retrieve(connection, provider_payment_id=provider_payment_id)

    # -- subscriptions: a catalog product, a plan of one regular cycle, a subscription the buyer approves ----------
    def create_subscription(
        self,
        connection: Any,
        *,
        name: str,
        amount: Decimal,
        currency: str,
        interval: str,
        reference: str,
        buyer_name: str,
        buyer_email: str,
        idempotency_key: str,
        return_url: str = "",
        cancel_url: str = "",
    ) -> SubscriptionCheckout:
        product = product_create(connection, key=f"{idempotency_key}:product", name=name)
        plan = plan_create(
            connection,
            key=f"{idempotency_key}:plan",
            product_id=str(product["id"]),
            name=name,
            amount=amount,
            currency=currency,
            interval_unit=interval.upper(),
        )
        subscription = subscription_create(
            connection,
            key=f"{idempotency_key}:subscription",
            plan_id=str(plan["id"]),
            reference=reference,
            email=buyer_email,
            return_url=return_url,
            cancel_url=cancel_url,
        )
        return self._subscription_checkout(subscription, plan=str(plan["id"]))

    def _subscription_checkout(self, subscription: Mapping[str, Any], **references: str) -> SubscriptionCheckout:
        return SubscriptionCheckout(
            provider_subscription_id=str(subscription["id"]),
            status=subscription_status(subscription),
            approval_url=link(subscription, "approve"),
            references={"subscription": str(subscription["id"]), **references},
        )

    def subscription_checkout(self, connection: Any, *, provider_subscription_id: str) -> SubscriptionCheckout:
        return self._subscription_checkout(subscription_get(connection, provider_subscription_id))

    def retrieve_subscription(self, connection: Any, *, provider_subscription_id: str) -> SubscriptionState:
        subscription = subscription_get(connection, provider_subscription_id)
        status = subscription_status(subscription)
        paid: tuple[str, ...] = ()
        if status != "incomplete":
            end = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            start = str(subscription.get("create_time") or end)
            listed = subscription_transactions(connection, provider_subscription_id, start=start, end=end)
            paid = tuple(sorted(str(t["id"]) for t in listed.get("transactions") or [] if t.get("status") == "COMPLETED"))
        info = subscription.get("billing_info") or {}
        next_billing = info.get("next_billing_time")
        failed = (info.get("last_failed_payment") or {}).get("reason_code") if status == "past_due" else ""
        return SubscriptionState(
            provider_subscription_id=str(subscription["id"]),
            status=status,
            current_period_end=dt.datetime.fromisoformat(str(next_billing).replace("Z", "+00:00")) if next_billing else None,
            paid_cycles=paid,
            failure_reason=f"PayPal could not collect the renewal ({failed})." if failed else "",
        )

    def cancel_subscription(
        self, connection: Any, *, provider_subscription_id: str, idempotency_key: str, reason: str
    ) -> SubscriptionState:
        current = subscription_get(connection, provider_subscription_id)
        if str(current.get("status")) in ("ACTIVE", "SUSPENDED"):
            subscription_cancel(connection, provider_subscription_id, key=idempotency_key, reason=reason)
        return self.retrieve_subscription(connection, provider_subscription_id=provider_subscription_id)


# -- notifications: webhooks and IPN ---------------------------------------------------------------------
def _header(headers: Mapping[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), "")


def verify_webhook(connection: Connection, *, body: bytes, headers: Mapping[str, str]) -> registry.Notification:
    """Ask PayPal whether the transmission headers sign this event for the connection's webhook id."""
    try:
        event = json.loads(body)
    except ValueError:
        raise registry.SignatureInvalid("not JSON") from None
    if not isinstance(event, dict) or not event.get("id") or not event.get("event_type"):
        raise registry.SignatureInvalid("not a webhook event")
    transmission = {field: _header(headers, name) for field, name in WEBHOOK_HEADERS.items()}
    missing = [WEBHOOK_HEADERS[f] for f, v in transmission.items() if not v]
    if missing:
        raise registry.SignatureInvalid(f"missing {', '.join(missing)}")
    webhook_id = services.credentials_of(connection).get("webhook_id", "")
    answer = send(
        connection,
        "webhooks.verify_signature",
        "POST",
        "/v1/notifications/verify-webhook-signature",
        body={**transmission, "webhook_id": webhook_id, "webhook_event": event},
        max_wait=1.0,
    )
    if answer.get("verification_status") != "SUCCESS":
        raise registry.SignatureInvalid(f"PayPal answered {answer.get('verification_status')!r}")
    return registry.Notification(vendor_event_id=str(event["id"]), event_type=str(event["event_type"]), payload=event)


def verify_ipn(connection: Connection, *, body: bytes) -> registry.Notification:
    """Post the message back exactly as received, preceded by ``cmd=_notify-validate``; only ``VERIFIED`` passes."""
    from urllib.parse import parse_qsl

    def attempt(a: calls.Attempt) -> str:
        response = http.request(
            a,
            "POST",
            ipn_verify_url(connection),
            error_parser=error_of,
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "EventPlatform-IPN-Verifier/1.0"},
            data=b"cmd=_notify-validate&" + body,
        )
        return response.text.strip()

    answer = calls.call(connection, "ipn.verify", attempt, max_wait=1.0)
    if answer != "VERIFIED":
        raise registry.SignatureInvalid(f"PayPal answered {answer[:20]!r} to the IPN postback")
    charset = "utf-8"
    for name, raw in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
        if name == "charset":
            charset = raw or charset
    try:
        fields = dict(parse_qsl(body.decode("ascii", "replace"), keep_blank_values=True, encoding=charset))
    except LookupError:
        fields = dict(parse_qsl(body.decode("ascii", "replace"), keep_blank_values=True))
    event_id = fields.get("ipn_track_id") or f"{fields.get('txn_id', '')}:{fields.get('payment_status', '')}"
    event_type = f"ipn.{(fields.get('payment_status') or fields.get('txn_type') or 'unknown').lower()}"
    return registry.Notification(vendor_event_id=f"ipn:{event_id}", event_type=event_type, payload=fields)


def test_call(connection: Connection) -> str:
    """The connection test: fetch a fresh token with the client id and secret."""
    _forget_token(connection)
    token(connection)
    return "PayPal accepted the client id and secret."


class PayPalIntake:
    """Webhooks at ``/hooks/<connection id>`` (verified by PayPal's verify-webhook-signature call) and IPN messages at
    ``/hooks/<connection id>/ipn`` (verified by posting them back)."""

    def verify(self, connection: Connection, *, body: bytes, headers: Mapping[str, str], channel: str) -> registry.Notification:
        if channel == "ipn":
            return verify_ipn(connection, body=body)
        if channel:
            raise registry.SignatureInvalid(f"no PayPal listener {channel!r}")
        return verify_webhook(connection, body=body, headers=headers)

    def handle(self, connection: Connection, event: InboundEvent) -> bool:
        from payments.paypal import handle_notification

        return handle_notification(connection, event)


VENDOR = registry.register(
    registry.Vendor(
        kind="payment",
        name=NAME,
        label="PayPal",
        credentials=(
            registry.Field("client_id", "Client ID", pattern=r"[A-Za-z0-9_-]{10,128}", help="the REST app's client ID"),
            registry.Field("client_secret", "Secret", pattern=r"[A-Za-z0-9_-]{10,128}", help="the REST app's secret"),
            registry.Field(
                "webhook_id",
                "Webhook ID",
                pattern=r"[A-Za-z0-9]{1,50}",
                help="the ID PayPal shows for the webhook pointing at this connection's inbound URL",
            ),
        ),
        test=test_call,
        intake=PayPalIntake(),
        docs_url="https://developer.paypal.com/api/rest/",
    )
)
GATEWAY = register_gateway(PayPalGateway())
