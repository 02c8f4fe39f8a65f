"""Webhook delivery attempts are counted by outcome with their latency (core.metrics), from real requests to a receiver."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from prometheus_client.registry import REGISTRY

from core import outbox
from integrations import services
from integrations.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def count(outcome: str) -> float:
    return REGISTRY.get_sample_value("platform_webhook_attempt_duration_seconds_count", {"outcome": outcome}) or 0.0


def test_attempts_are_counted_by_outcome(org: Any, receiver: Any, subscribe: Any, settings: Any) -> None:
    subscribe()
    with transaction.atomic():
        outbox.publish("registration.created", org.id, {"id": "r1", "eventId": None, "status": "confirmed"})
    [delivery_id] = services.outbox_dispatch()
    receiver.answer(503, 200)
    before = {outcome: count(outcome) for outcome in ("success", "http_5xx", "error")}

    first = services.delivery_attempt(delivery_id=delivery_id, now=timezone.now())
    assert first is not None and first.retry_at is not None
    services.delivery_attempt(delivery_id=delivery_id, now=first.retry_at)

    assert WebhookDelivery.objects.get(pk=delivery_id).status == "succeeded"
    assert count("http_5xx") == before["http_5xx"] + 1
    assert count("success") == before["success"] + 1
    assert count("error") == before["error"]
