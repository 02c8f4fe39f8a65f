"""What OAuth client authentication costs, in-process: POST /o/token/ (client credentials) with a wrong and a right secret.

Migrates a fresh SQLite database in a temporary folder (or ``--database-url``),
registers a confidential client-credentials application the way the console
does (its secret stored with ``CLIENT_SECRET_HASHER``), and sends the token
endpoint requests through Django's test client, one at a time, in this
process: no server, no network. Rate limits are off, so every request is
answered. Prints the median and p95 milliseconds (elapsed) and the median CPU time of
the secret check alone and of a whole request, and what a burst of
24 wrong secrets costs in CPU (the figure that slowed an unrelated API call
from 0.27 s to 3.5 s when each one cost a 1,000,000-iteration PBKDF2).

    .venv/bin/python bench/oauth_client_auth.py               # the hasher the settings configure
    .venv/bin/python bench/oauth_client_auth.py --legacy      # plus a secret stored as PBKDF2 (before its first use)
    .venv/bin/python bench/oauth_client_auth.py --seconds 10  # longer runs (default: 4 s or 200 requests a case)

To measure the code of another commit, run this file from a copy of that tree
(``git archive <commit> | tar -x -C /tmp/old``; ``cp`` this file into its
``bench/``; link ``.venv``). This is a script that prints figures, not a test.
"""

from __future__ import annotations

import _path  # noqa: F401  # first: the project root first on sys.path, this folder last (bench/_path.py)

# isort: split
import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BURST = 24  # wrong secrets in the report


def setup(database_url: str | None) -> None:
    folder = tempfile.mkdtemp(prefix="bench-oauth-")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ["CACHE_URL"] = "locmemcache://"
    os.environ["RATE_LIMITS_ENABLED"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # not a line for each refused request


def application(legacy: bool) -> tuple[Any, str]:
    """A confidential client-credentials application and its secret in clear; ``legacy``: stored as PBKDF2."""
    from django.contrib.auth.hashers import make_password
    from oauth2_provider.generators import generate_client_secret

    from accounts.models import Application, Organization

    organization, _ = Organization.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    secret = generate_client_secret()
    app = Application(
        name=f"bench {'legacy' if legacy else 'current'}",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        organization=organization,
        allowed_scopes=["events:read"],
        client_secret=secret,
    )
    app.save()
    if legacy:
        Application.objects.filter(pk=app.pk).update(client_secret=make_password(secret, hasher="pbkdf2_sha256"))
        app.refresh_from_db()
    return app, secret


def timed(app: Any, secret: str, seconds: float, limit: int, expect: int) -> list[tuple[float, float]]:
    from django.test import Client

    client = Client()
    basic = "Basic " + base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials", "scope": "events:read"}
    client.post("/o/token/", data, HTTP_AUTHORIZATION=basic)  # warm-up (and, for a legacy hash, its move)
    samples: list[tuple[float, float]] = []
    started = time.perf_counter()
    while len(samples) < limit and (time.perf_counter() - started < seconds or len(samples) < 5):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.post("/o/token/", data, HTTP_AUTHORIZATION=basic)
        samples.append((time.perf_counter() - t0, time.process_time() - c0))
        if response.status_code != expect:
            raise SystemExit(f"expected {expect}, got {response.status_code}: {response.content[:200]!r}")
    return samples


def checks(stored: str, presented: str, seconds: float, limit: int) -> list[tuple[float, float]]:
    """The secret check alone (the validator's ``_check_secret``, as the token endpoint calls it), no request around it."""
    from accounts.oauth.validators import PlatformOAuth2Validator

    validator = PlatformOAuth2Validator()
    samples: list[tuple[float, float]] = []
    started = time.perf_counter()
    while len(samples) < limit * 10 and (time.perf_counter() - started < seconds or len(samples) < 5):
        t0, c0 = time.perf_counter(), time.process_time()
        validator._check_secret(presented, stored)
        samples.append((time.perf_counter() - t0, time.process_time() - c0))
    return samples


def report(label: str, samples: list[tuple[float, float]]) -> None:
    """Median and p95 of the elapsed time, and the median CPU time of this process (steadier on a busy machine)."""
    wall = sorted(w for w, _ in samples)
    cpu = statistics.median(c for _, c in samples)
    p95 = wall[min(len(wall) - 1, int(len(wall) * 0.95))]
    print(
        f"{label:<46} {statistics.median(wall) * 1000:9.3f} ms median {p95 * 1000:9.3f} ms p95"
        f" {cpu * 1000:9.3f} ms CPU  ({len(samples)} runs)" + (f"  x{BURST}: {cpu * BURST:.2f} s CPU" if "wrong" in label else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary folder")
    parser.add_argument("--seconds", type=float, default=4.0, help="time spent on each case (at least 5 requests)")
    parser.add_argument("--requests", type=int, default=200, help="at most this many requests a case")
    parser.add_argument("--legacy", action="store_true", help="also a secret stored as PBKDF2, before its first use")
    args = parser.parse_args()
    setup(args.database_url)
    from django.contrib.auth.hashers import identify_hasher

    app, secret = application(legacy=False)
    print(f"stored with: {identify_hasher(app.client_secret).algorithm}  (CLIENT_SECRET_HASHER)")
    report("secret check alone: wrong secret", checks(app.client_secret, secret[:-1] + "!", args.seconds, args.requests))
    report("secret check alone: right secret", checks(app.client_secret, secret, args.seconds, args.requests))
    report("POST /o/token/: wrong secret (401, audited)", timed(app, secret[:-1] + "!", args.seconds, args.requests, 401))
    report("POST /o/token/: right secret (a token issued)", timed(app, secret, args.seconds, args.requests, 200))
    if args.legacy:
        old, old_secret = application(legacy=True)
        # The wrong secret first: the first right one moves the hash over.
        report("legacy PBKDF2 hash, POST: wrong secret", timed(old, old_secret + "!", args.seconds, args.requests, 401))
        report("legacy PBKDF2 hash, POST: right (moved at 1st)", timed(old, old_secret, args.seconds, args.requests, 200))
        old.refresh_from_db()
        print(f"legacy application now stored with: {identify_hasher(old.client_secret).algorithm}")


if __name__ == "__main__":
    main()
