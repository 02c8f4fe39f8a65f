"""The sandbox provider: in process, deterministic, no network. Its test cards:

| card number | result |
|---|---|
| 4242 4242 4242 4242 | succeeds |
| 4000 0000 0000 0002 | declined, ``card_declined`` |
| 4000 0000 0000 9995 | declined, ``insufficient_funds`` |

Any other number is an invalid card (InvalidCard). Spaces and dashes are ignored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal

from payments.providers.base import (
    ConfirmResult,
    InvalidCard,
    Notification,
    PaymentProvider,
    ProviderError,
    ProviderPayment,
    ProviderRefund,
)

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"

_DECLINES = {
    DECLINED: ("card_declined", "The card was declined."),
    INSUFFICIENT_FUNDS: ("insufficient_funds", "The card has insufficient funds."),
}
# The test cards as the developer portal lists them: number -> the decline code (None: it succeeds).
TEST_CARDS: dict[str, str | None] = {SUCCEEDS: None, **{number: code for number, (code, _) in _DECLINES.items()}}


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


class SandboxProvider(PaymentProvider):
    name = "sandbox"

    def create(self, *, amount: Decimal, currency: str, reference: str, metadata: Mapping[str, str]) -> ProviderPayment:
        return ProviderPayment(id=f"sbx_pay_{_digest(reference)}", amount=amount, currency=currency, status="requires_payment")

    def confirm(self, *, provider_payment_id: str, card_number: str) -> ConfirmResult:
        number = "".join(ch for ch in card_number if ch not in " -")
        if number == SUCCEEDS:
            return ConfirmResult(succeeded=True, card_brand="visa", card_last4=number[-4:])
        if number in _DECLINES:
            code, message = _DECLINES[number]
            return ConfirmResult(
                succeeded=False, card_brand="visa", card_last4=number[-4:], failure_code=code, failure_message=message
            )
        raise InvalidCard("Use a sandbox test card: 4242 4242 4242 4242, 4000 0000 0000 0002 or 4000 0000 0000 9995.")

    def refund(self, *, provider_payment_id: str, amount: Decimal) -> ProviderRefund:
        return ProviderRefund(id=f"sbx_re_{_digest(provider_payment_id, str(amount))}", amount=amount)

    def parse_notification(self, *, body: bytes, headers: Mapping[str, str]) -> Notification:
        """Sandbox notifications are JSON ``{"type", "paymentId", "data"}`` (no signature: nothing leaves the process)."""
        try:
            raw = json.loads(body)
            return Notification(provider_payment_id=str(raw["paymentId"]), type=str(raw["type"]), data=raw.get("data") or {})
        except (ValueError, KeyError, TypeError) as exc:
            raise ProviderError(f"unreadable sandbox notification: {exc}") from exc
