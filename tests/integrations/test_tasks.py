"""The Celery tasks: declared to beat, idempotent, and a near retry also sent as a countdown message."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from config.celery import app as celery_app
from core import outbox
from integrations import services, tasks
from integrations.models import WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db


def test_the_sweep_and_the_purge_are_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["webhooks-sweep"]["schedule"] == 30
    assert {schedule["webhooks-sweep"]["task"], schedule["webhooks-purge"]["task"]} <= set(celery_app.tasks)


def _delivery(org: Any) -> str:
    with transaction.atomic():
        outbox.publish("registration.created", org.id, {"id": "r1", "eventId": None})
    [delivery_id] = services.outbox_dispatch()
    return str(delivery_id)


def test_deliver_is_idempotent(org, receiver, subscribe):
    subscribe()
    delivery_id = _delivery(org)
    assert tasks.deliver(delivery_id) == "succeeded"
    assert tasks.deliver(delivery_id) is None  # a redelivered message: nothing to do
    assert tasks.deliver("00000000-0000-0000-0000-000000000000") is None
    assert len(receiver.requests) == 1 and WebhookAttempt.objects.count() == 1


def test_the_five_second_retry_is_also_sent_as_a_countdown_and_later_ones_wait_for_the_sweep(
    org, receiver, subscribe, monkeypatch
):
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda **options: sent.append(options))
    receiver.default = (500, {})
    subscribe()
    delivery_id = _delivery(org)
    assert tasks.deliver(delivery_id) == "pending"
    [options] = sent
    assert options["args"] == [delivery_id] and 3.5 <= options["countdown"] <= 5.5 and options["retry"] is False
    services.delivery_attempt(delivery_id=delivery_id, now=WebhookDelivery.objects.get().next_attempt_at)
    tasks.deliver(delivery_id)  # not due (the next retry is minutes away): no message
    assert len(sent) == 1


def test_dispatch_outbox_task_sends_each_new_delivery(org, subscribe, monkeypatch):
    sent: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks, "send_now", lambda task, *args: sent.append((task.name, *args)))
    subscribe()
    with transaction.atomic():
        row = outbox.publish("registration.created", org.id, {"id": "r1", "eventId": None})
    assert tasks.dispatch_outbox([str(row.id)]) == 1
    [(name, delivery_id)] = sent
    assert name == "integrations.tasks.deliver"
    assert WebhookDelivery.objects.get().pk.hex == delivery_id.replace("-", "")
