"""Hooks of ``integrations`` for apps to its right (the real-time stream), sent after the commit.

``deliveries_changed``: webhook deliveries were created or attempted (``sender=WebhookDelivery``,
keyword argument ``ids``, the deliveries' ids). Sent once their transaction has committed; a
receiver must be cheap (it runs on the delivery path) and must not raise (``send_robust``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

deliveries_changed = Signal()


def announce_deliveries(ids: Iterable[uuid.UUID]) -> None:
    """Send ``deliveries_changed`` for ``ids`` now, or after the commit when inside a transaction."""
    ids = list(ids)
    if not ids or not deliveries_changed.has_listeners():
        return

    def send() -> None:
        from integrations.models import WebhookDelivery

        for receiver, result in deliveries_changed.send_robust(sender=WebhookDelivery, ids=ids):
            if isinstance(result, Exception):
                logger.warning("deliveries_changed receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)
