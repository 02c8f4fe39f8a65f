"""Write-path benchmark of registrations and bulk check-in against PostgreSQL and gunicorn.

Creates a fresh PostgreSQL database (emp_bench_reg), migrates it, seeds one
organization, its owner and a published event with a large capacity and a free
ticket type, and for each server set-up of ``bench/api_read.py`` (the defaults:
database cache and sessions; production's: Redis cache, cached_db sessions, read
cache on) starts gunicorn (2 sync workers) and

1. drives ``POST /api/v1/registrations`` (one new attendee per request, unique
   emails) at concurrency 16 for 10 s with wrk (``wrk_register.lua``), or a
   Python driver when wrk is missing, once with an API key (an integrator) and
   once with the owner's console session: registrations/s, p50/p95/p99.
   Target: >= 150 registrations/s with p95 < 150 ms.
2. with the API key, checks tickets in one scan a request (``POST /api/v1/checkins``,
   each with a nonce, a new ticket each time, ``wrk_checkin.lua``) at concurrency 16
   for 10 s, at a second event whose doors are open: scans/s, p50/p95/p99.
3. seeds 10,000 confirmed registrations (``bulk_create``) and checks them in with
   ``POST /api/v1/checkins/bulk`` in sequential chunks of 1,000: tickets/s.
   Target: >= 2,000 tickets/s.

    .venv/bin/python bench/registrations.py              # full run, drops the DB at the end
    .venv/bin/python bench/registrations.py --profile 50 # plus cProfile of in-process requests

Reuses the helpers of ``bench/api_read.py``. This is a script that prints figures, not a test.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import cProfile
import http.client
import json
import os
import pstats
import secrets
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from typing import Any

import api_read  # the read benchmark's helpers: database, gunicorn, wrk

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emp_bench_reg"
ORG_SLUG = "bench-reg-org"
USER_EMAIL = "bench-reg-owner@example.com"
TARGET_RPS, TARGET_P95_MS, TARGET_TICKETS = 150.0, 150.0, 2000.0


def seed() -> dict[str, str]:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Organization, User
    from accounts.roles import Role
    from events.models import AttendanceMode, Event, EventStatus
    from registrations.models import TicketType

    now = timezone.now()
    with transaction.atomic():
        org = Organization.objects.create(name="Bench Reg Org", slug=ORG_SLUG)
        user = User.objects.create_user(USER_EMAIL, "bench-password-123", name="Bench Owner")
        Membership.objects.create(organization=org, user=user, role=Role.OWNER)
        event = Event.objects.create(
            organization=org,
            title="Bench Conference",
            slug="bench-conference",
            starts_at=now + timezone.timedelta(days=30),
            ends_at=now + timezone.timedelta(days=31),
            attendance_mode=AttendanceMode.ONLINE,
            online_url="https://meet.example.com/bench",
            capacity=5_000_000,
            status=EventStatus.PUBLISHED,
            published_at=now,
        )
        ticket_type = TicketType.objects.create(organization=org, event=event, name="Free", currency=event.currency)
        # The doors of this one are open (its check-in window holds now): single scans check in to it.
        door = Event.objects.create(
            organization=org,
            title="Bench Door",
            slug="bench-door",
            starts_at=now - timezone.timedelta(hours=1),
            ends_at=now + timezone.timedelta(days=1),
            attendance_mode=AttendanceMode.ONLINE,
            online_url="https://meet.example.com/door",
            capacity=5_000_000,
            status=EventStatus.PUBLISHED,
            published_at=now,
        )
        door_type = TicketType.objects.create(organization=org, event=door, name="Door", currency=door.currency)
    return {
        "event": str(event.id),
        "ticket_type": str(ticket_type.id),
        "door_event": str(door.id),
        "door_ticket_type": str(door_type.id),
    }


def identity() -> tuple[str, str]:
    """A session key for the owner and a CSRF secret (sent as cookie and header)."""
    csrf = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
    return api_read.session_for(USER_EMAIL), csrf


def api_key() -> str:
    """An API key of the organization with the scopes the benchmark uses (an integrator's credentials)."""
    from accounts import services
    from accounts.models import Organization
    from core.audit import SYSTEM

    _, raw = services.api_key_create(
        actor=SYSTEM,
        organization=Organization.objects.get(slug=ORG_SLUG),
        data={"name": "bench", "scopes": ["registrations:write", "checkins:write", "events:read"]},
        creator_role=None,
    )
    return raw


def seed_confirmed(ids: dict[str, str], n: int, ticket_type_key: str = "ticket_type") -> list[str]:
    from django.utils import timezone

    from registrations.models import Registration, RegistrationSource, RegistrationStatus, TicketType

    ticket_type = TicketType.objects.get(pk=ids[ticket_type_key])
    now = timezone.now()
    rows = [
        Registration(
            organization_id=ticket_type.organization_id,
            event_id=ticket_type.event_id,
            ticket_type=ticket_type,
            order_id=uuid.uuid4(),
            attendee_name=f"Door Guest {i}",
            attendee_email=f"door-{i}@bench.example",
            status=RegistrationStatus.CONFIRMED,
            confirmed_at=now,
            source=RegistrationSource.BATCH,
        )
        for i in range(n)
    ]
    Registration.objects.bulk_create(rows, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return [r.ticket_code for r in rows]


# -- load -----------------------------------------------------------------------------
def post(conn: http.client.HTTPConnection, path: str, body: Any, auth: dict[str, str]) -> tuple[int, bytes]:
    headers = {**auth, "Content-Type": "application/json", "Accept": "application/json"}
    conn.request("POST", path, body=json.dumps(body), headers=headers)
    resp = conn.getresponse()
    return resp.status, resp.read()


def register_wrk(port: int, auth: dict[str, str], ids: dict[str, str], concurrency: int, seconds: float) -> dict[str, Any]:
    threads = max(1, min(concurrency, os.cpu_count() or 1))
    env = dict(
        os.environ,
        BENCH_AUTHORIZATION=auth.get("Authorization", ""),
        BENCH_COOKIE=auth.get("Cookie", ""),
        BENCH_CSRF=auth.get("X-CSRFToken", ""),
        BENCH_EVENT=ids["event"],
        BENCH_TICKET_TYPE=ids["ticket_type"],
        BENCH_RUN=secrets.token_hex(4),
    )
    cmd = ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    cmd += ["-s", str(api_read.BENCH_DIR / "wrk_register.lua"), f"http://127.0.0.1:{port}"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no figures:\n{out}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    return {**raw, "rps": raw["requests"] / (raw["duration_us"] / 1e6)}


def register_python(port: int, auth: dict[str, str], ids: dict[str, str], concurrency: int, seconds: float) -> dict[str, Any]:
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors, bad = [0] * concurrency, [0] * concurrency
    run = secrets.token_hex(4)
    stop_at = time.monotonic() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            body = {
                "eventId": ids["event"],
                "ticketTypeId": ids["ticket_type"],
                "attendees": [{"name": "Bench Attendee", "email": f"p-{run}-{n}-{i}@bench.example"}],
            }
            t0 = time.perf_counter()
            try:
                status, _ = post(conn, "/api/v1/registrations", body, auth)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                errors[n] += 1
                continue
            latencies[n].append((time.perf_counter() - t0) * 1000)
            bad[n] += status != 201
        conn.close()

    return api_read.run_workers(concurrency, worker, latencies, errors, bad)


def scan_wrk(
    port: int, auth: dict[str, str], event_id: str, codes: list[str], concurrency: int, seconds: float
) -> dict[str, Any]:
    """``POST /api/v1/checkins`` of a new ticket per request (each with a nonce), by wrk (``wrk_checkin.lua``)."""
    threads = max(1, min(concurrency, os.cpu_count() or 1))
    with tempfile.NamedTemporaryFile("w", suffix=".codes", delete=False) as f:
        f.write("\n".join(codes) + "\n")
    env = dict(
        os.environ,
        BENCH_AUTHORIZATION=auth["Authorization"],
        BENCH_EVENT=event_id,
        BENCH_CODES=f.name,
        BENCH_THREADS=str(threads),
        BENCH_RUN=secrets.token_hex(4),
    )
    cmd = ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    cmd += ["-s", str(api_read.BENCH_DIR / "wrk_checkin.lua"), f"http://127.0.0.1:{port}"]
    try:
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no figures:\n{out}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    return {**raw, "rps": raw["requests"] / (raw["duration_us"] / 1e6)}


def bulk_check_in(port: int, auth: dict[str, str], event_id: str, codes: list[str], chunk: int) -> dict[str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times, accepted, bad = [], 0, 0
    start = time.perf_counter()
    for i in range(0, len(codes), chunk):
        t0 = time.perf_counter()
        status, raw = post(conn, "/api/v1/checkins/bulk", {"eventId": event_id, "codes": codes[i : i + chunk]}, auth)
        times.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            bad += 1
            print(f"  bulk chunk {i // chunk}: HTTP {status} {raw[:300]!r}")
            continue
        accepted += json.loads(raw)["checkedIn"]
    elapsed = time.perf_counter() - start
    conn.close()
    return {"tickets": accepted, "seconds": elapsed, "tps": accepted / elapsed, "chunk_ms": times, "failed_chunks": bad}


# -- profile --------------------------------------------------------------------------
def profile(session_key: str, csrf: str, ids: dict[str, str], n: int, top: int) -> None:
    """cProfile ``n`` in-process registrations, ``n`` single scans and one bulk chunk of 1,000, with their SQL
    (CPU time of this process: what the database does is not counted)."""
    from django.db import connection
    from django.test import Client, override_settings

    with override_settings(RATE_LIMITS_ENABLED=False):  # as the servers measured (api_read.server_env)
        _profile(session_key, ids, n, top, Client(enforce_csrf_checks=False), connection)


def _profile(session_key: str, ids: dict[str, str], n: int, top: int, client: Any, connection: Any) -> None:
    client.cookies["sessionid"] = session_key
    run = secrets.token_hex(4)
    counter = iter(range(10**9))

    def register() -> None:
        body = {
            "eventId": ids["event"],
            "ticketTypeId": ids["ticket_type"],
            "attendees": [{"name": "Profiled", "email": f"prof-{run}-{next(counter)}@bench.example"}],
        }
        response = client.post("/api/v1/registrations", body, content_type="application/json")
        assert response.status_code == 201, response.content[:300]

    def bulk() -> None:
        codes = seed_confirmed(ids, 1000, "door_ticket_type")
        response = client.post(
            "/api/v1/checkins/bulk", {"eventId": ids["door_event"], "codes": codes}, content_type="application/json"
        )
        assert response.status_code == 200, response.content[:300]

    scans = iter(seed_confirmed(ids, 3 * n + 10, "door_ticket_type"))

    def scan() -> None:
        body = {"eventId": ids["door_event"], "code": next(scans), "nonce": f"prof-{run}-{next(counter)}"}
        response = client.post("/api/v1/checkins", body, content_type="application/json")
        assert response.status_code == 201, response.content[:300]

    plan = (
        ("POST /registrations", register, n),
        ("POST /checkins (one scan)", scan, n),
        ("POST /checkins/bulk (1,000 codes)", bulk, 1),
    )
    for label, fn, reps in plan:
        for _ in range(3 if reps > 1 else 0):
            fn()
        queries: list[tuple[float, str]] = []

        def record(execute: Any, sql: str, params: Any, many: bool, context: Any, queries: list = queries) -> Any:
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(((time.perf_counter() - t) * 1000, sql))

        t0 = time.perf_counter()
        with connection.execute_wrapper(record):
            fn()
        once = (time.perf_counter() - t0) * 1000
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        for _ in range(reps):
            fn()
        prof.disable()
        print(
            f"\n=== profile: {label}: one request {once:.1f} ms in-process, {len(queries)} SQL queries, "
            f"{sum(q[0] for q in queries):.1f} ms in SQL:"
        )
        for ms, sql in queries[:40]:
            print(f"  {ms:7.2f} ms  {sql[:150]}")
        for order in ("cumulative", "tottime"):
            api_read.print_top(
                pstats.Stats(prof), order, top, f"--- top {top} by {order} ({reps} request(s), under the profiler)"
            )


# -- main -----------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_REG_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument(
        "--scan-rate-cap", type=int, default=1500, help="tickets seeded per second of single scans (more than can be scanned)"
    )
    parser.add_argument("--driver", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--configs", default="", help="comma-separated server set-ups to measure (default: all)")
    parser.add_argument(
        "--auth", default="api key,session", help="comma-separated credentials to measure: 'api key' (an integrator), 'session'"
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N in-process registrations and scans")
    parser.add_argument("--profile-top", type=int, default=30)
    args = parser.parse_args()
    url = args.database_url
    driver = args.driver if args.driver != "auto" else ("wrk" if shutil.which("wrk") else "python")
    load = register_wrk if driver == "wrk" else register_python

    setups = api_read.configurations(args.redis_url)
    chosen = [c.strip() for c in args.configs.split(",")] if args.configs else list(setups)
    print(f"database {url} (recreated), gunicorn {args.workers} sync workers, driver {driver}, set-ups: {', '.join(chosen)}")
    api_read.recreate_database(url)
    api_read.manage(url, "migrate", "--noinput")
    api_read.manage(url, "createcachetable")
    api_read.setup_django(url)
    ids = seed()
    session_key, csrf = identity()
    credentials = {
        "api key": {"Authorization": f"Bearer {api_key()}"},
        "session": {"Cookie": f"sessionid={session_key}; csrftoken={csrf}", "X-CSRFToken": csrf},
    }
    auths = [a.strip() for a in args.auth.split(",")]
    print(f"cpu reference (a fixed Python loop; lower is a faster machine): {api_read.cpu_reference_ms():.0f} ms")
    for config in chosen:
        extra = setups[config]
        if "CACHE_URL" in extra:
            api_read.flush_redis(extra["CACHE_URL"])
        port = api_read.free_port()
        proc = api_read.start_gunicorn(url, port, args.workers, extra)
        try:
            api_read.wait_ready(port, f"sessionid={session_key}")
            for auth in auths:
                if args.warmup:
                    load(port, credentials[auth], ids, args.concurrency, args.warmup)
                cpu0 = api_read.cpu_seconds(api_read.children(proc.pid))
                r = load(port, credentials[auth], ids, args.concurrency, args.duration)
                r["cpu_ms"] = (api_read.cpu_seconds(api_read.children(proc.pid)) - cpu0) * 1000 / max(1, r["requests"])
                ok = r["rps"] >= TARGET_RPS and r["p95"] < TARGET_P95_MS and not r["errors"] and not r["non2xx"]
                print(
                    f"[{config}, {auth}] POST /api/v1/registrations  c={args.concurrency} {args.duration:.0f}s: "
                    f"{r['requests']} requests, {r['rps']:.1f} registrations/s, p50 {r['p50']:.1f} ms, "
                    f"p95 {r['p95']:.1f} ms, p99 {r['p99']:.1f} ms, errors {r['errors']}, non-2xx {r['non2xx']}  "
                    f"[target >= {TARGET_RPS:.0f}/s, p95 < {TARGET_P95_MS:.0f} ms: {'met' if ok else 'MISSED'}]; "
                    f"worker CPU {r['cpu_ms']:.2f} ms/request; load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
            if driver == "wrk" and "api key" in auths:
                # More tickets than the scans can reach in the time, so each scan checks a new ticket in.
                scans = int(args.scan_rate_cap * (args.duration + args.warmup))
                door = seed_confirmed(ids, scans, "door_ticket_type")
                if args.warmup:
                    scan_wrk(port, credentials["api key"], ids["door_event"], door[: scans // 6], args.concurrency, args.warmup)
                cpu0 = api_read.cpu_seconds(api_read.children(proc.pid))
                r = scan_wrk(port, credentials["api key"], ids["door_event"], door[scans // 6 :], args.concurrency, args.duration)
                cpu_ms = (api_read.cpu_seconds(api_read.children(proc.pid)) - cpu0) * 1000 / max(1, r["requests"])
                print(
                    f"[{config}, api key] POST /api/v1/checkins (one new ticket a scan, with a nonce) c={args.concurrency} "
                    f"{args.duration:.0f}s: {r['requests']} scans, {r['rps']:.1f} scans/s, p50 {r['p50']:.1f} ms, "
                    f"p95 {r['p95']:.1f} ms, p99 {r['p99']:.1f} ms, errors {r['errors']}, non-2xx {r['non2xx']}; "
                    f"worker CPU {cpu_ms:.2f} ms/scan; load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
            # At the event whose doors are open: the other one's check-in window has not opened.
            codes = seed_confirmed(ids, args.tickets, "door_ticket_type")
            b = bulk_check_in(port, credentials[auths[0]], ids["door_event"], codes, args.chunk)
            chunk_ms = b["chunk_ms"]
            print(
                f"[{config}, {auths[0]}] POST /api/v1/checkins/bulk  {len(codes)} tickets in chunks of {args.chunk}: "
                f"{b['tickets']} checked in in {b['seconds']:.2f} s = {b['tps']:.0f} tickets/s; per chunk median "
                f"{statistics.median(chunk_ms):.0f} ms, max {max(chunk_ms):.0f} ms, failed chunks {b['failed_chunks']}  "
                f"[target >= {TARGET_TICKETS:.0f}/s: {'met' if b['tps'] >= TARGET_TICKETS else 'MISSED'}]"
            )
        finally:
            api_read.stop_gunicorn(proc)
    if args.profile:
        profile(session_key, csrf, ids, args.profile, args.profile_top)
    api_read.finish(url, args.keep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
