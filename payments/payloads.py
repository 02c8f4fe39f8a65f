"""Outbox payloads: the payment exactly as the API renders it (camelCase)."""

from __future__ import annotations

from typing import Any

from api.casing import camelize
from core import outbox
from payments.models import Payment, Refund
from payments.serializers import PaymentSerializer, RefundSerializer


def publish_payment(event_type: str, payment: Payment, refund: Refund | None = None) -> None:
    """Publish ``event_type`` for ``payment`` (with the refund just made, under ``refund``); call inside the transaction."""
    data: dict[str, Any] = dict(PaymentSerializer(payment).data)
    if refund is not None:
        data["refund"] = dict(RefundSerializer(refund).data)
    outbox.publish(event_type, payment.organization_id, camelize(data))
