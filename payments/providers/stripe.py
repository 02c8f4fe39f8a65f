"""Stripe (spec §5.1.1), on the connector framework: PaymentIntents, refunds, disputes, verified notifications.

Every call goes through ``connectors.calls.call`` with the official ``stripe`` package (``api_base`` from
STRIPE_API_BASE, ``max_network_retries=0``: the framework retries, with our key as Stripe's ``Idempotency-Key``),
and Stripe's ``Request-Id`` goes into the call log. A notification is verified with
``stripe.Webhook.construct_event`` (five minutes' tolerance), then treated as a trigger: the intent is fetched
from Stripe and its current state applied (``payments.services.payment_apply_provider_state``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings

from connectors import calls, http, jobs, registry, services
from connectors.exceptions import Rejected, Unavailable
from connectors.models import Connection, InboundEvent
from payments.providers import register_gateway
from payments.providers.base import (
    Checkout,
    DisputeState,
    GatewayProvider,
    ProviderState,
    RefundState,
    SubscriptionCheckout,
    SubscriptionState,
)

TOLERANCE_SECONDS = 300

# Stripe's zero-decimal currencies (amounts are sent in the major unit); every other is sent in cents.
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())
_INTENT_STATUS = {
    "requires_payment_method": "requires_payment",
    "requires_confirmation": "requires_payment",
    "requires_action": "requires_action",
    "processing": "processing",
    "requires_capture": "authorized",  # capture_method=manual: the platform's capture job takes the money
    "succeeded": "succeeded",
    "canceled": "canceled",
}
# Notifications acted on (anything else is stored and ignored).
PAYMENT_EVENTS = frozenset(
    {
        "payment_intent.succeeded",
        "payment_intent.payment_failed",
        "payment_intent.processing",
        "payment_intent.requires_action",
        "payment_intent.canceled",
        "payment_intent.amount_capturable_updated",
        "charge.refunded",
        "charge.refund.updated",
        "charge.dispute.created",
        "charge.dispute.updated",
        "charge.dispute.closed",
    }
)


def to_minor(amount: Decimal, currency: str) -> int:
    """The amount in Stripe's unit for the currency: 25.00 EUR -> 2500, 1500 JPY -> 1500."""
    if currency.upper() in ZERO_DECIMAL:
        return int(amount.quantize(Decimal("1")))
    return int((amount * 100).quantize(Decimal("1")))


def from_minor(value: int, currency: str) -> Decimal:
    if currency.upper() in ZERO_DECIMAL:
        return Decimal(value).quantize(Decimal("0.01"))
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def _http_client() -> stripe.HTTPClient:
    """Stripe's requests client on the framework's pooled session, with the framework's timeouts (read now)."""
    return stripe.RequestsClient(timeout=http.timeouts(), session=http.session())


def client(connection: Connection) -> stripe.StripeClient:
    secret = services.credentials_of(connection)["secret_key"]
    return stripe.StripeClient(
        secret,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=0,
        http_client=_http_client(),
    )


def send(
    connection: Connection,
    operation: str,
    method: str,
    path: str,
    fn: Callable[[stripe.StripeClient, dict[str, Any]], Any],
    *,
    key: str = "",
    attempts: int | None = None,
) -> dict[str, Any]:
    """One Stripe operation through the framework: ``fn(client, options)`` makes the request; the object as a dict."""
    stripe_client = client(connection)

    def attempt(a: calls.Attempt) -> dict[str, Any]:
        a.method, a.path = method, path
        options: dict[str, Any] = {"idempotency_key": a.idempotency_key} if a.idempotency_key else {}
        try:
            result = fn(stripe_client, options)
        except stripe.APIConnectionError as exc:
            raise Unavailable(f"unreachable: {exc.user_message or type(exc).__name__}") from exc
        except stripe.StripeError as exc:
            a.status_code = exc.http_status
            a.vendor_request_id = exc.request_id or ""
            code = exc.code or (exc.error.type if exc.error else "") or ""
            text = f"{exc.http_status} {code}: {exc.user_message or ''}".strip()
            facts: dict[str, Any] = {
                "status_code": exc.http_status,
                "vendor_code": code,
                "vendor_request_id": a.vendor_request_id,
            }
            if exc.http_status is None or exc.http_status == 429 or exc.http_status >= 500:
                retry_after = http.retry_after((exc.headers or {}).get("Retry-After"))
                raise Unavailable(text, retry_after=retry_after, **facts) from exc
            raise Rejected(text, **facts) from exc
        response = getattr(result, "last_response", None)
        a.status_code = getattr(response, "code", 200)
        a.vendor_request_id = getattr(response, "request_id", "") or ""
        return dict(result.to_dict())

    return calls.call(connection, operation, attempt, idempotency_key=key, attempts=attempts)


