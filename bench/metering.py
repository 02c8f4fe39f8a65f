"""What request metering costs a request, in-process: CPU microseconds, and its amortized flush.

Three figures, each the best of ``--rounds`` rounds:

1. ``record``: what ``ApiRequestMiddleware`` adds to every metered request
   (``metering.record``: the credential noted by authentication, the route
   template, the status class, the hour, one locked dictionary update) plus the
   ``request_finished`` check whether a flush is due, over a realistic mix of
   routes and credentials;
2. ``flush``: one bulk upsert of a worker's interval (``--buckets`` distinct
   rows) into a scratch SQLite database, divided by ``API_USAGE_FLUSH_REQUESTS``
   (the requests it covers at the latest);
3. ``ping``: a full ``GET /api/v1/ping`` with an API key through Django's test
   client (SQLite), metering on against off: the end-to-end difference (noisy on
   a shared machine; the first figure is the one to trust).

    .venv/bin/python bench/metering.py
    .venv/bin/python bench/metering.py --requests 200000 --rounds 5

A script that prints figures, not a test. It uses a temporary SQLite database and touches nothing else.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["RATE_LIMITS_ENABLED"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


class FakeMatch:
    def __init__(self, route: str) -> None:
        self.route = route


def bench_record(requests: int, rounds: int) -> float:
    """µs a request for record() and the flush-due check, with flushes kept out (thresholds out of reach)."""
    from django.conf import settings
    from django.http import HttpRequest

    from api import metering
    from api.models import CredentialKind

    settings.API_USAGE_FLUSH_SECONDS = float("inf")
    settings.API_USAGE_FLUSH_REQUESTS = 10**12
    routes = [
        "api/v1/ping",
        "api/v1/events$",
        "api/v1/events/(?P<pk>[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})$",
        "api/v1/registrations$",
    ]
    organization = uuid.uuid4()
    prepared = []
    for i in range(64):  # 8 credentials x 4 routes x 2 statuses
        request = HttpRequest()
        request.resolver_match = FakeMatch(routes[i % 4])  # type: ignore[assignment]
        metering.note_credential(request, CredentialKind.API_KEY, uuid.UUID(int=i % 8), organization)
        prepared.append((request, 200 if i % 16 else 404))
    best = float("inf")
    for _ in range(rounds):
        metering.METER.clear()
        started = time.perf_counter()
        for i in range(requests):
            request, status = prepared[i & 63]
            metering.record(request, status, started)
            metering.flush_if_due()
        elapsed = time.perf_counter() - started
        # The loop itself (indexing, calls' arguments) is not metering: subtract an empty loop.
        empty_started = time.perf_counter()
        for i in range(requests):
            request, status = prepared[i & 63]
        empty = time.perf_counter() - empty_started
        best = min(best, (elapsed - empty) / requests * 1e6)
    metering.METER.clear()
    return best


def bench_flush(buckets: int, rounds: int) -> float:
    """ms for one flush of ``buckets`` rows, the second time (rows exist: the conflict path adds)."""
    from api import metering
    from api.models import CredentialKind

    organization = uuid.uuid4()
    hour = int(time.time() // 3600)
    rows = {
        (CredentialKind.API_KEY, uuid.UUID(int=i // 20), organization, f"/api/v1/route{i % 20}", 2, hour): [10, 0, 50.0, 9.0]
        for i in range(buckets)
    }
    metering.write(rows)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        metering.write(rows)
        timings.append(time.perf_counter() - started)
    return min(timings) * 1000


def bench_ping(requests: int, rounds: int) -> tuple[float, float]:
    """µs a full ping with metering off and on (best round of each, interleaved)."""
    from django.conf import settings
    from django.test import Client

    from accounts import services
    from accounts.models import Organization
    from api import metering
    from core.audit import SYSTEM

    organization = Organization.objects.create(name="Bench", slug=f"bench-{uuid.uuid4().hex[:8]}")
    _, raw = services.api_key_create(
        actor=SYSTEM, organization=organization, data={"name": "bench", "scopes": ["events:read"]}, creator_role=None
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    settings.API_USAGE_FLUSH_SECONDS = float("inf")
    settings.API_USAGE_FLUSH_REQUESTS = 10**12
    for _ in range(50):
        client.get("/api/v1/ping")
    results: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(rounds):
        for on in (False, True):
            settings.API_USAGE_METERING = on
            started = time.perf_counter()
            for _ in range(requests):
                client.get("/api/v1/ping")
            results[on].append((time.perf_counter() - started) / requests * 1e6)
    metering.METER.clear()
    return min(results[False]), min(results[True])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100_000, help="record() calls a round")
    parser.add_argument("--pings", type=int, default=500, help="full requests a round and setting")
    parser.add_argument("--buckets", type=int, default=200, help="distinct rows in one flush")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder) / "metering.sqlite3")
        from django.conf import settings

        flush_every, flush_seconds = settings.API_USAGE_FLUSH_REQUESTS, settings.API_USAGE_FLUSH_SECONDS
        record = bench_record(args.requests, args.rounds)
        flush_ms = bench_flush(args.buckets, args.rounds)
        off, on = bench_ping(args.pings, args.rounds)
        print(f"record + flush check:     {record:6.2f} µs/request (in memory, no SQL)")
        print(
            f"flush of {args.buckets} rows:       {flush_ms:6.2f} ms (SQLite) = {flush_ms * 1000 / flush_every:.2f} µs/request "
            f"amortized over {flush_every} requests"
        )
        print(f"GET /api/v1/ping, off:    {off:6.1f} µs/request")
        print(f"GET /api/v1/ping, on:     {on:6.1f} µs/request ({on - off:+.1f} µs, {100 * (on - off) / off:+.1f}%; noisy)")
        print(f"(flushes every {flush_seconds:g} s or {flush_every} requests a worker)")


if __name__ == "__main__":
    main()
