"""Read-path benchmark of the events API against PostgreSQL and gunicorn.

Creates a fresh PostgreSQL database, migrates it, seeds one organization with
10,000 events (tags, two venues, 3 sessions each), starts gunicorn (2 sync
workers) on it and drives

    GET /api/v1/events?pageSize=50
    GET /api/v1/events/<id>

at concurrency 16 for 10 s each with wrk (or a built-in Python driver when wrk
is missing), then prints requests/s, p50/p95/p99 latency and error counts.
Target: p95 < 100 ms for both.

    .venv/bin/python bench/api_read.py                 # full run, drops the DB at the end
    .venv/bin/python bench/api_read.py --keep          # keep the DB for repeated runs
    .venv/bin/python bench/api_read.py --skip-seed     # reuse a kept DB
    .venv/bin/python bench/api_read.py --profile 50    # plus a cProfile of 50 in-process requests

This is a script that prints figures, not a test.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import cProfile
import datetime as dt
import http.client
import io
import json
import os
import pstats
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emp_bench"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TARGET_P95_MS = 100.0
ORG_SLUG = "bench-org"
USER_EMAIL = "bench-owner@example.com"


# -- database -------------------------------------------------------------------------
def _admin_url(url: str) -> tuple[str, str]:
    """The URL of the server's maintenance database and the bench database's name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("the database URL needs a database name")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def cpu_reference_ms() -> float:
    """Milliseconds for a fixed pure-Python loop: tells a slow moment of a shared machine from a slow change."""
    start = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    return (time.perf_counter() - start) * 1000


def finish(url: str, keep: bool) -> None:
    """Close the benchmark's connections and drop its database, unless asked to keep it."""
    if keep:
        return
    from django.db import connections

    connections.close_all()
    drop_database(url)
    print(f"dropped {url.rsplit('/', 1)[-1]} (use --keep to keep it)")


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def server_env(url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "API_READ_CACHE_SECONDS": "0",
            # One client sends thousands of requests a minute here: the benchmarks measure the server, not its limits.
            "RATE_LIMITS_ENABLED": "0",
        }
    )
    env.update(extra or {})
    return env


def configurations(redis_url: str) -> dict[str, dict[str, str]]:
    """Server set-ups measured: the defaults, and production's Redis cache with the read cache on."""
    return {
        "no cache": {},
        "redis + read cache": {
            "CACHE_URL": redis_url,
            # Production's database options: prepared statements for the hot queries (config/settings.py).
            "DATABASE_SERVER_SIDE_BINDING": "1",
            "DATABASE_PREPARE_THRESHOLD": "2",
            "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
            "API_READ_CACHE_SECONDS": "60",
        },
    }


def flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def manage(url: str, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=server_env(url), check=True, stdout=subprocess.DEVNULL)


