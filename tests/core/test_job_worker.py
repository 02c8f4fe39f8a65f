"""The periodic jobs and redelivery, run by a real Celery worker process (tests.celery_worker)."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import AccessToken, Application
from accounts.tasks import clear_expired_oauth_tokens
from api.models import RateBucket
from api.tasks import purge_rate_limits
from config.celery import app
from core.jobs import enqueue, send_now
from core.models import AuditEntry
from events.models import Event, EventStatus
from events.tasks import complete_ended_events
from registrations.models import Registration, RegistrationStatus
from registrations.tasks import expire_pending_registrations
from tests.celery_worker import wait_until
from tests.core.job_tasks import record_and_wait
from tests.factories import EventFactory
from tests.oauth.helpers import client_credentials_token, make_app
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory, register

pytestmark = pytest.mark.django_db(transaction=True)

ON_REDIS = bool(os.environ.get("REDIS_URL"))


def _status(model, pk):
    return model.objects.filter(pk=pk).values_list("status", flat=True).first()


def test_the_worker_expires_an_unpaid_registration_once_it_is_committed(org, celery_worker):
    event = PublishedEventFactory(organization=org, capacity=5, currency="EUR")
    paid = TicketTypeFactory(event=event, price=Decimal("25.00"))
    [pending] = register(event, paid, now=timezone.now() - dt.timedelta(hours=1))
    [fresh] = register(event, paid)
    assert pending.status == fresh.status == RegistrationStatus.PENDING_PAYMENT

    enqueue(expire_pending_registrations)

    wait_until(lambda: _status(Registration, pending.pk) == RegistrationStatus.CANCELLED, what="the expiry by the worker")
    assert _status(Registration, fresh.pk) == RegistrationStatus.PENDING_PAYMENT
    assert AuditEntry.objects.filter(action="registration.expired", object_id=str(pending.pk), actor_label="system").count() == 1
    assert "registrations.expire_pending" in celery_worker.output()


def test_the_worker_completes_ended_events(org, celery_worker):
    ended = EventFactory(organization=org, status=EventStatus.PUBLISHED, starts_at=timezone.now() - dt.timedelta(days=2))
    upcoming = EventFactory(organization=org, status=EventStatus.PUBLISHED, starts_at=timezone.now() + dt.timedelta(days=2))

    enqueue(complete_ended_events)

    wait_until(lambda: _status(Event, ended.pk) == EventStatus.COMPLETED, what="the completion by the worker")
    assert _status(Event, upcoming.pk) == EventStatus.PUBLISHED


def test_the_worker_purges_rate_limit_rows_and_clears_expired_oauth_tokens(org, celery_worker):
    RateBucket.objects.create(key="ip:idle", tokens=1, stamp=time.time() - 3600)
    RateBucket.objects.create(key="ip:busy", tokens=1, stamp=time.time())
    oauth_app, secret = make_app(organization=org, grant=Application.GRANT_CLIENT_CREDENTIALS, scopes=["events:read"])
    client_credentials_token(oauth_app, secret, "events:read")
    client_credentials_token(oauth_app, secret, "events:read")
    expired = AccessToken.objects.order_by("pk").first()
    AccessToken.objects.filter(pk=expired.pk).update(expires=timezone.now() - dt.timedelta(minutes=1))

    enqueue(purge_rate_limits)
    enqueue(clear_expired_oauth_tokens)

    wait_until(lambda: not AccessToken.objects.filter(pk=expired.pk).exists(), what="the expired token to go")
    assert AccessToken.objects.count() == 1
    assert list(RateBucket.objects.values_list("key", flat=True)) == ["ip:busy"]


def test_a_task_enqueued_in_a_rolled_back_transaction_is_never_sent(org, celery_worker):
    event = PublishedEventFactory(organization=org, capacity=5, currency="EUR")
    paid = TicketTypeFactory(event=event, price=Decimal("25.00"))
    with transaction.atomic():
        enqueue(expire_pending_registrations)
        transaction.set_rollback(True)
    [pending] = register(event, paid, now=timezone.now() - dt.timedelta(hours=1))
    enqueue(expire_pending_registrations)

    wait_until(lambda: _status(Registration, pending.pk) == RegistrationStatus.CANCELLED, what="the expiry by the worker")
    # The worker logs the success after the task's commit: wait for the line, then count. One queue, first in first
    # out: a task sent by the rolled-back transaction would have come first and shown as a second task id.
    # Its own line: another task's "succeeded" (the registration's email) may come first.
    wait_until(
        lambda: re.search(r"Task registrations\.expire_pending\[[^]]+\] succeeded", celery_worker.output()),
        what="the worker's log of the task",
    )
    assert celery_worker.output().count("Task registrations.expire_pending[") == 2  # received, succeeded


def _runs(folder: Path) -> list[str]:
    path = folder / "runs"
    return path.read_text().split("\n")[:-1] if path.exists() else []


@pytest.mark.skipif(
    not ON_REDIS,
    reason="the filesystem broker deletes a message's file when a worker takes it, so a worker killed before "
    "acknowledging loses it: redelivery after a crash needs Redis (visibility timeout) or RabbitMQ; set REDIS_URL",
)
def test_a_task_whose_worker_is_killed_mid_run_is_redelivered_to_the_next_worker(celery_worker_factory, tmp_path):
    worker = celery_worker_factory(include=("tests.core.job_tasks",))
    enqueue(record_and_wait, str(tmp_path))
    wait_until(lambda: _runs(tmp_path), what="the first attempt to start")

    worker.kill()  # the whole worker at once: nothing acknowledged, nothing handed back
    (tmp_path / "release").touch()
    worker.start()

    wait_until(lambda: any(line.startswith("done") for line in _runs(tmp_path)), timeout=30, what="the redelivery")
    runs = _runs(tmp_path)
    assert [line.split()[0] for line in runs] == ["start", "start", "done"], runs


def test_a_task_whose_pool_process_is_killed_is_run_again_by_the_same_worker(celery_worker_factory, tmp_path):
    worker = celery_worker_factory(include=("tests.core.job_tasks",))
    enqueue(record_and_wait, str(tmp_path))
    [first] = wait_until(lambda: _runs(tmp_path), what="the first attempt to start")
    pid = int(first.split()[1])
    assert pid in worker.pool_pids()

    (tmp_path / "release").touch()
    os.kill(pid, signal.SIGKILL)  # acks_late + reject_on_worker_lost: the message goes back to the queue

    wait_until(lambda: any(line.startswith("done") for line in _runs(tmp_path)), timeout=30, what="the second attempt")
    runs = _runs(tmp_path)
    assert [line.split()[0] for line in runs] == ["start", "start", "done"], runs
    assert int(runs[1].split()[1]) != pid


def test_tasks_sent_by_tests_land_in_this_test_process_namespace_only(celery_broker_env, worker_id):
    queue = app.conf.task_default_queue
    assert queue == celery_broker_env["CELERY_QUEUE"] and queue.startswith(f"emp-test-{worker_id}-")

    send_now(purge_rate_limits)

    with app.connection_for_write() as connection:
        if ON_REDIS:
            assert app.conf.broker_transport_options["global_keyprefix"] == f"{queue}:"
            assert connection.default_channel.client.llen(queue) == 1  # the client adds the key prefix
        else:
            folder = Path(app.conf.broker_transport_options["data_folder_in"])
            assert not folder.is_relative_to(settings.BASE_DIR)  # never var/celery, which make run's worker reads
            assert len(list(folder.glob(f"*.{queue}.msg"))) == 1
        assert connection.default_channel.queue_purge(queue) == 1
