"""Instructions per request of one API read, counted by valgrind (callgrind): a figure no neighbour changes.

Runs ``--requests`` in-process GETs of ``--path`` (``django.test.Client``, read
cache and rate limits off) against an existing database after 5 warm-up ones,
with callgrind counting only those requests (``callgrind_control -i on/off``),
and prints the instructions per request of the Python process. On a shared
machine, where throughput follows the neighbours' load, this is the figure to
compare before and after a change (ADR 0024).

    # the platform's list, against bench/floor.py's database (kept with --keep)
    .venv/bin/python bench/instructions.py --database-url postgres://postgres@127.0.0.1:5432/emp_bench_floor \\
        --organization bench-floor-org --path /api/v1/events
    # the bare view of bench/floor_bare.py, same rows
    .venv/bin/python bench/instructions.py --database-url ... --organization bench-floor-org --bare
    # a page of 50 of bench/api_read.py's 10,000 events (kept with --keep); <id> is one of its events
    .venv/bin/python bench/instructions.py --organization bench-org --path "/api/v1/events?pageSize=50"

The caller signs in with a new API key of ``--organization`` (scope events:read).
This is a script that prints figures, not a test.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
INNER = "BENCH_INSTRUCTIONS_INNER"


def inner(args: argparse.Namespace) -> None:
    """Under valgrind: set up, warm up, and count ``args.requests`` requests only."""
    os.environ.update(
        DATABASE_URL=args.database_url,
        DEBUG="0",
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="600",
        RATE_LIMITS_ENABLED="0",
        API_READ_CACHE_SECONDS="0",
        DJANGO_SETTINGS_MODULE="floor_bare" if args.bare else "config.settings",
    )
    sys.path.insert(0, str(ROOT))  # this folder is on it too, last (bench/_path.py): floor_bare
    import django

    django.setup()
    from django.test import Client

    client, headers, path = Client(), {}, args.path
    if args.bare:  # its settings install no app of the platform: the organization by SQL
        import floor_bare
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM accounts_organization WHERE slug = %s", [args.organization])
            floor_bare._ORG = str(cursor.fetchone()[0])
        path = "/bare/events"
    else:
        from accounts import services
        from accounts.models import Organization
        from core.audit import SYSTEM
        from events.models import Event

        organization = Organization.objects.get(slug=args.organization)
        _, key = services.api_key_create(
            actor=SYSTEM, organization=organization, data={"name": "instructions", "scopes": ["events:read"]}, creator_role=None
        )
        headers["Authorization"] = f"Bearer {key}"
        if "<id>" in path:
            path = path.replace(
                "<id>", str(Event.objects.filter(organization=organization).order_by("slug").values("id")[0]["id"])
            )
    for _ in range(5):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.content[:300]
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "-i", "on", pid], check=True, capture_output=True)
    for _ in range(args.requests):
        client.get(path, headers=headers)
    subprocess.run(["callgrind_control", "-i", "off", pid], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/emp_bench")
    )
    parser.add_argument("--organization", default="bench-org", help="slug of the organization whose data is read")
    parser.add_argument("--path", default="/api/v1/events?pageSize=50", help="<id> stands for one of its events")
    parser.add_argument("--bare", action="store_true", help="the bare view of bench/floor_bare.py instead")
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    if os.environ.get(INNER):
        inner(args)
        return 0
    out_file = f"/tmp/callgrind.bench.{os.getpid()}"
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out_file}", sys.executable, *sys.argv]
    done = subprocess.run(cmd, env={**os.environ, INNER: "1"}, capture_output=True, text=True)
    Path(out_file).unlink(missing_ok=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode or found is None:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
        return 1
    total = int(found.group(1).replace(",", ""))
    what = "bare view" if args.bare else f"GET {args.path}"
    print(f"{what}: {total / args.requests / 1e6:.1f} M instructions per request ({args.requests} requests, callgrind)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
