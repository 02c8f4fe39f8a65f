"""Money taken outside the platform (cash, a card terminal, a bank transfer), recorded by an organizer.

No money moves through this adapter: ``create`` names the record, ``confirm``
refuses (an offline payment is recorded as received by
``payments.services.payment_record_offline``, never charged), and ``refund``
records that the organizer paid the money back themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal

from payments.providers.base import ConfirmResult, Notification, PaymentProvider, ProviderError, ProviderPayment, ProviderRefund

# How the money came in: stored in the payment's provider reference ("cash:<payment id>").
METHODS = {"cash": "Cash", "card_terminal": "Card terminal", "bank_transfer": "Bank transfer", "other": "Other"}


class OfflineProvider(PaymentProvider):
    name = "offline"

    def create(self, *, amount: Decimal, currency: str, reference: str, metadata: Mapping[str, str]) -> ProviderPayment:
        return ProviderPayment(id=f"offline:{reference}", amount=amount, currency=currency, status="requires_payment")

    def confirm(self, *, provider_payment_id: str, card_number: str) -> ConfirmResult:
        raise ProviderError("An offline payment is recorded as received by the organizer, not charged.")

    def refund(self, *, provider_payment_id: str, amount: Decimal) -> ProviderRefund:
        return ProviderRefund(id=f"offline_re:{uuid.uuid4()}", amount=amount)

    def parse_notification(self, *, body: bytes, headers: Mapping[str, str]) -> Notification:
        raise ProviderError("Offline payments receive no notifications.")