def _publishable_key(connection: Connection) -> str:
    return str(connection.settings.get("publishable_key", ""))


def _payment_method_label(charge: Any) -> tuple[str, str, str]:
    details = (charge or {}).get("payment_method_details") or {}
    card = details.get("card") or {}
    if card:
        brand, last4 = str(card.get("brand") or ""), str(card.get("last4") or "")
        return f"{brand} •••• {last4}".strip(), brand, last4
    return str(details.get("type") or ""), "", ""


class StripeGateway(GatewayProvider):
    name = "stripe"

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
        params: dict[str, Any] = {
            "amount": to_minor(amount, currency),
            "currency": currency.lower(),
            "metadata": {**metadata, "payment_id": reference},
            "automatic_payment_methods": {"enabled": True},
            "capture_method": "automatic" if capture else "manual",
        }
        intent = send(
            connection,
            "payment_intents.create",
            "POST",
            "/v1/payment_intents",
            lambda c, o: c.v1.payment_intents.create(params=params, options=o),  # type: ignore[arg-type]
            key=idempotency_key,
        )
        return self._checkout(connection, intent)

    def _checkout(self, connection: Connection, intent: Any) -> Checkout:
        return Checkout(
            provider_payment_id=intent["id"],
            status=_INTENT_STATUS.get(intent["status"], "requires_payment"),
            client_secret=intent.get("client_secret") or "",
            publishable_key=_publishable_key(connection),
            references={"intent": intent["id"]},
        )

    def checkout(self, connection: Any, *, provider_payment_id: str) -> Checkout:
        intent = self._intent(connection, provider_payment_id)
        return self._checkout(connection, intent)

    def _intent(self, connection: Connection, intent_id: str) -> Any:
        return send(
            connection,
            "payment_intents.retrieve",
            "GET",
            f"/v1/payment_intents/{intent_id}",
            lambda c, o: c.v1.payment_intents.retrieve(intent_id, params={"expand": ["latest_charge"]}, options=o),  # type: ignore[arg-type]
        )

    def retrieve(self, connection: Any, *, provider_payment_id: str) -> ProviderState:
        intent = self._intent(connection, provider_payment_id)
        return self._state(connection, intent)

    def _state(self, connection: Connection, intent: Any) -> ProviderState:
        currency = str(intent["currency"]).upper()
        status = _INTENT_STATUS.get(intent["status"], "requires_payment")
        error = intent.get("last_payment_error") or {}
        if status == "requires_payment" and error:
            status = "failed"
        charge = intent.get("latest_charge")
        charge_obj = charge if isinstance(charge, Mapping) else None
        references: list[tuple[str, str]] = [("intent", intent["id"])]
        charge_id = charge_obj["id"] if charge_obj else (charge or "")
        if charge_id:
            references.append(("charge", str(charge_id)))
        label, brand, last4 = _payment_method_label(charge_obj)
        refunds: tuple[RefundState, ...] = ()
        disputes: tuple[DisputeState, ...] = ()
        if status == "succeeded":
            refunds = tuple(self._refunds(connection, intent["id"], currency))
            disputes = tuple(self._disputes(connection, intent["id"], currency))
        return ProviderState(
            provider_payment_id=intent["id"],
            status=status,
            amount=from_minor(int(intent["amount"]), currency),
            currency=currency,
            references=tuple(references),
            payment_method=label,
            card_brand=brand,
            card_last4=last4,
            failure_code=str(error.get("decline_code") or error.get("code") or "") if error else "",
            failure_message=str(error.get("message") or "") if error else "",
            refunds=refunds,
            disputes=disputes,
        )

    def _refunds(self, connection: Connection, intent_id: str, currency: str) -> list[RefundState]:
        listed = send(
            connection,
            "refunds.list",
            "GET",
            "/v1/refunds",
            lambda c, o: c.v1.refunds.list(params={"payment_intent": intent_id, "limit": 100}, options=o),  # type: ignore[arg-type]
        )
        return [_refund_state(r, currency) for r in listed["data"]]

    def _disputes(self, connection: Connection, intent_id: str, currency: str) -> list[DisputeState]:
        listed = send(
            connection,
            "disputes.list",
            "GET",
            "/v1/disputes",
            lambda c, o: c.v1.disputes.list(params={"payment_intent": intent_id, "limit": 100}, options=o),  # type: ignore[arg-type]
        )
        return [
            DisputeState(
                provider_dispute_id=d["id"],
                amount=from_minor(int(d["amount"]), currency),
                status=str(d["status"]),
                reason=str(d.get("reason") or ""),
                outcome=str(d["status"]) if d["status"] in ("won", "lost") else "",
            )
            for d in listed["data"]
        ]

    def refund(
        self, connection: Any, *, provider_payment_id: str, amount: Decimal, currency: str, idempotency_key: str, reason: str = ""
    ) -> RefundState:
        params: dict[str, Any] = {
            "payment_intent": provider_payment_id,
            "amount": to_minor(amount, currency),
            "metadata": {"refund_id": reason} if reason else {},
        }
        refund = send(
            connection,
            "refunds.create",
            "POST",
            "/v1/refunds",
            lambda c, o: c.v1.refunds.create(params=params, options=o),  # type: ignore[arg-type]
            key=idempotency_key,
        )
        return _refund_state(refund, currency)

    def capture(
        self, connection: Any, *, provider_payment_id: str, amount: Decimal | None, idempotency_key: str
    ) -> ProviderState:
        """Capture an intent in ``requires_capture`` with ``idempotency_key`` (a retry after a lost answer replays
        Stripe's first answer); an intent already captured (or no longer capturable) is only read back."""
        intent = self._intent(connection, provider_payment_id)
        if intent["status"] != "requires_capture":
            return self._state(connection, intent)
        params: dict[str, Any] = {}
        if amount is not None:
            params["amount_to_capture"] = to_minor(amount, str(intent["currency"]))
        send(
            connection,
            "payment_intents.capture",
            "POST",
            f"/v1/payment_intents/{provider_payment_id}/capture",
            lambda c, o: c.v1.payment_intents.capture(provider_payment_id, params=params, options=o),  # type: ignore[arg-type]
            key=idempotency_key,
        )
        return self.retrieve(connection, provider_payment_id=provider_payment_id)

    # -- subscriptions: a Customer, a Product, a Subscription with inline price data ------------------------
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
        """``payment_behavior=default_incomplete``: the subscription waits, ``incomplete``, until the buyer pays its
        first invoice with Stripe Elements (the invoice's ``confirmation_secret``); renewals are charged by Stripe to
        the payment method saved then (``save_default_payment_method=on_subscription``)."""
        metadata = {"subscription_id": reference}
        customer_params = {"email": buyer_email, "name": buyer_name, "metadata": metadata}
        customer = send(
            connection,
            "customers.create",
            "POST",
            "/v1/customers",
            lambda c, o: c.v1.customers.create(params=customer_params, options=o),  # type: ignore[arg-type]
            key=f"{idempotency_key}:customer",
        )
        product = send(
            connection,
            "products.create",
            "POST",
            "/v1/products",
            lambda c, o: c.v1.products.create(params={"name": name[:250], "metadata": metadata}, options=o),  # type: ignore[arg-type]
            key=f"{idempotency_key}:product",
        )
        params: dict[str, Any] = {
            "customer": customer["id"],
            "items": [
                {
                    "price_data": {
                        "currency": currency.lower(),
                        "product": product["id"],
                        "unit_amount": to_minor(amount, currency),
                        "recurring": {"interval": interval},
                    }
                }
            ],
            "payment_behavior": "default_incomplete",
            "payment_settings": {"save_default_payment_method": "on_subscription"},
            "metadata": metadata,
            "expand": ["latest_invoice.confirmation_secret"],
        }
        subscription = send(
            connection,
            "subscriptions.create",
            "POST",
            "/v1/subscriptions",
            lambda c, o: c.v1.subscriptions.create(params=params, options=o),  # type: ignore[arg-type]
            key=f"{idempotency_key}:subscription",
        )
        return self._subscription_checkout(connection, subscription, customer=customer["id"], product=product["id"])

    def _subscription_checkout(self, connection: Connection, subscription: Any, **references: str) -> SubscriptionCheckout:
        invoice = subscription.get("latest_invoice")
        secret = ((invoice.get("confirmation_secret") or {}) if isinstance(invoice, Mapping) else {}).get("client_secret")
        return SubscriptionCheckout(
            provider_subscription_id=subscription["id"],
            status=_SUBSCRIPTION_STATUS.get(str(subscription["status"]), "incomplete"),
            client_secret=str(secret or ""),
            publishable_key=_publishable_key(connection),
            references={"subscription": subscription["id"], **references},
        )

    def _subscription(self, connection: Connection, subscription_id: str, expand: tuple[str, ...] = ()) -> Any:
        return send(
            connection,
            "subscriptions.retrieve",
            "GET",
            f"/v1/subscriptions/{subscription_id}",
            lambda c, o: c.v1.subscriptions.retrieve(subscription_id, params={"expand": list(expand)}, options=o),  # type: ignore[arg-type]
        )

    def subscription_checkout(self, connection: Any, *, provider_subscription_id: str) -> SubscriptionCheckout:
        subscription = self._subscription(connection, provider_subscription_id, ("latest_invoice.confirmation_secret",))
        return self._subscription_checkout(connection, subscription)

    def retrieve_subscription(self, connection: Any, *, provider_subscription_id: str) -> SubscriptionState:
        return self._subscription_state(connection, self._subscription(connection, provider_subscription_id))

    def _subscription_state(self, connection: Connection, subscription: Any) -> SubscriptionState:
        subscription_id = str(subscription["id"])
        paid = send(
            connection,
            "invoices.list",
            "GET",
            "/v1/invoices",
            lambda c, o: c.v1.invoices.list(params={"subscription": subscription_id, "status": "paid", "limit": 100}, options=o),  # type: ignore[arg-type]
        )
        status = _SUBSCRIPTION_STATUS.get(str(subscription["status"]), "incomplete")
        return SubscriptionState(
            provider_subscription_id=subscription_id,
            status=status,
            current_period_end=_period_end(subscription),
            paid_cycles=tuple(sorted(str(i["id"]) for i in paid["data"])),
            failure_reason="Stripe could not charge the renewal." if status == "past_due" else "",
        )

    def cancel_subscription(
        self, connection: Any, *, provider_subscription_id: str, idempotency_key: str, reason: str
    ) -> SubscriptionState:
        """``DELETE /v1/subscriptions/{id}`` (a DELETE takes no idempotency key: it is idempotent itself)."""
        current = self._subscription(connection, provider_subscription_id)
        if current["status"] not in ("canceled", "incomplete_expired"):
            current = send(
                connection,
                "subscriptions.cancel",
                "DELETE",
                f"/v1/subscriptions/{provider_subscription_id}",
                lambda c, o: c.v1.subscriptions.cancel(provider_subscription_id, options=o),  # type: ignore[arg-type]
            )
        return self._subscription_state(connection, current)


