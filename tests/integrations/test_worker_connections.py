"""A real worker keeps its PostgreSQL connection between tasks, and replaces one the server killed (config/celery.py)."""

from __future__ import annotations

import pytest
from django.db import connection

from integrations.models import DeliveryStatus, WebhookDelivery
from tests.celery_worker import wait_until
from tests.integrations.test_real_worker import WORKER_ENV, _register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _worker_backends() -> set[int]:
    """PostgreSQL backends of the test database other than this test's own connection: the worker's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        )
        return {row[0] for row in cursor.fetchall()}


def _delivered(n: int) -> bool:
    return WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() >= n


def test_the_worker_keeps_its_connection_between_tasks(api, member, org, receiver, subscribe, celery_worker_factory):
    celery_worker_factory(env=WORKER_ENV)
    subscribe(["registration.created"])

    _register(api, member, org)
    wait_until(lambda: _delivered(1), what="the first delivery")
    # The dispatch and the delivery ran and ended; their connection is still open, idle.
    kept = wait_until(_worker_backends, what="the worker's connection")

    _register(api, member, org)
    wait_until(lambda: _delivered(2), what="the second delivery")
    assert _worker_backends() == kept  # the same backend served the next tasks: no new connection


def _idle(log: str) -> bool:
    """Every task the worker received has ended (celery's "Task name[id] received" / "... succeeded in")."""
    return log.count("] received") == log.count("] succeeded in")


def test_a_kept_connection_the_server_killed_is_replaced_without_failing_the_task(
    api, member, org, receiver, subscribe, celery_worker_factory
):
    worker = celery_worker_factory(env=WORKER_ENV)
    subscribe(["registration.created"])
    _register(api, member, org)
    wait_until(lambda: _delivered(1), what="the first delivery")
    # The registration's other tasks (its confirmation email) finish too: the connection is killed between tasks,
    # as a server restart, a failover or an idle timeout would kill a kept one, not in the middle of one.
    wait_until(lambda: _idle(worker.output()), what="the worker to finish the first registration's tasks")
    killed = wait_until(_worker_backends, what="the worker's connection")
    with connection.cursor() as cursor:  # as a server restart, a failover or an idle timeout would
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [sorted(killed)])
    wait_until(lambda: not _worker_backends() & killed, what="the backend to end")

    _register(api, member, org)

    wait_until(lambda: _delivered(2), what="the second delivery")
    assert len(receiver.requests) == 2
    assert _worker_backends().isdisjoint(killed)  # a new connection replaced the dead one
    log = worker.output()
    # The health check found the dead connection before the task's first query: no task failed or was retried.
    assert "Retry in" not in log and "OperationalError" not in log and "InterfaceError" not in log, log


def test_with_worker_conn_max_age_0_the_worker_closes_its_connection_after_each_task(
    api, member, org, receiver, subscribe, celery_worker_factory
):
    celery_worker_factory(env={**WORKER_ENV, "WORKER_CONN_MAX_AGE": "0"})
    subscribe(["registration.created"])
    _register(api, member, org)
    wait_until(lambda: _delivered(1), what="the delivery")
    wait_until(lambda: not _worker_backends(), what="the worker to close its connection")
