"""The interface every payment provider adapter implements (sandbox now; Stripe and PayPal later).

Adapters speak the provider's wire format and return these plain results; the
services never see a provider's own objects, and never the card number beyond
the call that charges it (only its brand and last four digits are kept).
"""

from __future__ import annotations

import abc
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
