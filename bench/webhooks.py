"""Webhook delivery benchmark: registrations fanned out to subscriptions by one Celery worker on Redis.

Starts a throwaway PostgreSQL server of its own (``initdb`` in a temporary
folder, on a free port: every PostgreSQL CPU second it counts is this
benchmark's), or uses ``--database-url`` (a database it drops and recreates);
migrates, seeds one organization with a published free event, starts a
receiver on 127.0.0.1 (a threaded HTTP server that records each request's
``webhook-id`` and time of receipt and verifies its signature with the
``standardwebhooks`` package), creates 10 subscriptions to
``registration.created`` (one URL path each), starts one worker
(``celery -A config worker --concurrency 2``, prefork) on Redis, and then runs

1. burst: 1,000 registrations through ``registrations.services.registration_create``
   as fast as this process makes them: 10,000 deliveries; deliveries/s from the
   first commit to the last receipt. Target: >= 300 deliveries/s.
2. paced: 1,000 more at ``--rate`` registrations a second (default 25, 250
   deliveries/s, under the target throughput: the queue drains as it goes);
   p50/p95 from the commit of the registration to the receipt. Target: p95 < 2 s.

Each phase waits until every delivery has been received (or ``--timeout``),
then prints deliveries/s, p50/p95/max commit-to-receipt, duplicates (a
``webhook-id`` received twice), losses (a registration and subscription never
received), bad signatures, and the CPU spent per delivery: the worker's
processes and PostgreSQL's (from /proc), with the load of the machine, since
throughput on a shared machine moves with the neighbours and CPU per delivery
much less. Also transactions and new connections per delivery (pg_stat_database;
registrations and dispatch included).

    .venv/bin/python bench/webhooks.py                 # both phases, private PostgreSQL, Redis db 9
    .venv/bin/python bench/webhooks.py --phases burst --events 300
    .venv/bin/python bench/webhooks.py --database-url postgres://postgres@127.0.0.1:5432/emp_bench_webhooks

This is a script that prints figures, not a test.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import http.server
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import api_read  # the read benchmark's helpers: database, ports, the CPU reference

ROOT = api_read.ROOT
DB_NAME = "emp_bench_webhooks"
TARGET_DPS, TARGET_P95_S = 300.0, 2.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- processes and their CPU ----------------------------------------------------------------------
def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from the state on (the name may hold spaces)


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and int(fields[1]) == pid:
                kids.append(int(entry))
    return kids


def cpu_seconds(pid: int, *, with_exited_children: bool = False) -> float:
    """CPU time of ``pid`` and its live children (and, with ``with_exited_children``, of those it reaped)."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        fields = _stat(p)
        if fields is None:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if p == pid and with_exited_children:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / CLOCK_TICKS


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return float(sum(values) - idle), float(sum(values))


# -- a PostgreSQL server of its own ---------------------------------------------------------------
class PrivatePostgres:
    """``initdb`` + ``pg_ctl start`` in a temporary folder on a free port (as the postgres user when root)."""

    def __init__(self) -> None:
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        self.bin = Path(bindir)
        self.folder = Path(tempfile.mkdtemp(prefix="emp-bench-pg-"))
        self.data = self.folder / "data"
        self.port = api_read.free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres")

    def _run(self, *argv: str) -> None:
        subprocess.run([*self.as_user, *argv], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self) -> str:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w", "start")
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    @property
    def pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


# -- the receiver ---------------------------------------------------------------------------------
@dataclass
class Receipt:
    at: float
    path: str
    webhook_id: str
    body: bytes
    headers: dict[str, str]
    registration_id: str = ""
    verified: bool = False


@dataclass
class Receiver:
    secrets: dict[str, str] = field(default_factory=dict)  # URL path -> signing secret
    receipts: list[Receipt] = field(default_factory=list)


