"""Beyond one machine: two web servers and two workers on one PostgreSQL (behind PgBouncer) and one Redis.

The production topology of docs/operations.md, in small: two gunicorn servers
and two Celery workers, separate processes, every database connection going
through PgBouncer in transaction mode (tests.pgbouncer). Registrations are
created through both servers at once; each one's webhook must reach the
subscriber exactly once and each confirmation email (a SendGrid connector
job) must be sent exactly once, while both workers also run the webhook and
connector sweeps that race with the deliveries.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accounts import services as account_services
from communications.models import Message, MessageStatus
from connectors import services as connector_services
from connectors import tasks as connector_tasks
from connectors.models import ConnectorJob, JobStatus
from core.audit import SYSTEM
from core.jobs import send_now
from integrations import services as webhook_services
from integrations import tasks as webhook_tasks
from integrations.models import DeliveryStatus, WebhookDelivery
from tests.celery_worker import CeleryWorker, wait_until, worker_database_url
from tests.fakes.sendgrid import SendGridFake
from tests.integrations.conftest import Receiver, receiver
from tests.integrations.helpers import verify
from tests.pgbouncer import PgBouncer, free_port, pgbouncer
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory

__all__ = ["pgbouncer", "receiver"]  # fixtures

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

REGISTRATIONS = 24


@pytest.fixture
def sendgrid() -> Iterator[SendGridFake]:
    server = SendGridFake().start()
    yield server
    server.stop()


class WebServer:
    """``gunicorn -c config/gunicorn.py config.wsgi`` on a free loopback port."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
                cwd=Path(__file__).resolve().parents[2],
                env={**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "1"},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_up(self) -> None:
        def up() -> bool:
            try:
                with urllib.request.urlopen(f"{self.base}/health/live", timeout=2):
                    return True
            except OSError:
                return self.process.poll() is not None  # died: fail below with its log

        wait_until(up, timeout=40, what="gunicorn")
        assert self.process.poll() is None, self.log.read_text(errors="replace")

    def post(self, path: str, body: dict[str, Any], token: str, key: str) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def test_two_web_servers_and_two_workers_share_the_work_without_duplicates(
    org: Any,
    pgbouncer: PgBouncer,
    receiver: Receiver,
    sendgrid: SendGridFake,
    celery_broker_env: dict[str, str],
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_LOOPBACK = True  # this process checks the URL; the workers send
    event = PublishedEventFactory(organization=org, capacity=REGISTRATIONS + 10)
    ticket = TicketTypeFactory(event=event)
    _, secret = webhook_services.subscription_create(
        actor=SYSTEM, organization=org, data={"event_types": ["registration.created"], "url": receiver.url}
    )
    connector_services.connection_create(
        actor=SYSTEM,
        organization=org,
        kind="email",
        vendor="sendgrid",
        mode="live",
        credentials={"api_key": "SG.orgkey.secret123", "webhook_verification_key": sendgrid.verification_key},
    )
    _, token = account_services.api_key_create(
        actor=SYSTEM, organization=org, data={"name": "Box office", "scopes": ["registrations:write"]}, creator_role=None
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": pgbouncer.url(worker_database_url()),
        "CONN_MAX_AGE": "60",
        "WORKER_CONN_MAX_AGE": "60",
        "RATE_LIMITS_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "WEBHOOK_ALLOW_HTTP": "true",
        "WEBHOOK_ALLOW_LOOPBACK": "true",
        "SENDGRID_API_URL": f"{sendgrid.url}/v3/",
        "EMAIL_BACKEND": "communications.backends.EmailBackend",
        "EMAIL_FALLBACK_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **celery_broker_env,
    }
    servers = [WebServer(env, tmp_path / f"gunicorn-{n}.log") for n in (1, 2)]
    workers = [CeleryWorker(env, tmp_path) for _ in (1, 2)]
    try:
        for worker in workers:
            worker.start()
        for server in servers:
            server.wait_up()

        answers: list[tuple[int, int, dict[str, Any]]] = []
        sweeping = threading.Event()

        def register(n: int) -> None:
            server = servers[n % 2]
            body = {
                "eventId": str(event.id),
                "ticketTypeId": str(ticket.id),
                "attendees": [{"name": f"Guest {n}", "email": f"guest{n}@example.com"}],
            }
            status, answer = server.post("/api/v1/registrations", body, token, key=f"scale-{n}")
            answers.append((n % 2, status, answer))

        def sweep() -> None:  # beat's sweeps, sent meanwhile: each worker may pick work up the other was given
            while not sweeping.is_set():
                send_now(webhook_tasks.sweep)
                send_now(connector_tasks.sweep)
                time.sleep(0.3)

        sweeper = threading.Thread(target=sweep)
        sweeper.start()
        try:
            threads = [threading.Thread(target=register, args=(n,)) for n in range(REGISTRATIONS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert [status for _, status, _ in answers] == [201] * REGISTRATIONS, answers
            assert Counter(server for server, _, _ in answers) == {0: REGISTRATIONS // 2, 1: REGISTRATIONS // 2}
            created = {answer["data"][0]["id"] for _, _, answer in answers}
            assert len(created) == REGISTRATIONS

            wait_until(lambda: len(receiver.requests) >= REGISTRATIONS, timeout=45, what="every webhook")
            wait_until(lambda: len(sendgrid.sent) >= REGISTRATIONS, timeout=45, what="every confirmation email")
            time.sleep(2)  # sweeps still running: anything sent twice would arrive now
        finally:
            sweeping.set()
            sweeper.join()

        # Each registration's webhook arrived once, signed, with a webhook-id of its own.
        bodies = [verify(secret, request) for request in receiver.requests]
        assert len(receiver.requests) == REGISTRATIONS
        assert Counter(body["data"]["id"] for body in bodies) == Counter(created)
        assert len({request.headers["webhook-id"] for request in receiver.requests}) == REGISTRATIONS
        deliveries = WebhookDelivery.objects.all()
        assert sorted(d.status for d in deliveries) == [DeliveryStatus.SUCCEEDED] * REGISTRATIONS
        assert {d.attempt_count for d in deliveries} == {1}

        # Each confirmation email went out once, through a connector job that ran once.
        recipients = Counter(p["to"][0]["email"] for sent in sendgrid.sent for p in sent["personalizations"])
        assert recipients == Counter(f"guest{n}@example.com" for n in range(REGISTRATIONS))
        jobs = ConnectorJob.objects.all()
        assert len(jobs) == REGISTRATIONS
        assert {(job.status, job.attempts) for job in jobs} == {(JobStatus.SUCCEEDED, 1)}
        assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}

        # Both workers took part, and every connection went through PgBouncer.
        for worker in workers:
            assert "succeeded in" in worker.output(), worker.output()
        [stats] = [row for row in pgbouncer.show("STATS") if row["database"] == settings.DATABASES["default"]["NAME"]]
        assert int(stats["total_xact_count"]) > REGISTRATIONS * 4, stats
    finally:
        for server in servers:
            server.stop()
        for worker in workers:
            worker.kill()
        for process in [*servers, *workers]:
            print(process.log.read_text(errors="replace")[-3000:] if isinstance(process, WebServer) else process.output()[-3000:])
