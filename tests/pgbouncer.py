"""PgBouncer in transaction mode on a loopback port, in front of the machine's PostgreSQL.

The production topology (docs/operations.md) puts PgBouncer between every web
instance and worker and PostgreSQL, with ``pool_mode = transaction``: a server
connection belongs to a client for one transaction only. What that needs from
the platform is what this module tests with Debian's ``pgbouncer``:

- client-side parameter binding (``DATABASE_SERVER_SIDE_BINDING`` off, the
  default): a statement prepared on one server connection is not there on the
  next (PgBouncer before 1.21 has no ``max_prepared_statements``);
- no server-side cursors (``?disable_server_side_cursors=true`` on
  ``DATABASE_URL``): Django's ``.iterator()`` outside a transaction declares a
  ``WITH HOLD`` cursor and fetches from it in later transactions;
- nothing else kept in the session: lock timeouts are ``SET LOCAL`` (core.locks).

``PgBouncer(...).start()`` runs it as the current user (as ``postgres`` when
that is root: PgBouncer refuses root) with a temporary ini file; the
``pgbouncer`` fixture gives one to a test. ``python -m tests.pgbouncer [pytest
arguments]`` runs pytest with its database connections, the test database's
creation and migrations included, going through one (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
PSQL = ["psql", "-X", "-q", "-P", "footer=off"]
# What tests/pgbouncer runs when given no test paths: API writes and reads, webhooks, connector jobs and real
# workers, locks and concurrent writers. Not tests/integrations/test_worker_connections.py: it counts the worker's
# PostgreSQL backends, which behind a pooler are PgBouncer's, lent to whichever client has a transaction.
REPRESENTATIVE = [
    "tests/registrations/test_api.py",
    "tests/registrations/test_concurrency.py",
    "tests/registrations/test_checkin_concurrency.py",
    "tests/api/test_idempotency.py",
    "tests/api/test_pagination.py",
    "tests/integrations/test_delivery.py",
    "tests/integrations/test_concurrency.py",
    "tests/integrations/test_real_worker.py",
    "tests/connectors/test_framework.py",
    "tests/communications/test_sending.py",
    "tests/communications/test_messages.py",
    "tests/console/test_actions.py",
    "tests/core/test_job_worker.py",
    "tests/core/test_scale_out.py",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgBouncer:
    """One pgbouncer process in front of ``host:port`` (any database name is passed through)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 5432, user: str = "postgres", pool_size: int = 10) -> None:
        self.server = (host, port)
        self.user = user
        self.pool_size = pool_size
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.folder / "pgbouncer.log"

    def start(self, timeout: float = 10) -> PgBouncer:
        host, port = self.server
        ini = self.folder / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"* = host={host} port={port}\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = trust\n"
            f"auth_file = {self.folder / 'users.txt'}\n"
            f"admin_users = {self.user}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {self.pool_size}\n"
            "max_client_conn = 200\n"
            f"logfile = {self.log}\n"
            "log_connections = 0\n"
            "log_disconnections = 0\n"
        )
        (self.folder / "users.txt").write_text(f'"{self.user}" ""\n')
        argv = [PGBOUNCER, str(ini)]
        if os.geteuid() == 0:  # "PgBouncer should not run as root": run it as the database's owner account
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            for path in self.folder.iterdir():
                os.chown(path, account.pw_uid, account.pw_gid)
            argv[1:1] = ["-u", "postgres"]
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"pgbouncer did not start:\n{self.log_text()}")
            time.sleep(0.05)

    def url(self, database_url: str) -> str:
        """``database_url`` through this pgbouncer, with the settings transaction pooling needs."""
        parts = urlsplit(database_url)
        netloc = f"{parts.username or self.user}@127.0.0.1:{self.port}"
        query = "&".join(q for q in [parts.query, "disable_server_side_cursors=true"] if q)
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))

    def show(self, what: str) -> list[dict[str, str]]:
        """A ``SHOW`` of PgBouncer's admin console (STATS, POOLS, CONFIG ...) as rows of strings."""
        out = subprocess.run(
            [
                *PSQL,
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                self.user,
                "-d",
                "pgbouncer",
                "-A",
                "-F",
                "\t",
                "-c",
                f"SHOW {what}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        header = out[0].split("\t")
        return [dict(zip(header, line.split("\t"), strict=True)) for line in out[1:]]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # safe shutdown
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def pgbouncer() -> Iterator[PgBouncer]:
    """A PgBouncer in transaction mode in front of the test database's server (PostgreSQL only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PgBouncer pools PostgreSQL connections (set DATABASE_URL)")
    if not Path(PGBOUNCER).exists():
        pytest.skip("pgbouncer is not installed (Debian: apt-get install pgbouncer)")
    db = connection.settings_dict
    bouncer = PgBouncer(host=db["HOST"] or "127.0.0.1", port=int(db["PORT"] or 5432), user=db["USER"] or "postgres")
    bouncer.start()
    yield bouncer
    print(bouncer.log_text()[-4000:])  # shown with a failed test's report
    bouncer.stop()


def main(argv: list[str]) -> int:
    """Run pytest (``argv``, or the representative modules) with every connection through PgBouncer.

    The test database gets a name of its own, is created through PgBouncer and kept by pytest-django (a
    DROP DATABASE would wait on PgBouncer's pooled server connections); it is dropped here once PgBouncer stops.
    """
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("tests.pgbouncer: set DATABASE_URL to a PostgreSQL database", file=sys.stderr)
        return 2
    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/')}_pgb_{uuid.uuid4().hex[:6]}"
    bouncer = PgBouncer(host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=parts.username or "postgres")
    bouncer.start()
    url = bouncer.url(urlunsplit(parts._replace(path=f"/{name}")))
    print(f"tests.pgbouncer: pool_mode=transaction on 127.0.0.1:{bouncer.port}; DATABASE_URL={url}", flush=True)
    args = argv or REPRESENTATIVE
    try:
        code = subprocess.call(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--reuse-db", "--create-db", *args],
            env={**os.environ, "DATABASE_URL": url},
        )
        [stats] = [row for row in bouncer.show("STATS") if row["database"] == f"test_{name}"] or [{}]
        transactions = int(stats.get("total_xact_count", 0))
        print(f"tests.pgbouncer: {transactions} transactions on the test database through PgBouncer", flush=True)
        if code == 0 and not transactions:  # the tests ran, but not through PgBouncer
            code = 1
    finally:
        bouncer.stop()
        server = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
        subprocess.run([*PSQL, *server, "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "test_{name}"'], check=False)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