def setup_django(url: str) -> None:
    for key in ("DATABASE_URL", "DEBUG", "CONN_MAX_AGE", "LOG_LEVEL", "DJANGO_SETTINGS_MODULE"):
        os.environ[key] = server_env(url)[key]
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# -- seed -----------------------------------------------------------------------------
def seed(n_events: int, sessions_per_event: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Organization, User
    from accounts.roles import Role
    from events.models import AttendanceMode, Category, Event, EventStatus, Session, Tag, Venue, Visibility

    rng = random.Random(42)
    now = timezone.now().replace(microsecond=0, second=0, minute=0)
    categories = [c.value for c in Category]
    with transaction.atomic():
        org = Organization.objects.create(name="Bench Org", slug=ORG_SLUG)
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
            starts = now + dt.timedelta(hours=6 * i - 24 * 365)
            online = i % 5 == 0
            events.append(
                Event(
                    organization=org,
                    title=f"Event {i:05d}: {rng.choice(['Summit', 'Meetup', 'Workshop', 'Conference'])}",
                    slug=f"event-{i:05d}",
                    description="A benchmark event. " * 20,
                    category=rng.choice(categories),
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=3),
                    attendance_mode=AttendanceMode.ONLINE if online else AttendanceMode.IN_PERSON,
                    venue=None if online else venues[i % 2],
                    online_url="https://meet.example.com/x" if online else "",
                    capacity=100 + i % 400,
                    visibility=Visibility.PUBLIC,
                    status=EventStatus.PUBLISHED if i % 3 else EventStatus.DRAFT,
                    published_at=now if i % 3 else None,
                )
            )
        Event.objects.bulk_create(events, batch_size=2000)
        through = Event.tags.through
        Event.tags.through.objects.bulk_create(
            [through(event_id=e.id, tag_id=t.id) for e in events for t in rng.sample(tags, 2)], batch_size=5000
        )
        sessions = [
            Session(
                organization=org,
                event=e,
                title=f"Session {k + 1} of {e.slug}",
                abstract="An abstract. " * 10,
                starts_at=e.starts_at + dt.timedelta(hours=k),
                ends_at=e.starts_at + dt.timedelta(hours=k, minutes=50),
                room=f"Room {k + 1}",
                track="Main",
            )
            for e in events
            for k in range(sessions_per_event)
        ]
        Session.objects.bulk_create(sessions, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")  # steady state: visibility map set, as autovacuum would leave it


def session_for(email: str) -> str:
    """A fresh database session key signed in as the user with ``email`` (what a browser's cookie holds)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user = User.objects.get(email=email)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    assert store.session_key is not None
    return store.session_key


def bench_identity(n_ids: int) -> tuple[str, list[str]]:
    """A fresh session key for the owner and the ids of ``n_ids`` events to read."""
    from events.models import Event

    ids = list(Event.objects.filter(organization__slug=ORG_SLUG).order_by("?").values_list("id", flat=True)[:n_ids])
    return session_for(USER_EMAIL), [str(i) for i in ids]


# -- server ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(url: str, port: int, workers: int, extra: dict[str, str]) -> subprocess.Popen[bytes]:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    cmd = [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "config.wsgi"]
    return subprocess.Popen(cmd, cwd=ROOT, env=server_env(url, extra), start_new_session=True)


def wait_ready(port: int, cookie: str, timeout: float = 120.0, path: str = "/api/v1/events?pageSize=1") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers={"Cookie": cookie})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return
            raise SystemExit(f"server answered {resp.status} to the readiness probe")
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def children(pid: int) -> list[int]:
    """The gunicorn arbiter's workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int] | set[int]) -> float:
    """CPU seconds (user + system) the processes ``pids`` have used so far (those that ended count nothing)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def stop_gunicorn(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # graceful shutdown of the arbiter and its workers
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- load -----------------------------------------------------------------------------
def run_wrk(
    port: int, cookie: str, paths: list[str], concurrency: int, seconds: float, authorization: str = ""
) -> dict[str, Any]:
    threads = max(1, min(concurrency, os.cpu_count() or 1))
    env = dict(os.environ, BENCH_COOKIE=cookie, BENCH_PATHS=" ".join(paths), BENCH_AUTHORIZATION=authorization)
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH_DIR / "wrk_latency.lua"),
        f"http://127.0.0.1:{port}",
    ]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no figures:\n{out}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50": raw["p50"],
        "p95": raw["p95"],
        "p99": raw["p99"],
        "errors": raw["errors"],
        "non2xx": raw["non2xx"],
    }


def run_python(
    port: int, cookie: str, paths: list[str], concurrency: int, seconds: float, authorization: str = ""
) -> dict[str, Any]:
    """Fallback driver: one thread per connection, keep-alive when the server allows it."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    non2xx = [0] * concurrency
    stop_at = time.monotonic() + seconds

    def worker(n: int) -> None:
        conn: http.client.HTTPConnection | None = None
        i = n
        while time.monotonic() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            t0 = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                auth = {"Authorization": authorization} if authorization else {"Cookie": cookie}
                conn.request("GET", path, headers={**auth, "Accept": "application/json"})
                resp = conn.getresponse()
                resp.read()
                latencies[n].append((time.perf_counter() - t0) * 1000)
                if not 200 <= resp.status < 300:
                    non2xx[n] += 1
                if resp.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                errors[n] += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    return run_workers(concurrency, worker, latencies, errors, non2xx)


def run_workers(
    concurrency: int, worker: Any, latencies: list[list[float]], errors: list[int], non2xx: list[int]
) -> dict[str, Any]:
    """Run ``worker(n)`` on ``concurrency`` threads (each fills its slot of the lists) and sum up what they saw."""
    start = time.monotonic()
    workers = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    elapsed = time.monotonic() - start
    all_ms = sorted(x for xs in latencies for x in xs)
    q = statistics.quantiles(all_ms, n=100, method="inclusive") if len(all_ms) > 1 else [0.0] * 99
    return {
        "requests": len(all_ms),
        "rps": len(all_ms) / elapsed,
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "errors": sum(errors),
        "non2xx": sum(non2xx),
    }


# -- profile --------------------------------------------------------------------------
# Functions whose time per request is worth knowing: (file fragment, function name).
FOCUS = [
    ("api/middleware.py", "__call__"),
    ("rest_framework/views.py", "perform_authentication"),
    ("sessions/backends/db.py", "load"),
    ("api/context.py", "resolve"),
    ("api/viewsets.py", "parse_query"),
    ("api/pagination.py", "paginate_queryset"),
    ("django/db/models/query.py", "count"),
    ("django/db/models/query.py", "prefetch_related_objects"),
    ("django/db/backends/utils.py", "execute"),
    ("rest_framework/serializers.py", "data"),
    ("rest_framework/serializers.py", "get_fields"),
    ("rest_framework/fields.py", "to_representation"),
    ("events/serializers.py", "get_tags"),
    ("api/conditional.py", "etag_for"),
    ("api/casing.py", "render"),
    ("api/casing.py", "camelize"),
]


def profile(session_key: str, paths: dict[str, str], n: int, top: int) -> None:
    """Time, list the SQL of, and cProfile ``n`` in-process requests of each path (django.test.Client)."""
    from django.db import connection
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = session_key
    for label, path in paths.items():
        for _ in range(5):  # warm caches, connections, imports
            assert client.get(path).status_code == 200
        queries: list[tuple[float, str]] = []

        def record(execute: Any, sql: str, params: Any, many: bool, context: Any, queries: list = queries) -> Any:
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(((time.perf_counter() - t) * 1000, sql))

        with connection.execute_wrapper(record):
            client.get(path)
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            client.get(path)
        prof.disable()
        stats = pstats.Stats(prof)
        print(f"\n=== profile: {label}  {path}")
        print(
            f"in-process, no profiler: median {statistics.median(times):.1f} ms, min {min(times):.1f} ms; "
            f"{len(queries)} SQL queries, {sum(q[0] for q in queries):.1f} ms:"
        )
        for ms, sql in queries:
            print(f"  {ms:6.2f} ms  {sql[:140]}")
        print(f"--- time per request under cProfile (inflated by the profiler) in selected functions, {n} requests")
        for frag, name in FOCUS:
            hits = [v for (f, _, fn), v in stats.stats.items() if fn == name and frag in f]  # type: ignore[attr-defined]
            if hits:
                calls = sum(v[1] for v in hits) / n
                # Nested callers of one name (ListSerializer.data -> Serializer.data) would count twice.
                cum = (max if name == "data" else sum)(v[3] for v in hits) / n * 1000
                print(f"  {cum:8.2f} ms  {calls:7.1f} calls  {frag}:{name}")
        print_top(stats, "tottime", top, f"--- top {top} by own time")


def print_top(stats: pstats.Stats, order: str, top: int, title: str) -> None:
    """The ``top`` rows of ``stats`` by ``order``, under ``title``, without pstats' header lines."""
    buf = io.StringIO()
    stats.stream = buf  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats(order).print_stats(top)
    print(title)
    print("\n".join(ln for ln in buf.getvalue().splitlines()[6:] if ln.strip()))


# -- main -----------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--sessions-per-event", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per endpoint (not counted)")
    parser.add_argument("--detail-ids", type=int, default=100, help="event ids rotated through by the detail read")
    parser.add_argument("--driver", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--configs", default="", help="comma-separated server set-ups to measure (default: all)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--skip-seed", action="store_true", help="reuse an existing, seeded database (implies --keep)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N in-process requests per endpoint")
    parser.add_argument("--profile-top", type=int, default=25)
    args = parser.parse_args()
    if args.skip_seed:
        args.keep = True
    url = args.database_url

    driver = args.driver
    if driver == "auto":
        driver = "wrk" if shutil.which("wrk") else "python"
    load = run_wrk if driver == "wrk" else run_python

    t0 = time.monotonic()
    if not args.skip_seed:
        print(f"creating {url} ...", flush=True)
        recreate_database(url)
        manage(url, "migrate", "--no-input")
        manage(url, "createcachetable")
        print(f"  migrated in {time.monotonic() - t0:.1f} s", flush=True)
    setup_django(url)
    if not args.skip_seed:
        t1 = time.monotonic()
        seed(args.events, args.sessions_per_event)
        print(
            f"  seeded {args.events} events, {args.events * args.sessions_per_event} sessions in {time.monotonic() - t1:.1f} s",
            flush=True,
        )
    session_key, ids = bench_identity(args.detail_ids)
    from django.db import connections

    connections.close_all()
    cookie = f"sessionid={session_key}"
    endpoints = {
        "list  GET /api/v1/events?pageSize=50": ["/api/v1/events?pageSize=50"],
        "detail GET /api/v1/events/<id>": [f"/api/v1/events/{i}" for i in ids],
    }

    load1, load5, _ = os.getloadavg()
    if load1 > 0.5:
        print(f"note: load average {load1:.2f} / {load5:.2f} before the run; other work on the machine skews figures")
    setups = configurations(args.redis_url)
    chosen = [c.strip() for c in args.configs.split(",")] if args.configs else list(setups)
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for config in chosen:
        extra = setups[config]
        if "CACHE_URL" in extra:
            flush_redis(extra["CACHE_URL"])
        port = free_port()
        proc = start_gunicorn(url, port, args.workers, extra)
        try:
            wait_ready(port, cookie)
            print(
                f"[{config}] gunicorn pid {proc.pid} on 127.0.0.1:{port}, {args.workers} sync workers; driver {driver}, "
                f"concurrency {args.concurrency}, {args.duration:g} s per endpoint, {os.cpu_count()} CPUs",
                flush=True,
            )
            for label, paths in endpoints.items():
                if args.warmup > 0:
                    load(port, cookie, paths, args.concurrency, args.warmup)
                r = results[(config, label)] = load(port, cookie, paths, args.concurrency, args.duration)
                print(f"  {label}: {r['rps']:.1f} req/s, p95 {r['p95']:.1f} ms", flush=True)
        finally:
            stop_gunicorn(proc)

    print()
    header = (
        f"{'server':<20} {'endpoint':<38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'non2xx':>7}  target"
    )
    print(header)
    print("-" * len(header))
    for (config, label), r in results.items():
        verdict = "OK" if r["p95"] < TARGET_P95_MS and not r["errors"] and not r["non2xx"] else "MISS"
        print(
            f"{config:<20} {label:<38} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
            f"{r['errors']:>7} {r['non2xx']:>7}  {verdict}"
        )
    print(f"target: p95 < {TARGET_P95_MS:.0f} ms for both endpoints, no errors")
    for (config, label), r in results.items():
        # Little's law: with every connection busy, latency = concurrency / throughput,
        # and each worker spends workers / rps per request.
        print(f"  [{config}] {label.split()[0]}: server time per request ~ {args.workers / r['rps'] * 1000:.1f} ms per worker")

    if args.profile:
        profile(
            session_key,
            {"list": endpoints["list  GET /api/v1/events?pageSize=50"][0], "detail": f"/api/v1/events/{ids[0]}"},
            args.profile,
            args.profile_top,
        )

    finish(url, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())


def measure_pages(
    *,
    database_url: str,
    keep: bool,
    workers: int,
    concurrency: int,
    seconds: float,
    cookie: str,
    pages: dict[str, str],
    ready_path: str,
    target_p95_ms: float,
    as_json: bool,
) -> None:
    """Start gunicorn, request each page (name -> path) with ``cookie`` after a 1 s warm-up, print p50/p95/p99 per
    page and whether every page met ``target_p95_ms``; then stop the server and drop the database (unless ``keep``)."""
    port = free_port()
    server = start_gunicorn(database_url, port, workers, {})
    figures: dict[str, dict[str, Any]] = {}
    try:
        wait_ready(port, cookie, path=ready_path)
        for name, path in pages.items():
            run_wrk(port, cookie, [path], concurrency, 1)  # warm-up: imports, templates, connections
            result = run_wrk(port, cookie, [path], concurrency, seconds)
            figures[name] = result
            ok = result["p95"] < target_p95_ms and not result["errors"] and not result["non2xx"]
            print(
                f"{name:<32} {path[:48]:<48} {result['rps']:7.1f}/s  p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms  "
                f"p99 {result['p99']:6.1f} ms  non-2xx {result['non2xx']}  [{'met' if ok else 'MISSED'}]",
                flush=True,
            )
    finally:
        stop_gunicorn(server)
        finish(database_url, keep)
    worst = max(figures.items(), key=lambda item: item[1]["p95"])
    missed = [name for name, result in figures.items() if result["p95"] >= target_p95_ms or result["non2xx"]]
    print(
        f"worst p95: {worst[0]} {worst[1]['p95']:.1f} ms; target p95 < {target_p95_ms:g} ms on every page: "
        f"{'met' if not missed else 'MISSED on ' + ', '.join(missed)}"
    )
    if as_json:
        print("BENCH_JSON " + json.dumps(figures))