# Stripe subscription status -> the platform's (payments.providers.base.SUBSCRIPTION_STATUSES).
_SUBSCRIPTION_STATUS = {
    "incomplete": "incomplete",
    "incomplete_expired": "canceled",
    "trialing": "active",
    "active": "active",
    "past_due": "past_due",
    "unpaid": "past_due",
    "paused": "past_due",
    "canceled": "canceled",
}
# Notifications about a subscription (its invoices, the subscription itself) acted on.
SUBSCRIPTION_EVENTS = frozenset(
    {
        "invoice.paid",
        "invoice.payment_failed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
    }
)


def subscription_of(obj: Mapping[str, Any]) -> str:
    """The subscription a notification's object is about: the subscription itself, or an invoice's subscription
    (``parent.subscription_details.subscription``; ``subscription`` in API versions before 2025-03-31)."""
    if obj.get("object") == "subscription":
        return str(obj.get("id") or "")
    details = (obj.get("parent") or {}).get("subscription_details") or {}
    found = details.get("subscription") or obj.get("subscription") or ""
    return str(found.get("id") if isinstance(found, Mapping) else found)


def _period_end(subscription: Mapping[str, Any]) -> dt.datetime | None:
    """The end of the period paid for: on the subscription item since API version 2025-03-31."""
    items = ((subscription.get("items") or {}).get("data")) or []
    stamp = (items[0].get("current_period_end") if items else None) or subscription.get("current_period_end")
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC) if stamp else None


