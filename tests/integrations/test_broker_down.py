"""Broker unreachable when a registration is made: the request succeeds at once, and the sweep delivers later."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from accounts.roles import Role
from config.celery import app as celery_app
from core.models import OutboxEvent
from integrations import tasks
from integrations.models import WebhookDelivery
from tests.integrations.helpers import verify
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down() -> str:
    """The broker URL names a Redis port nobody listens on."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    celery_app.conf.broker_url = f"redis://127.0.0.1:{port}/3"  # the autouse _memory_broker restores it
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    return celery_app.conf.broker_url


def test_a_registration_succeeds_fast_and_the_sweep_delivers_it_later(
    api: Any, member: Any, org: Any, receiver: Any, subscribe: Any, broker_down: str, django_capture_on_commit_callbacks: Any
) -> None:
    assert not celery_app.conf.task_always_eager
    _, secret = subscribe(["registration.created"])
    event = PublishedEventFactory(organization=org)
    free = TicketTypeFactory(event=event)
    client = api(member(Role.EDITOR))
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            "/api/v1/registrations",
            {"eventId": str(event.id), "ticketTypeId": str(free.id), "attendees": [{"name": "Ada", "email": "ada@example.com"}]},
            format="json",
        )
    elapsed = time.monotonic() - started
    assert response.status_code == 201
    assert callbacks, "the outbox hook ran after the commit and tried the broker"
    assert elapsed < 2.0, f"the request waited {elapsed:.1f} s for the broker"
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()
    assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 2  # created and confirmed

    # The broker is still down: the sweep dispatches, cannot hand the delivery to a worker, and sends it itself.
    assert tasks.sweep() == 1
    [request] = receiver.requests
    body = verify(secret, request)
    assert body["event"] == "registration.created" and body["data"]["id"] == response.json()["data"][0]["id"]
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
    assert WebhookDelivery.objects.get().status == "succeeded"
