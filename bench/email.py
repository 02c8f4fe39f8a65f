"""Email benchmark: 10,000 reminders for one event through the SendGrid fake with one Celery worker.

Starts a throwaway PostgreSQL server of its own (or uses ``--database-url``, dropped and recreated), migrates,
seeds one organization with a published event, ``--messages`` confirmed registrations (bulk rows: the seed is
not measured) and a SendGrid connection, starts the SendGrid fake (``tests/fakes/sendgrid.py``) on 127.0.0.1
in this process, starts one worker (``celery -A config worker --pool prefork --concurrency 1``) on Redis, and
queues the event's 7-day reminders with ``communications.notify.run`` (message rows in bulk and one connector job
per batch of ``--batch-size`` recipients, handed to the worker on commit; each job is one SendGrid request with a
personalization per recipient). It waits until the fake has accepted every message, then prints

- messages/s from the first queued message to the last accepted one (target: >= 200), and the time to queue;
- the worker process's resident memory sampled through the run (start, quarter, half, three quarters, end)
  and its peak (VmHWM): the target is memory flat over the run;
- duplicates (a message accepted twice) and messages not sent.

    .venv/bin/python bench/email.py                       # private PostgreSQL, Redis db 9
    .venv/bin/python bench/email.py --messages 2000
    .venv/bin/python bench/email.py --database-url postgres://postgres@127.0.0.1:5432/emp_bench_email

This is a script that prints figures, not a test.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import api_read  # the read benchmark's helpers: database, ports, the CPU reference
import webhooks  # the webhook benchmark's helpers: a private PostgreSQL, the worker, /proc

ROOT = api_read.ROOT
TARGET_MPS = 200.0


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def seed(n: int) -> dict[str, Any]:
    from accounts.models import Organization
    from connectors import services as connector_services
    from core.audit import SYSTEM
    from events.models import Event, EventStatus
    from registrations.models import Registration, RegistrationStatus, TicketType

    org = Organization.objects.create(name="Bench Events", slug=f"bench-{uuid.uuid4().hex[:6]}")
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    event = Event.objects.create(
        organization=org,
        title="Bench Summit",
        slug="bench-summit",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8),
        time_zone="Europe/Berlin",
        status=EventStatus.PUBLISHED,
        capacity=n,
    )
    ticket = TicketType.objects.create(organization=org, event=event, name="Standard", price=0, currency="EUR")
    order = uuid.uuid4()
    rows = [
        Registration(
            organization=org,
            event=event,
            ticket_type=ticket,
            order_id=order,
            attendee_name=f"Attendee {i}",
            attendee_email=f"attendee{i}@example.com",
            status=RegistrationStatus.CONFIRMED,
        )
        for i in range(n)
    ]
    Registration.objects.bulk_create(rows, batch_size=2000)
    connector_services.connection_create(
        actor=SYSTEM, organization=org, kind="email", vendor="sendgrid", mode="live", credentials={"api_key": "SG.bench.key"}
    )
    return {"event": event.pk}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_EMAIL_DATABASE_URL", ""), help="default: a private server"
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--batch-size", type=int, default=500, help="EMAIL_BATCH_SIZE (at most 1000)")
    parser.add_argument("--keep", action="store_true", help="keep the database (with --database-url)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from tests.fakes.sendgrid import SendGridFake

    fake = SendGridFake().start()
    pg = None if args.database_url else webhooks.PrivatePostgres()
    url = args.database_url or pg.start()  # type: ignore[union-attr]
    namespace = f"bench-email-{uuid.uuid4().hex[:8]}"
    env = api_read.server_env(
        url,
        {
            "CELERY_BROKER_URL": args.redis_url,
            "CELERY_QUEUE": namespace,
            "CELERY_REDIS_KEY_PREFIX": f"{namespace}:",
            "SENDGRID_API_URL": fake.url + "/v3/",
            "EMAIL_BACKEND": "communications.backends.EmailBackend",
            "EMAIL_BATCH_SIZE": str(args.batch_size),
            "CONN_MAX_AGE": "0",
        },
    )
    worker = None
    log_dir = Path(tempfile.mkdtemp(prefix="emp-bench-email-"))
    try:
        print(f"database on {'a private PostgreSQL server' if pg else url}, broker {args.redis_url}, one worker process")
        print(f"cpu reference (a fixed Python loop; lower is a faster machine): {api_read.cpu_reference_ms():.0f} ms")
        api_read.recreate_database(url)
        subprocess.run(
            [api_read.PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        os.environ.update(env)
        api_read.setup_django(url)
        ids = seed(args.messages)
        worker = webhooks.start_worker(env, 1, log_dir / "worker.log")
        children = webhooks._children(worker.pid)
        child = children[0] if children else worker.pid
        samples: list[tuple[int, int]] = []  # (messages accepted, worker RSS KiB)
        done = threading.Event()

        def accepted_count() -> int:  # messages, not requests: a batch request carries one per personalization
            with fake.lock:
                return sum(len(s["personalizations"]) for s in fake.sent)

        def watch() -> None:
            while not done.is_set():
                samples.append((accepted_count(), rss_kib(child)))
                time.sleep(0.25)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        from communications import notify
        from communications.models import Message, MessageStatus

        started = time.monotonic()
        queued = notify.run("reminder", ids["event"], 7)
        queue_seconds = time.monotonic() - started
        deadline = started + args.timeout
        while accepted_count() < queued and time.monotonic() < deadline:
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        done.set()
        watcher.join()
        accepted = accepted_count()
        requests = len(fake.sent)
        per_message = Counter(s["custom_args"]["emp_message"] for s in fake.delivered)
        duplicates = sum(c - 1 for c in per_message.values() if c > 1)
        time.sleep(1.0)  # the worker records the last sends
        not_sent = Message.objects.exclude(status=MessageStatus.SENT).count()
        mps = accepted / elapsed if elapsed else 0.0
        print(f"queued {queued} reminders in {queue_seconds:.1f} s ({queued / queue_seconds:.0f}/s)")
        print(
            f"accepted {accepted} in {elapsed:.1f} s: {mps:.0f} messages/s "
            f"(target >= {TARGET_MPS:.0f}: {'met' if mps >= TARGET_MPS else 'NOT met'})"
        )
        print(f"requests to SendGrid {requests} (batches of up to {args.batch_size} recipients)")
        print(f"duplicates {duplicates}, messages not marked sent {not_sent}")
        marks = [0.0, 0.25, 0.5, 0.75, 1.0]
        curve = []
        for mark in marks:
            goal = int(accepted * mark)
            rss = next((r for n, r in samples if n >= goal and r), samples[-1][1] if samples else 0)
            curve.append(f"{int(mark * 100)}%: {rss / 1024:.0f} MiB")
        print("worker RSS over the run: " + ", ".join(curve))
        print(f"worker peak RSS (VmHWM): {rss_kib(child, 'VmHWM') / 1024:.0f} MiB")
    finally:
        if worker is not None:
            webhooks.stop_worker(worker)
            errors = [ln for ln in (log_dir / "worker.log").read_text(errors="replace").splitlines() if "ERROR" in ln]
            if errors:
                print(f"worker log: {len(errors)} ERROR lines, the first: {errors[0][:300]}")
        shutil.rmtree(log_dir, ignore_errors=True)
        fake.stop()
        import redis

        client = redis.Redis.from_url(args.redis_url)
        for key in client.scan_iter(match=f"{namespace}:*"):
            client.delete(key)
        if pg is not None:
            from django.db import connections

            connections.close_all()
            pg.stop()
        else:
            api_read.finish(url, args.keep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
