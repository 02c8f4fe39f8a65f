"""What authentication costs: the same GET /api/v1/events with a session, an API key and an OAuth JWT.

Creates a fresh PostgreSQL database (emp_bench_auth), seeds one organization
with 500 events, starts gunicorn (2 sync workers, the default server set-up)
and drives ``GET /api/v1/events?pageSize=20`` at concurrency 16 with each kind
of credentials in turn, in interleaved rounds (the host's speed drifts; each
round measures all kinds back to back), and prints requests/s and p95 per
kind, the best round of each. Target: the API key and the JWT within 10% of
the session's requests/s.

    .venv/bin/python bench/auth_overhead.py                   # 3 rounds of 5 s per kind
    .venv/bin/python bench/auth_overhead.py --rounds 5 --duration 10

Reuses the helpers of ``bench/api_read.py``. This is a script that prints figures, not a test.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import http.client
import json
import os
import shutil
import urllib.parse
from typing import Any

import api_read

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/emp_bench_auth"
PATH = "/api/v1/events?pageSize=20"
TARGET_RATIO = 0.9


def api_key() -> str:
    from accounts import services
    from accounts.models import Organization
    from core.audit import SYSTEM

    _, raw = services.api_key_create(
        actor=SYSTEM,
        organization=Organization.objects.get(slug=api_read.ORG_SLUG),
        data={"name": "bench", "scopes": ["events:read"]},
        creator_role=None,
    )
    return raw


def oauth_client() -> tuple[str, str]:
    """A confidential client-credentials application of the organization: (client_id, secret)."""
    from accounts.models import Application, Organization

    secret = "bench-secret-" + os.urandom(16).hex()
    app = Application.objects.create(
        name="bench",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        organization=Organization.objects.get(slug=api_read.ORG_SLUG),
        allowed_scopes=["events:read"],
    )
    return app.client_id, secret


def jwt_from_server(port: int, client: tuple[str, str]) -> str:
    body = urllib.parse.urlencode(
        {"grant_type": "client_credentials", "client_id": client[0], "client_secret": client[1], "scope": "events:read"}
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/o/token/", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    payload = json.loads(response.read())
    conn.close()
    if response.status != 200:
        raise SystemExit(f"token endpoint answered {response.status}: {payload}")
    return str(payload["access_token"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_AUTH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per kind and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--driver", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    url = args.database_url
    driver = args.driver if args.driver != "auto" else ("wrk" if shutil.which("wrk") else "python")
    run = api_read.run_wrk if driver == "wrk" else api_read.run_python

    api_read.recreate_database(url)
    api_read.manage(url, "migrate", "--noinput")
    api_read.manage(url, "createcachetable")
    api_read.setup_django(url)
    api_read.seed(args.events, 1)
    session_key, _ = api_read.bench_identity(1)
    cookie = f"sessionid={session_key}"
    raw_key = api_key()
    client = oauth_client()
    port = api_read.free_port()
    proc = api_read.start_gunicorn(url, port, args.workers, {})
    best: dict[str, dict[str, Any]] = {}
    try:
        api_read.wait_ready(port, cookie)
        kinds = {"session": "", "api key": f"Bearer {raw_key}", "jwt": f"Bearer {jwt_from_server(port, client)}"}
        print(f"cpu reference (a fixed Python loop; lower is a faster machine): {api_read.cpu_reference_ms():.0f} ms")
        print(
            f"gunicorn {args.workers} sync workers, {driver} c={args.concurrency}, {args.rounds} rounds of {args.duration:.0f} s, {PATH}"
        )
        for authorization in kinds.values():  # warm every worker up with every kind
            run(port, cookie, [PATH], args.concurrency, args.warmup, authorization)
        for n in range(args.rounds):
            for kind, authorization in kinds.items():
                r = run(port, cookie, [PATH], args.concurrency, args.duration, authorization)
                print(f"  round {n + 1} {kind:8s} {r['rps']:7.1f} requests/s  p95 {r['p95']:6.1f} ms  non-2xx {r['non2xx']}")
                if r["non2xx"] or r["errors"]:
                    raise SystemExit(f"{kind}: {r['non2xx']} non-2xx answers, {r['errors']} errors")
                if kind not in best or r["rps"] > best[kind]["rps"]:
                    best[kind] = r
    finally:
        api_read.stop_gunicorn(proc)
    base = best["session"]["rps"]
    for kind, r in best.items():
        ratio = r["rps"] / base
        verdict = (
            ""
            if kind == "session"
            else f"  [target >= {TARGET_RATIO:.0%} of session: {'met' if ratio >= TARGET_RATIO else 'MISSED'}]"
        )
        print(f"{kind:8s} best {r['rps']:7.1f} requests/s ({ratio:.0%} of session), p95 {r['p95']:.1f} ms{verdict}")
    api_read.finish(url, args.keep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
