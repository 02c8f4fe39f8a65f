"""The interface every payment provider adapter implements (sandbox now; Stripe and PayPal later).

Adapters speak the provider's wire format and return these plain results; the
services never see a provider's own objects, and never the card number beyond
the call that charges it (only its brand and last four digits are kept).
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


class ProviderError(Exception):
    """The provider failed (unreachable, or answered an error that is not a decline)."""


class InvalidCard(ProviderError):
    """The card number is not one the provider accepts; nothing was charged."""


@dataclass(frozen=True)
class ProviderPayment:
    id: str
    amount: Decimal
    currency: str
    status: str  # "requires_payment"


@dataclass(frozen=True)
class ConfirmResult:
    succeeded: bool
    card_brand: str = ""
    card_last4: str = ""
    failure_code: str = ""
    failure_message: str = ""


@dataclass(frozen=True)
class ProviderRefund:
    id: str
    amount: Decimal


@dataclass(frozen=True)
class Notification:
    """A provider's webhook, normalized: which payment, what happened."""

    provider_payment_id: str
    type: str  # "payment.succeeded" | "payment.failed" | "refund.succeeded"
    data: Mapping[str, Any] = field(default_factory=dict)


class PaymentProvider(abc.ABC):
    name: str

    @abc.abstractmethod
    def create(self, *, amount: Decimal, currency: str, reference: str, metadata: Mapping[str, str]) -> ProviderPayment: ...

    @abc.abstractmethod
    def confirm(self, *, provider_payment_id: str, card_number: str) -> ConfirmResult:
        """Charge the card. A decline is a result (``succeeded=False``); raises InvalidCard, ProviderError."""

    @abc.abstractmethod
    def refund(self, *, provider_payment_id: str, amount: Decimal) -> ProviderRefund: ...

    @abc.abstractmethod
    def parse_notification(self, *, body: bytes, headers: Mapping[str, str]) -> Notification: ...


# -- real gateways (Stripe, PayPal): reached through a connector connection --------------------
# A gateway's payment, as the platform's services understand it. "requires_action": the buyer must do
# something (3-D Secure, approve at PayPal); "authorized": the money is reserved and the platform's capture is the
# next step (Stripe requires_capture, a PayPal order approved or authorized); "processing": the money is on its
# way; the last three are final.
GATEWAY_STATUSES = ("requires_payment", "requires_action", "authorized", "processing", "succeeded", "failed", "canceled")


@dataclass(frozen=True)
class Checkout:
    """What a client needs to take the payment: Stripe's client secret and publishable key, or the URL a
    redirect flow (PayPal) sends the buyer to. ``references`` are the vendor's ids to file under the payment
    (kind -> value, e.g. {"intent": "pi_..."})."""

    provider_payment_id: str
    status: str
    client_secret: str = ""
    publishable_key: str = ""
    approval_url: str = ""
    references: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundState:
    """One refund as the gateway sees it now; status "pending" | "succeeded" | "failed" | "canceled"."""

    provider_refund_id: str
    amount: Decimal
    status: str
    failure_reason: str = ""
    reference: str = ""  # the platform's refund id, when the gateway kept it (Stripe: metadata)


@dataclass(frozen=True)
class DisputeState:
    """A dispute (chargeback) as the gateway sees it; ``outcome`` is "" while open, "won" or "lost" once closed."""

    provider_dispute_id: str
    amount: Decimal
    status: str
    reason: str = ""
    outcome: str = ""


@dataclass(frozen=True)
class ProviderState:
    """The gateway's CURRENT state of one payment (fetched from it, never taken from a notification's body).

    ``references``: the vendor's ids to file under the payment, as (kind, value) pairs with kind one of
    payments.models.ReferenceKind (charge, capture, authorization, ...). ``refunds`` and ``disputes``: all the
    gateway knows of, so applying the state twice, or an older one after a newer, changes nothing more.
    """

    provider_payment_id: str
    status: str
    amount: Decimal
    currency: str
    references: tuple[tuple[str, str], ...] = ()
    payment_method: str = ""  # a label: "visa •••• 4242", "paypal buyer@example.com" is never kept (personal data)
    card_brand: str = ""
    card_last4: str = ""
    failure_code: str = ""
    failure_message: str = ""
    refunds: tuple[RefundState, ...] = ()
    disputes: tuple[DisputeState, ...] = ()


