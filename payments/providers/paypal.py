"""PayPal: the REST API (OAuth 2.0 client credentials, Orders v2, Payments v2, Subscriptions v1, webhook signature
verification) and the legacy IPN listener, on the connector framework (docs/payments.md, "PayPal").

Every call goes through ``connectors.calls.call`` (breaker, retries, call log) with one ``connectors.http`` request
per attempt: the connection's bearer token (``connectors.services.access_token``, cached until it expires; a token
PayPal no longer accepts is fetched again once), ``PayPal-Request-Id`` as the idempotency header (the same id answers
the first result and never captures or refunds twice) and ``Paypal-Debug-Id`` as the request id in the call log.
Amounts go out as strings with the currency's decimals (none for HUF, JPY, TWD).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import requests
from django.conf import settings

from connectors import calls, http, registry, services
from connectors.exceptions import Rejected
from connectors.models import Connection, InboundEvent, Mode

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
    connection: Connection, capture_id: str, *, key: str, amount: Decimal | None, currency: str, note: str = ""
) -> dict[str, Any]:
    """Refund ``amount`` of a capture (None: all that is left of it)."""
    body: dict[str, Any] = {}
    if amount is not None:
        body["amount"] = money(amount, currency)
    if note:
        body["note_to_payer"] = note[:255]
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


def subscription_cancel(connection: Connection, subscription_id: str, *, key: str, reason: str) -> dict[str, Any]:
    path = f"/v1/billing/subscriptions/{subscription_id}/cancel"
    return send(connection, "subscriptions.cancel", "POST", path, key=key, body={"reason": reason[:128]})


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