def _refund_state(refund: Any, currency: str) -> RefundState:
    metadata = refund.get("metadata") or {}
    return RefundState(
        provider_refund_id=refund["id"],
        amount=from_minor(int(refund["amount"]), currency),
        status=str(refund["status"]) if refund["status"] in ("pending", "succeeded", "failed", "canceled") else "pending",
        failure_reason=str(refund.get("failure_reason") or ""),
        reference=str(metadata.get("refund_id") or ""),
    )


GATEWAY = register_gateway(StripeGateway())


class StripeIntake:
    def verify(self, connection: Connection, *, body: bytes, headers: Mapping[str, str], channel: str) -> registry.Notification:
        secret = services.credentials_of(connection)["webhook_secret"]
        header = next((v for k, v in headers.items() if k.lower() == "stripe-signature"), "")
        try:
            event = stripe.Webhook.construct_event(body, header, secret, tolerance=TOLERANCE_SECONDS)
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise registry.SignatureInvalid(str(exc)[:200]) from exc
        return registry.Notification(vendor_event_id=event["id"], event_type=event["type"], payload=event.to_dict())

    def handle(self, connection: Connection, event: InboundEvent) -> bool:
        from payments import services as payment_services

        obj = (event.payload.get("data") or {}).get("object") or {}
        if event.event_type in SUBSCRIPTION_EVENTS:
            from payments import subscriptions

            return subscriptions.subscription_refresh(connection=connection, provider_subscription_id=subscription_of(obj))
        if event.event_type not in PAYMENT_EVENTS:
            return False
        intent_id = obj.get("id") if str(obj.get("object")) == "payment_intent" else obj.get("payment_intent")
        if not intent_id:
            return False
        payment = payment_services.payment_by_reference(provider="stripe", value=str(intent_id), connection=connection)
        if payment is None:
            return False
        state = GATEWAY.retrieve(connection, provider_payment_id=str(intent_id))
        payment = payment_services.payment_apply_provider_state(payment=payment, state=state)
        if state.status == "authorized":  # capture_method=manual: authorized, so the platform captures (once)
            jobs.run(payment_services.payment_capture_submit(payment=payment).pk)
        return True


def test_call(connection: Connection) -> str:
    balance = send(connection, "balance.retrieve", "GET", "/v1/balance", lambda c, o: c.v1.balance.retrieve(options=o))  # type: ignore[arg-type]
    mode = "live" if balance.get("livemode") else "test"
    return f"Connected to Stripe ({mode} mode)."


VENDOR = registry.register(
    registry.Vendor(
        kind="payment",
        name="stripe",
        label="Stripe",
        credentials=(
            registry.Field("secret_key", "Secret key", pattern=r"sk_{mode}_[A-Za-z0-9]+", help="sk_test_... or sk_live_..."),
            registry.Field("webhook_secret", "Webhook signing secret", pattern=r"whsec_[A-Za-z0-9]+", help="whsec_..."),
        ),
        settings=(
            registry.Field(
                "publishable_key", "Publishable key", pattern=r"pk_{mode}_[A-Za-z0-9]+", help="pk_test_... or pk_live_..."
            ),
        ),
        test=test_call,
        intake=StripeIntake(),
        refused_status=400,
        docs_url="https://docs.stripe.com/api",
    )
)
