"""Several dispatchers and workers at once on PostgreSQL: every delivery made once and sent once."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, transaction

from core import outbox
from core.models import OutboxEvent
from integrations import services
from integrations.models import WebhookAttempt, WebhookDelivery

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def _publish(org: Any, n: int) -> list[OutboxEvent]:
    with transaction.atomic():
        return [outbox.publish("registration.created", org.id, {"id": str(i), "eventId": None}) for i in range(n)]


def _in_threads(fn: Any, n: int = THREADS) -> list[Any]:
    barrier = threading.Barrier(n)

    def run(_: int) -> Any:
        try:
            barrier.wait()
            return fn()
        finally:
            connection.close()  # each worker thread has its own connection

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_parallel_dispatchers_take_disjoint_rows_and_never_double_send(org, subscribe):
    subscribe()
    subscribe()
    _publish(org, 60)

    def drain() -> list[Any]:
        made = []
        while batch := services.outbox_dispatch(limit=5):
            made.extend(batch)
        return made

    made = [delivery_id for batch in _in_threads(drain) for delivery_id in batch]
    # each dispatcher reports only deliveries it created: with overlapping rows the sum would exceed 120
    assert len(made) == len(set(made)) == 120
    assert WebhookDelivery.objects.count() == 120
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()


def test_a_row_locked_by_another_dispatcher_is_skipped_not_waited_for(org, subscribe):
    subscribe()
    locked_row, free_row = _publish(org, 2)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                OutboxEvent.objects.select_for_update().get(pk=locked_row.pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        made = services.outbox_dispatch()  # returns at once, without the locked row
        assert [WebhookDelivery.objects.get(pk=d).outbox_event_id for d in made] == [free_row.id]
    finally:
        release.set()
        holder.join()
    assert len(services.outbox_dispatch()) == 1  # the other dispatcher let go without dispatching: now it is taken


def test_parallel_workers_send_a_delivery_once(org, receiver, subscribe):
    subscribe()
    _publish(org, 1)
    [delivery_id] = services.outbox_dispatch()
    outcomes = _in_threads(lambda: services.delivery_attempt(delivery_id=delivery_id))
    assert [o.status for o in outcomes if o is not None] == ["succeeded"]
    assert len(receiver.requests) == 1
    assert WebhookAttempt.objects.count() == 1


def test_parallel_workers_given_overlapping_batches_claim_and_send_each_delivery_once(org, receiver, subscribe):
    for _ in range(5):
        subscribe()
    _publish(org, 8)
    ids = services.outbox_dispatch()
    assert len(ids) == 40

    def attempt_all() -> dict[Any, Any]:
        # every worker is handed every delivery, in its own order: the claims must still be disjoint
        return services.deliveries_attempt(delivery_ids=random.sample(ids, len(ids)))

    claimed = [delivery_id for outcomes in _in_threads(attempt_all) for delivery_id in outcomes]
    assert sorted(claimed) == sorted(ids)  # each delivery attempted by exactly one worker
    assert len(receiver.requests) == 40
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 40
    assert WebhookAttempt.objects.count() == 40
    assert set(WebhookDelivery.objects.values_list("status", "attempt_count")) == {("succeeded", 1)}