# A gateway's subscription (a series pass sold as one), as the platform understands it: "incomplete" until the first
# cycle is paid, "active" while paid up, "past_due" after a failed renewal (the gateway retries), "canceled" at the end.
SUBSCRIPTION_STATUSES = ("incomplete", "active", "past_due", "canceled")


@dataclass(frozen=True)
class SubscriptionCheckout:
    """What the buyer needs to pay a new subscription's first cycle: Stripe's client secret of its first invoice
    (Stripe Elements), or PayPal's approval URL. ``references``: the vendor's ids to file (kind -> value)."""

    provider_subscription_id: str
    status: str
    client_secret: str = ""
    publishable_key: str = ""
    approval_url: str = ""
    references: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SubscriptionState:
    """A subscription as the gateway shows it NOW (fetched, never taken from a notification): its status, the end of
    the period paid for, and the gateway's id of every cycle paid so far (Stripe's paid invoices, PayPal's completed
    sale transactions), so applying it twice, or an older notification after a newer, changes nothing more."""

    provider_subscription_id: str
    status: str
    current_period_end: dt.datetime | None = None
    paid_cycles: tuple[str, ...] = ()
    failure_reason: str = ""


class GatewayProvider(abc.ABC):
    """A payment gateway reached through a ``connectors.models.Connection`` (every call through
    ``connectors.calls.call``, so the breaker, retries, the call log and the idempotency key apply).

    Raises ``connectors.exceptions`` errors: Unavailable (retry may help), Rejected (it will not),
    CircuitOpen, Disconnected. Never called inside a transaction that holds a lock.
    """

    name: str

    @abc.abstractmethod
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
    ) -> Checkout: ...

    @abc.abstractmethod
    def checkout(self, connection: Any, *, provider_payment_id: str) -> Checkout:
        """The client's view of an existing checkout (the client secret again, the approval URL again)."""

    @abc.abstractmethod
    def retrieve(self, connection: Any, *, provider_payment_id: str) -> ProviderState: ...

    @abc.abstractmethod
    def refund(
        self, connection: Any, *, provider_payment_id: str, amount: Decimal, currency: str, idempotency_key: str, reason: str = ""
    ) -> RefundState: ...

    def capture(
        self, connection: Any, *, provider_payment_id: str, amount: Decimal | None, idempotency_key: str
    ) -> ProviderState:
        """Capture an authorized payment (authorize-then-capture flows); gateways without it refuse."""
        raise NotImplementedError(f"{self.name} does not capture separately")

    # -- subscriptions (series passes) --------------------------------------------------------------
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
        """Open a subscription of ``amount`` every ``interval`` ("month" or "year"); nothing is charged until the buyer
        pays the first cycle. Every call it makes derives its key from ``idempotency_key`` (a retry opens it once)."""
        raise NotImplementedError(f"{self.name} does not sell subscriptions")

    def subscription_checkout(self, connection: Any, *, provider_subscription_id: str) -> SubscriptionCheckout:
        raise NotImplementedError(f"{self.name} does not sell subscriptions")

    def retrieve_subscription(self, connection: Any, *, provider_subscription_id: str) -> SubscriptionState:
        raise NotImplementedError(f"{self.name} does not sell subscriptions")

    def cancel_subscription(
        self, connection: Any, *, provider_subscription_id: str, idempotency_key: str, reason: str
    ) -> SubscriptionState:
        """End the subscription at the gateway now (no further renewals); one already ended is only read back."""
        raise NotImplementedError(f"{self.name} does not sell subscriptions")
