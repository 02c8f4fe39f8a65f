"""Webhooks delivered by a real Celery worker process (tests.celery_worker), on Redis when REDIS_URL is set.

The rest of the webhook tests run the tasks in-process; these go through the
broker: the after-commit hook of an API write, the worker's dispatch and
delivery, the retry sent as a countdown message, beat's sweep, and a worker
killed in the middle of a request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accounts.roles import Role
from core.jobs import send_now
from integrations import tasks
from integrations.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from tests.celery_worker import wait_until
from tests.integrations.helpers import verify
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db(transaction=True)

# What a developer's machine sets to receive on loopback over http; a short timeout and lease for the kill test.
WORKER_ENV = {
    "WEBHOOK_ALLOW_HTTP": "true",
    "WEBHOOK_ALLOW_LOOPBACK": "true",
    "WEBHOOK_TIMEOUT_SECONDS": "5",
    "WEBHOOK_LEASE_GRACE_SECONDS": "0",
}


def _register(api: Any, member: Any, org: Any) -> dict[str, Any]:
    event = PublishedEventFactory(organization=org)
    free = TicketTypeFactory(event=event)
    response = api(member(Role.EDITOR)).post(
        "/api/v1/registrations",
        {"eventId": str(event.id), "ticketTypeId": str(free.id), "attendees": [{"name": "Ada", "email": "ada@example.com"}]},
        format="json",
    )
    assert response.status_code == 201, response.content
    [registration] = response.json()["data"]
    return registration


def test_a_registration_reaches_the_receiver_signed_through_the_worker(
    api, member, org, receiver, subscribe, celery_worker_factory
):
    celery_worker_factory(env=WORKER_ENV)
    _, secret = subscribe(["registration.created"])

    registration = _register(api, member, org)

    [request] = wait_until(lambda: receiver.requests, what="the delivery")
    body = verify(secret, request)  # the Standard Webhooks reference library accepts the signature
    assert body["event"] == "registration.created" and body["version"] == "1.0"
    assert body["data"] == registration  # the resource exactly as the API answered it
    assert body["id"] == request.headers["webhook-id"]
    delivery = wait_until(
        lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).first(), what="the recorded success"
    )
    assert delivery.message_id == request.headers["webhook-id"] and delivery.attempt_count == 1


def test_two_failures_then_success_is_delivered_on_the_third_attempt_with_one_webhook_id(
    api, member, org, receiver, subscribe, celery_worker_factory
):
    celery_worker_factory(env=WORKER_ENV)
    _, secret = subscribe(["registration.created"])
    receiver.answer(500, 500, 200)

    _register(api, member, org)

    # The first attempt at once, the second 5 s later (a countdown message the worker holds).
    wait_until(lambda: len(receiver.requests) >= 2, timeout=30, what="the 5-second retry")
    # Recorded, not only claimed: while an attempt is out, next_attempt_at is its lease, not the retry.
    wait_until(lambda: WebhookAttempt.objects.filter(number=2).exists(), what="the second failure to be recorded")
    delivery = WebhookDelivery.objects.get()
    # The third is due 5 minutes later (jittered): move the clock there, and beat's sweep sends it.
    assert dt.timedelta(minutes=4) < delivery.next_attempt_at - timezone.now() < dt.timedelta(minutes=6)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert send_now(tasks.sweep)

    wait_until(lambda: len(receiver.requests) == 3, what="the third attempt")
    ids = {r.headers["webhook-id"] for r in receiver.requests}
    assert ids == {delivery.message_id}
    assert verify(secret, receiver.requests[2])["event"] == "registration.created"
    wait_until(lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SUCCEEDED, what="success")
    statuses = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number").values_list("response_status", flat=True))
    assert statuses == [500, 500, 200]


def test_a_worker_killed_mid_delivery_leads_to_a_redelivery_with_the_same_webhook_id(
    api, member, org, receiver, subscribe, celery_worker_factory
):
    worker = celery_worker_factory(env=WORKER_ENV)
    _, secret = subscribe(["registration.created"])
    receiver.stall = 1  # the first request gets no answer: the worker dies waiting for it

    _register(api, member, org)
    [first] = wait_until(lambda: receiver.requests, what="the first attempt to reach the receiver")
    worker.kill()  # SIGKILL, worker and pool: no attempt recorded, nothing acknowledged
    receiver.release.set()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and not WebhookAttempt.objects.exists()

    worker.start()

    # The claim's lease (timeout 5 s + grace 0) runs out; then beat's sweep sends what is due. On Redis the
    # unacknowledged message comes back as well; either way the delivery goes out once more, not twice.
    def redelivered() -> bool:
        if len(receiver.requests) < 2:
            send_now(tasks.sweep)
        return len(receiver.requests) >= 2

    wait_until(redelivered, timeout=45, interval=1, what="the redelivery")
    second = receiver.requests[1]
    assert second.headers["webhook-id"] == first.headers["webhook-id"] == delivery.message_id
    assert verify(secret, second)["id"] == delivery.message_id
    wait_until(lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SUCCEEDED, what="success")
    assert WebhookDelivery.objects.count() == 1
