"""The PayPal flow on the payment services: checkout (an order to approve), return and cancel, notifications."""

from __future__ import annotations

from connectors.models import Connection, InboundEvent


def handle_notification(connection: Connection, event: InboundEvent) -> bool:
    """Act on a verified webhook or IPN message (wired to the payment services with the payments core)."""
    return False
