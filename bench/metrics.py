"""What the metrics and the JSON request log cost a request, in µs, next to the read path's total.

Runs ``GET /api/v1/events/<id>`` (an API key, one event) in-process through the whole
Django stack (``django.test.Client``: every middleware, the view, the database) many
times under four set-ups, each in a fresh process so prometheus-client's mode is the
one chosen at import:

- ``bare``: ``METRICS_ENABLED=false``, request log below its level (off);
- ``metrics``: the counters and histograms in one process (the default registry);
- ``metrics-mp``: multi-process mode (``PROMETHEUS_MULTIPROC_DIR``), as under gunicorn;
- ``metrics-mp+json``: the same and one JSON log line per request (to /dev/null).

Prints the median µs per request of each and the difference from ``bare``.

    .venv/bin/python bench/metrics.py                    # SQLite file under var/, 3 x 2000 requests
    .venv/bin/python bench/metrics.py --requests 5000 --database-url postgres://postgres@127.0.0.1:5432/emp_bench_metrics

The database is migrated and seeded by the script (it is created if missing, never dropped).
This is a script that prints figures, not a test.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ("bare", "metrics", "metrics-mp", "metrics-mp+json")


def child(config: str, requests: int, rounds: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    from django.test import Client

    from accounts.models import ApiKey
    from events.models import Event

    logging.getLogger("platform.request").setLevel(logging.INFO if config.endswith("+json") else logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.stream = open(os.devnull, "w")  # type: ignore[attr-defined]
    event = Event.objects.order_by("created_at").first()
    assert event is not None and ApiKey.objects.exists()
    secret = os.environ["BENCH_API_KEY"]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"/api/v1/events/{event.pk}"
    for _ in range(200):  # warm-up: URL resolution, caches, the connection
        assert client.get(url).status_code == 200
    figures = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(requests):
            client.get(url)
        figures.append((time.perf_counter() - started) / requests * 1e6)
    print(json.dumps({"config": config, "us": statistics.median(figures), "parts": parts(client, url)}))


def parts(client: object, url: str, calls: int = 20000) -> dict[str, float]:
    """µs per call of what the middleware adds to a request, measured apart (less noisy than the difference of totals)."""
    from django.conf import settings

    from core import logs, metrics

    response = client.get(url)  # type: ignore[attr-defined]
    request = response.wsgi_request
    timed = {
        "route_of": lambda: metrics.route_of(request),
        "observe_request": lambda: metrics.observe_request("/api/v1/events/{pk}", "GET", 200, 0.01),
        "sample_db_connections": metrics.sample_db_connections,
        "log_request": lambda: logs.log_request(request, response, route="/api/v1/events/{pk}", seconds=0.01),
    }
    out = {}
    for name, call in timed.items():
        if not settings.METRICS_ENABLED and name in ("observe_request", "sample_db_connections"):
            continue
        started = time.perf_counter()
        for _ in range(calls):
            call()
        out[name] = (time.perf_counter() - started) / calls * 1e6
    return out


def seed(env: dict[str, str]) -> str:
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    script = """
from accounts import services
from accounts.models import Organization
from core.audit import SYSTEM
from events.models import Event
from tests.factories import EventFactory, OrganizationFactory
org = Organization.objects.filter(slug="bench-metrics").first() or OrganizationFactory(slug="bench-metrics")
if not Event.objects.filter(organization=org).exists():
    EventFactory(organization=org)
_, raw = services.api_key_create(actor=SYSTEM, organization=org, data={"name": "bench", "scopes": ["events:read"]}, creator_role=None)
print(raw)
"""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_metrics.sqlite3'}")
    )
    parser.add_argument("--child", choices=CONFIGS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.requests, args.rounds)
        return
    base = {**os.environ, "DATABASE_URL": args.database_url, "RATE_LIMITS_ENABLED": "false", "DEBUG": "false"}
    base.pop("PROMETHEUS_MULTIPROC_DIR", None)
    base["BENCH_API_KEY"] = seed(base)
    totals: dict[str, list[float]] = {config: [] for config in CONFIGS}
    pieces: dict[str, dict[str, float]] = {}
    # Rounds interleaved across the set-ups, so a busy moment of the machine does not fall on one of them only.
    for _ in range(args.rounds):
        for config in CONFIGS:
            env = {**base, "METRICS_ENABLED": "false" if config == "bare" else "true", "LOG_FORMAT": "json"}
            with tempfile.TemporaryDirectory() as folder:
                if "-mp" in config:
                    env["PROMETHEUS_MULTIPROC_DIR"] = folder
                argv = [sys.executable, __file__, "--child", config, "--requests", str(args.requests), "--rounds", "1"]
                out = subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            totals[config].append(result["us"])
            pieces[config] = result["parts"]
    load = os.getloadavg()[0]
    print(f"GET /api/v1/events/<id> in-process, {args.rounds} rounds x {args.requests} requests; load average {load:.1f}")
    print(f"{'set-up':<18}{'µs/request':>12}  what the middleware adds, µs per call")
    for config in CONFIGS:
        added = ", ".join(f"{name} {us:.1f}" for name, us in pieces[config].items())
        print(f"{config:<18}{statistics.median(totals[config]):>12.1f}  {added}  (sum {sum(pieces[config].values()):.1f})")
    if load > (os.cpu_count() or 1):
        print("note: the machine was busy; the totals' differences are noise, the per-call figures less so")


if __name__ == "__main__":
    main()