def verify(receipts: list[Receipt], secrets: dict[str, str]) -> None:
    """Check every receipt's signature with the ``standardwebhooks`` library and read its registration id.

    Done after the phase, not in the request handler: a real receiver runs on another
    machine, and here its CPU would be taken from the worker being measured.
    """
    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

    verifiers = {path: Webhook(secret) for path, secret in secrets.items()}
    for r in receipts:
        verifier = verifiers.get(r.path)
        try:
            payload = verifier.verify(r.body, r.headers) if verifier else json.loads(r.body)
            r.verified = verifier is not None
        except WebhookVerificationError:
            payload, r.verified = json.loads(r.body), False
        r.registration_id = str(payload.get("data", {}).get("id", ""))


def serve(state: Receiver) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            at = time.time()
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            headers = {k.lower(): v for k, v in self.headers.items()}
            # list.append is atomic: the handler threads need no lock. Signatures are checked after the phase.
            state.receipts.append(Receipt(at, self.path, headers.get("webhook-id", ""), body, headers))

        def log_message(self, *args: Any) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        request_queue_size = 256  # bursts of connections from the worker: no SYN drops
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


# -- the platform ---------------------------------------------------------------------------------
def platform_env(url: str, broker: dict[str, str]) -> dict[str, str]:
    return api_read.server_env(
        url,
        {
            **broker,
            "WEBHOOK_ALLOW_HTTP": "true",
            "WEBHOOK_ALLOW_LOOPBACK": "true",
            # The web process's own setting; the worker's are its defaults (docs/jobs.md).
            "CONN_MAX_AGE": "0",
        },
    )


def seed(receiver_port: int, subscriptions: int, receiver: Receiver) -> dict[str, Any]:
    """The registration benchmark's organization and free event, and ``subscriptions`` subscriptions to the receiver."""
    from core.audit import SYSTEM
    from events.models import Event
    from integrations import services

    # bench/registrations.py by path: on sys.path its name is the registrations app's.
    spec = importlib.util.spec_from_file_location("bench_registrations", api_read.BENCH_DIR / "registrations.py")
    assert spec is not None and spec.loader is not None
    bench_registrations = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_registrations)
    ids = bench_registrations.seed()
    event = Event.objects.select_related("organization").get(pk=ids["event"])
    org = event.organization
    for n in range(subscriptions):
        path = f"/hooks/{n}"
        _, secret = services.subscription_create(
            actor=SYSTEM,
            organization=org,
            data={"url": f"http://127.0.0.1:{receiver_port}{path}", "event_types": ["registration.created"]},
        )
        receiver.secrets[path] = secret
    return {"org": org.id, "event": event.id, "ticket_type": ids["ticket_type"]}


