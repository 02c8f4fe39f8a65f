"""The events list against its floor: the platform's ``GET /api/v1/events`` and a bare Django view, in one run.

Creates a fresh PostgreSQL database (emp_bench_floor), seeds one organization
with 25 events (two venues, two tags each), an owner and an API key, and starts
two gunicorn servers on it (2 sync workers each, read cache off, rate limits
off): the platform (``config.wsgi``) and the floor (``bench/floor_bare.py``: the
platform's settings, no middleware, one view that reads the same rows with two
SQL statements and answers the same ``data``; checked before measuring). Then
``--rounds`` interleaved rounds (3), each driving both with wrk -t2 -c16 for
``--duration`` seconds (10) after a warm-up, the order alternating from round to
round, and prints per round and server:

- requests/s, p50/p99 latency and the ratio platform / floor (the goal: >= 0.6);
- CPU per request of the server's gunicorn workers and of the database's
  PostgreSQL backends (from /proc: utime + stime), which a busy machine skews
  far less than throughput; the ratio of the workers' CPU per request;
- the load average before each measurement.

    .venv/bin/python bench/floor.py
    .venv/bin/python bench/floor.py --auth session --rounds 5 --keep
    .venv/bin/python bench/floor.py --skip-seed --profile 200      # plus a cProfile of the platform's request

Reuses the helpers of ``bench/api_read.py``. This is a script that prints figures, not a test.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import api_read  # the read benchmark's helpers: database, gunicorn, wrk

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emp_bench_floor"
ORG_SLUG = "bench-floor-org"
USER_EMAIL = "bench-floor-owner@example.com"
GOAL = 0.6
PLATFORM_PATH = "/api/v1/events"
BARE_PATH = "/bare/events"
# Both servers keep their database connections for the whole run, so every backend's CPU is counted.
KEEP_CONNECTIONS = {"CONN_MAX_AGE": "3600"}


# -- seed -----------------------------------------------------------------------------
def seed(n_events: int) -> str:
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Membership, Organization, User
    from accounts.roles import Role
    from events.models import AttendanceMode, Event, EventStatus, Tag, Venue, Visibility

    now = timezone.now().replace(microsecond=0, second=0, minute=0)
    with transaction.atomic():
        org = Organization.objects.create(name="Bench Floor Org", slug=ORG_SLUG)
        user = User.objects.create_user(USER_EMAIL, "bench-password-123", name="Bench Owner")
        Membership.objects.create(organization=org, user=user, role=Role.OWNER)
        venues = Venue.objects.bulk_create(
            [
                Venue(organization=org, name="Main Hall", address="1 Main Street", city="Berlin", country="DE", capacity=800),
                Venue(organization=org, name="Annex", address="2 Side Street", city="Hamburg", country="DE", capacity=120),
            ]
        )
        tags = Tag.objects.bulk_create(
            [Tag(organization=org, name=n) for n in ("python", "django", "data", "web", "cloud", "security", "ai", "devops")]
        )
        events = []
        for i in range(n_events):
            starts = now + dt.timedelta(days=i + 1)
            online = i % 5 == 0
            events.append(
                Event(
                    organization=org,
                    title=f"Event {i:03d}: Summit",
                    slug=f"event-{i:03d}",
                    description="A benchmark event. " * 20,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=3),
                    attendance_mode=AttendanceMode.ONLINE if online else AttendanceMode.IN_PERSON,
                    venue=None if online else venues[i % 2],
                    online_url="https://meet.example.com/x" if online else "",
                    capacity=100 + i,
                    visibility=Visibility.PUBLIC,
                    status=EventStatus.PUBLISHED,
                    published_at=now,
                )
            )
        Event.objects.bulk_create(events)
        through = Event.tags.through
        through.objects.bulk_create(
            [through(event_id=e.id, tag_id=tags[(i + k) % len(tags)].id) for i, e in enumerate(events) for k in (0, 3)]
        )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    return str(org.id)


def api_key() -> str:
    from accounts import services
    from accounts.models import Organization
    from core.audit import SYSTEM

    _, raw = services.api_key_create(
        actor=SYSTEM,
        organization=Organization.objects.get(slug=ORG_SLUG),
        data={"name": "bench floor", "scopes": ["events:read"]},
        creator_role=None,
    )
    return raw


# -- servers --------------------------------------------------------------------------
def start_bare(url: str, port: int, workers: int, organization_id: str) -> subprocess.Popen[bytes]:
    gunicorn = Path(api_read.PYTHON).with_name("gunicorn")
    cmd = [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    cmd += ["--pythonpath", str(api_read.BENCH_DIR), "django.core.wsgi:get_wsgi_application()"]
    extra = {**KEEP_CONNECTIONS, "DJANGO_SETTINGS_MODULE": "floor_bare", "FLOOR_ORGANIZATION_ID": organization_id}
    env = api_read.server_env(url, extra)
    return subprocess.Popen(cmd, cwd=api_read.ROOT, env=env, start_new_session=True)


def backend_pids(url: str) -> list[int]:
    """The PostgreSQL backends connected to the bench database (both servers' workers)."""
    import psycopg

    admin, name = api_read._admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]).fetchall()
    return [int(r[0]) for r in rows]


