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


def test_dispatch_outbox_task_sends_the_new_deliveries_in_batches(org, subscribe, monkeypatch, settings):
    settings.WEBHOOK_BATCH_SIZE = 2
    sent: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks, "send_now", lambda task, *args: sent.append((task.name, *args)))
    for _ in range(3):
        subscribe()
    with transaction.atomic():
        row = outbox.publish("registration.created", org.id, {"id": "r1", "eventId": None})
    assert tasks.dispatch_outbox([str(row.id)]) == 3
    assert [(name, len(ids)) for name, ids in sent] == [
        ("integrations.tasks.deliver_batch", 2),
        ("integrations.tasks.deliver_batch", 1),
    ]
    assert sorted(i for _, ids in sent for i in ids) == sorted(
        str(pk) for pk in WebhookDelivery.objects.values_list("pk", flat=True)
    )


def test_deliver_batch_attempts_what_is_due_once(org, receiver, subscribe):
    subscribe()
    subscribe()
    delivery_ids = _delivery_ids(org)
    assert tasks.deliver_batch(delivery_ids) == 2
    assert tasks.deliver_batch(delivery_ids) == 0  # a redelivered message: nothing is due
    assert len(receiver.requests) == 2 and WebhookAttempt.objects.count() == 2
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_the_sweep_sends_due_deliveries_in_batches(org, receiver, subscribe, monkeypatch, settings):
    settings.WEBHOOK_BATCH_SIZE = 2
    sent: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks, "send_now", lambda task, *args: sent.append((task.name, *args)) or True)
    for _ in range(5):
        subscribe()
    with transaction.atomic():
        outbox.publish("registration.created", org.id, {"id": "r1", "eventId": None})
    assert tasks.sweep() == 5  # dispatched by the sweep (no message was sent), then sent as due
    assert [(name, len(ids)) for name, ids in sent] == [("integrations.tasks.deliver_batch", n) for n in (2, 2, 1)]


def _delivery_ids(org: Any) -> list[str]:
    with transaction.atomic():
        outbox.publish("registration.created", org.id, {"id": "r1", "eventId": None})
    return [str(i) for i in services.outbox_dispatch()]