def start_worker(env: dict[str, str], concurrency: int, log: Path) -> subprocess.Popen[bytes]:
    argv = [api_read.PYTHON, "-m", "celery", "-A", "config", "worker", "--pool", "prefork", "--concurrency", str(concurrency)]
    argv += ["--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while " ready." not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)
    return proc


def stop_worker(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def db_counters(db_name: str) -> tuple[int, int]:
    """(transactions committed, sessions opened) of the benchmark's database so far."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_stat_force_next_flush()")
        cur.execute("SELECT xact_commit, sessions FROM pg_stat_database WHERE datname = %s", [db_name])
        commits, sessions = cur.fetchone()
    return int(commits), int(sessions)


def register(ids: dict[str, Any], email: str) -> Any:
    """One registration through the service, committed (it publishes ``registration.created``)."""
    from core.audit import SYSTEM
    from registrations import services

    [registration] = services.registration_create(
        actor=SYSTEM,
        organization_id=ids["org"],
        event_id=ids["event"],
        ticket_type_id=ids["ticket_type"],
        attendees=[{"name": "Bench Attendee", "email": email}],
    )
    return registration


# -- one phase ------------------------------------------------------------------------------------
@dataclass
class Sample:
    at: float
    worker_cpu: float
    pg_cpu: float | None
    own_cpu: float
    busy: tuple[float, float]
    db: tuple[int, int]


def sample(worker_pid: int, pg: PrivatePostgres | None, db_name: str) -> Sample:
    return Sample(
        at=time.time(),
        worker_cpu=cpu_seconds(worker_pid),
        pg_cpu=cpu_seconds(pg.pid, with_exited_children=True) if pg else None,
        own_cpu=time.process_time(),
        busy=machine_busy(),
        db=db_counters(db_name),
    )


def run_phase(
    name: str,
    ids: dict[str, Any],
    events: int,
    rate: float,
    receiver: Receiver,
    subscriptions: int,
    timeout: float,
    worker_pid: int,
    pg: PrivatePostgres | None,
    db_name: str,
) -> None:
    from django.db import connection

    start_index = len(receiver.receipts)
    committed: dict[str, float] = {}
    load_before = os.getloadavg()[0]
    before = sample(worker_pid, pg, db_name)
    # The registrations' own PostgreSQL work is this process's backend's: counted apart from the worker's.
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend_pid = int(cur.fetchone()[0])
    own_backend = cpu_seconds(backend_pid)
    run = uuid.uuid4().hex[:8]
    started = time.time()
    for i in range(events):
        if rate:
            delay = started + i / rate - time.time()
            if delay > 0:
                time.sleep(delay)
        registration = register(ids, f"{name}-{run}-{i}@bench.example")
        committed[str(registration.id)] = time.time()  # after the commit (and its after-commit hook)
    created = time.time()
    own_backend = cpu_seconds(backend_pid) - own_backend if pg else 0.0
    connection.close()  # no idle connection of this process while the worker runs
    expected = events * subscriptions
    deadline = created + timeout
    while len(receiver.receipts) - start_index < expected and time.time() < deadline:
        time.sleep(0.05)
    after = sample(worker_pid, pg, db_name)
    time.sleep(1.0)  # a late duplicate would come now
    verify(receiver.receipts[start_index:], receiver.secrets)
    receipts = [r for r in receiver.receipts[start_index:] if r.registration_id in committed]

    seen_ids: dict[str, int] = {}
    for r in receipts:
        seen_ids[r.webhook_id] = seen_ids.get(r.webhook_id, 0) + 1
    duplicates = sum(n - 1 for n in seen_ids.values())
    pairs = {(r.registration_id, r.path) for r in receipts}
    lost = expected - len(pairs)
    bad = sum(not r.verified for r in receipts)
    latencies = sorted(r.at - committed[r.registration_id] for r in receipts)
    last = max((r.at for r in receipts), default=created)
    span = max(last - started, 1e-9)
    delivered = len(pairs)
    dps = delivered / span
    cpu = after.worker_cpu - before.worker_cpu
    busy = (after.busy[0] - before.busy[0]) / max(after.busy[1] - before.busy[1], 1) * 100
    commits, sessions = after.db[0] - before.db[0], after.db[1] - before.db[1]
    per = max(delivered, 1)
    p50 = statistics.median(latencies) if latencies else float("nan")
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    pg_text = "n/a (a shared server)"
    if after.pg_cpu is not None and before.pg_cpu is not None:
        pg_text = f"{(after.pg_cpu - before.pg_cpu - own_backend) * 1000 / per:.2f} ms (+ {own_backend * 1000 / per:.2f} ms making the registrations)"
    print(
        f"[{name}] {events} registrations x {subscriptions} subscriptions"
        f"{f' at {rate:g}/s' if rate else ' as fast as they are made'} "
        f"(made in {created - started:.1f} s): {delivered}/{expected} delivered in {span:.1f} s = {dps:.0f} deliveries/s; "
        f"commit-to-receipt p50 {p50:.3f} s, p95 {p95:.3f} s, max {latencies[-1] if latencies else float('nan'):.3f} s; "
        f"duplicates {duplicates}, lost {lost}, bad signatures {bad}"
    )
    print(
        f"[{name}] CPU per delivery: worker {cpu * 1000 / per:.2f} ms, PostgreSQL {pg_text}, "
        f"this process (registrations + receiver) {(after.own_cpu - before.own_cpu) * 1000 / per:.2f} ms; "
        f"per delivery {commits / per:.2f} transactions, {sessions / per:.3f} new connections; "
        f"machine {busy:.0f} % busy, load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    if rate:
        ok = p95 < TARGET_P95_S and not lost and not duplicates
        print(f"[{name}] target p95 < {TARGET_P95_S:g} s, 0 lost, 0 duplicated: {'met' if ok else 'MISSED'}")
    else:
        ok = dps >= TARGET_DPS and not lost and not duplicates
        print(f"[{name}] target >= {TARGET_DPS:.0f} deliveries/s, 0 lost, 0 duplicated: {'met' if ok else 'MISSED'}")


# -- profile --------------------------------------------------------------------------------------
def profile(ids: dict[str, Any], n: int, top: int) -> None:
    """cProfile, in this process, of what the worker does for ``n`` registrations: dispatch, then the batch."""
    import cProfile
    import pstats

    from django.db import connection

    from core.models import OutboxEvent
    from integrations import services

    rows = []
    for i in range(n + 1):
        registration = register(ids, f"profile-{uuid.uuid4().hex[:8]}-{i}@bench.example")
        rows.append(OutboxEvent.objects.get(event_type="registration.created", data__id=str(registration.id)).id)
    queries: list[tuple[float, str]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - t) * 1000, sql))

    def one(row: Any) -> None:
        delivery_ids = services.outbox_dispatch(outbox_ids=[row])
        services.deliveries_attempt(delivery_ids=delivery_ids)

    with connection.execute_wrapper(record):
        one(rows[0])
    print(f"\n=== profile: one registration's dispatch and batch: {len(queries)} SQL statements")
    for ms, sql in queries:
        print(f"  {ms:7.2f} ms  {sql[:150]}")
    prof = cProfile.Profile()
    started = time.process_time()
    prof.enable()
    for row in rows[1:]:
        one(row)
    prof.disable()
    print(f"CPU in this process: {(time.process_time() - started) * 1000 / n:.1f} ms a registration (under the profiler)")
    for order in ("cumulative", "tottime"):
        api_read.print_top(pstats.Stats(prof), order, top, f"--- top {top} by {order} ({n} registrations)")


# -- main -----------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_WEBHOOKS_DATABASE_URL", ""), help="default: a private server"
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--events", type=int, default=1000, help="registrations a phase")
    parser.add_argument("--subscriptions", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--rate", type=float, default=25.0, help="registrations a second in the paced phase")
    parser.add_argument("--phases", default="burst,paced")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the deliveries of a phase")
    parser.add_argument("--keep", action="store_true", help="keep the database (with --database-url)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="then cProfile N registrations' delivery in-process")
    args = parser.parse_args()

    pg = None if args.database_url else PrivatePostgres()
    url = args.database_url or pg.start()  # type: ignore[union-attr]
    db_name = url.rsplit("/", 1)[-1]
    namespace = f"bench-webhooks-{uuid.uuid4().hex[:8]}"
    broker = {"CELERY_BROKER_URL": args.redis_url, "CELERY_QUEUE": namespace, "CELERY_REDIS_KEY_PREFIX": f"{namespace}:"}
    env = platform_env(url, broker)
    worker = None
    log_dir = Path(tempfile.mkdtemp(prefix="emp-bench-webhooks-"))
    try:
        where = "a private PostgreSQL server" if pg else url
        print(f"database on {where}, broker {args.redis_url} (queue {namespace}), worker concurrency {args.concurrency}")
        print(f"cpu reference (a fixed Python loop; lower is a faster machine): {api_read.cpu_reference_ms():.0f} ms")
        api_read.recreate_database(url)
        subprocess.run(
            [api_read.PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        os.environ.update(env)
        api_read.setup_django(url)
        receiver = Receiver()
        server = serve(receiver)
        ids = seed(server.server_address[1], args.subscriptions, receiver)
        worker = start_worker(env, args.concurrency, log_dir / "worker.log")
        for phase in [p.strip() for p in args.phases.split(",") if p.strip()]:
            rate = args.rate if phase == "paced" else 0.0
            run_phase(phase, ids, args.events, rate, receiver, args.subscriptions, args.timeout, worker.pid, pg, db_name)
        if args.profile:
            stop_worker(worker)
            profile(ids, args.profile, 30)
        server.shutdown()
    finally:
        if worker is not None:
            stop_worker(worker)
            errors = [ln for ln in (log_dir / "worker.log").read_text(errors="replace").splitlines() if "ERROR" in ln]
            if errors:
                print(f"worker log: {len(errors)} ERROR lines, the first: {errors[0][:300]}")
        shutil.rmtree(log_dir, ignore_errors=True)
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