def fetch(port: int, path: str, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={**headers, "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(json.loads(response.read()))


def measure(
    url: str, proc: subprocess.Popen[bytes], port: int, path: str, auth: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    cookie, authorization = auth.get("Cookie", ""), auth.get("Authorization", "")
    if args.warmup:
        api_read.run_wrk(port, cookie, [path], args.concurrency, args.warmup, authorization)
    workers = api_read.children(proc.pid)
    load1 = os.getloadavg()[0]
    w0, b0 = api_read.cpu_seconds(workers), {pid: api_read.cpu_seconds([pid]) for pid in backend_pids(url)}
    r = api_read.run_wrk(port, cookie, [path], args.concurrency, args.duration, authorization)
    w1, b1 = api_read.cpu_seconds(workers), {pid: api_read.cpu_seconds([pid]) for pid in backend_pids(url)}
    n = max(1, r["requests"])
    # A backend that started during the run counts whole; one that ended is lost (the servers keep their connections).
    db = sum(cpu - b0.get(pid, 0.0) for pid, cpu in b1.items())
    return {**r, "load": load1, "worker_ms": (w1 - w0) * 1000 / n, "db_ms": db * 1000 / n}


# -- profile --------------------------------------------------------------------------
def profile(auth: dict[str, str], n: int, top: int) -> None:
    """cProfile ``n`` in-process requests of the platform's list (django.test.Client), with their SQL.

    As the servers measured: rate limits off (``api_read.server_env``), so the profile shows the request, not the limiter.
    """
    from django.db import connection
    from django.test import Client, override_settings

    with override_settings(RATE_LIMITS_ENABLED=False):
        _profile(auth, n, top, Client(), connection)


def _profile(auth: dict[str, str], n: int, top: int, client: Any, connection: Any) -> None:
    headers: dict[str, str] = {}
    if "Cookie" in auth:
        client.cookies["sessionid"] = auth["Cookie"].split("=", 1)[1]
    else:
        headers["Authorization"] = auth["Authorization"]
    for _ in range(10):
        assert client.get(PLATFORM_PATH, headers=headers).status_code == 200
    queries: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
        client.get(PLATFORM_PATH, headers=headers)
    times = []
    for _ in range(n):
        t0 = time.process_time()
        client.get(PLATFORM_PATH, headers=headers)
        times.append((time.process_time() - t0) * 1000)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        client.get(PLATFORM_PATH, headers=headers)
    prof.disable()
    print(f"\n=== profile: GET {PLATFORM_PATH}: in-process CPU median {statistics.median(times):.2f} ms, {len(queries)} SQL:")
    for sql in queries:
        print(f"  {sql[:160]}")
    for order in ("cumulative", "tottime"):
        api_read.print_top(pstats.Stats(prof), order, top, f"--- top {top} by {order} ({n} requests, under the profiler)")


# -- main -----------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_FLOOR_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--events", type=int, default=25)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--auth", choices=["api key", "session"], default="api key")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--skip-seed", action="store_true", help="reuse a kept database (implies --keep)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N in-process requests afterwards")
    parser.add_argument("--profile-top", type=int, default=30)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    url = args.database_url
    if args.skip_seed:
        args.keep = True
    else:
        api_read.recreate_database(url)
        api_read.manage(url, "migrate", "--noinput")
        api_read.manage(url, "createcachetable")
    api_read.setup_django(url)
    from accounts.models import Organization

    if not args.skip_seed:
        seed(args.events)
    organization_id = str(Organization.objects.get(slug=ORG_SLUG).id)
    if args.auth == "api key":
        auth = {"Authorization": f"Bearer {api_key()}"}
    else:
        auth = {"Cookie": f"sessionid={api_read.session_for(USER_EMAIL)}"}
    from django.db import connections

    connections.close_all()

    platform_port, bare_port = api_read.free_port(), api_read.free_port()
    platform = api_read.start_gunicorn(url, platform_port, args.workers, KEEP_CONNECTIONS)
    bare = start_bare(url, bare_port, args.workers, organization_id)
    servers = {"platform": (platform, platform_port, PLATFORM_PATH), "bare": (bare, bare_port, BARE_PATH)}
    try:
        for _, port, path in servers.values():
            deadline = time.monotonic() + 30
            while True:
                try:
                    fetch(port, path, auth)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        ours, floor = fetch(platform_port, PLATFORM_PATH, auth)["data"], fetch(bare_port, BARE_PATH, {})["data"]
        if ours != floor:
            raise SystemExit("the bare view does not answer the platform's rows: fix bench/floor_bare.py first")
        print(
            f"{len(ours)} events, same data from both; gunicorn {args.workers} sync workers each, wrk -t2 "
            f"-c{args.concurrency} -d{args.duration:g}s, {args.rounds} interleaved rounds, auth: {args.auth}, "
            f"{os.cpu_count()} CPUs; cpu reference {api_read.cpu_reference_ms():.0f} ms"
        )
        print(
            f"{'round':>5} {'server':<9} {'load1':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'worker CPU ms/req':>17} {'db CPU ms/req':>13}  non2xx"
        )
        ratios, cpu_ratios = [], []
        for n in range(1, args.rounds + 1):
            order = ["bare", "platform"] if n % 2 else ["platform", "bare"]
            got: dict[str, dict[str, Any]] = {}
            for name in order:
                proc, port, path = servers[name]
                r = got[name] = measure(url, proc, port, path, auth if name == "platform" else {}, args)
                print(
                    f"{n:>5} {name:<9} {r['load']:>6.2f} {r['rps']:>8.1f} {r['p50']:>7.1f} {r['p99']:>7.1f} "
                    f"{r['worker_ms']:>17.2f} {r['db_ms']:>13.2f}  {r['non2xx'] + r['errors']}",
                    flush=True,
                )
            ratio = got["platform"]["rps"] / got["bare"]["rps"]
            cpu_ratio = got["bare"]["worker_ms"] / got["platform"]["worker_ms"] if got["platform"]["worker_ms"] else 0.0
            ratios.append(ratio)
            cpu_ratios.append(cpu_ratio)
            print(
                f"      round {n}: platform / bare throughput {ratio:.2f}; bare / platform worker CPU per request "
                f"{cpu_ratio:.2f}  [goal >= {GOAL}: {'met' if ratio >= GOAL else 'MISSED'}]",
                flush=True,
            )
        if ratios:
            print(
                f"median over {args.rounds} rounds: throughput ratio {statistics.median(ratios):.2f}, "
                f"CPU-per-request ratio {statistics.median(cpu_ratios):.2f} (goal >= {GOAL})"
            )
    finally:
        api_read.stop_gunicorn(platform)
        api_read.stop_gunicorn(bare)
    if args.profile:
        profile(auth, args.profile, args.profile_top)
    api_read.finish(url, args.keep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
