"""A real Celery worker for tests: ``celery -A config worker`` as a subprocess on the test database.

Not eager mode: tasks travel through a broker to another process, as in production.
Each pytest process (each xdist worker) gets a broker namespace of its own, set up
once for the session by ``configure_test_broker``: a key prefix and a queue on Redis
when REDIS_URL is set (CI), else a filesystem broker in a temporary folder. Tests
that use the ``celery_worker`` fixture need ``transactional_db``: the worker sees
only committed rows. The worker's log is printed at teardown, so pytest shows it
with a failing test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from core.supervisor import group_members

# A message taken by a worker that dies comes back after this many seconds (Redis).
TEST_VISIBILITY_TIMEOUT = 3
READY_TIMEOUT = 30


def configure_test_broker(namespace: str, folder: Path) -> dict[str, str]:
    """Point this process's Celery app at a broker namespace of its own; return the worker's environment for it.

    Never the development broker (var/celery) nor another test process's queue: each
    xdist worker passes its own ``namespace`` and ``folder``.
    """
    redis_url = os.environ.get("REDIS_URL", "")
    env = {
        "CELERY_QUEUE": namespace,
        "CELERY_VISIBILITY_TIMEOUT": str(TEST_VISIBILITY_TIMEOUT),
        "CELERY_RESTORE_INTERVAL": "1",
    }
    if redis_url:
        env |= {"CELERY_BROKER_URL": redis_url, "CELERY_REDIS_KEY_PREFIX": f"{namespace}:"}
        options: dict[str, Any] = {
            "visibility_timeout": TEST_VISIBILITY_TIMEOUT,
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
            "global_keyprefix": f"{namespace}:",
        }
    else:
        queue = folder / "queue"
        queue.mkdir(parents=True, exist_ok=True)
        (folder / "processed").mkdir(exist_ok=True)
        env |= {"CELERY_BROKER_URL": "filesystem://", "CELERY_FILESYSTEM_FOLDER": str(queue)}
        options = {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(folder / "processed"),
            "store_processed": False,
            "control_folder": str(folder / "control"),
        }
    options["max_retries"] = settings.CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"]  # no publish retries, as configured
    conf = {
        "broker_url": env["CELERY_BROKER_URL"],
        "broker_transport_options": options,
        "task_default_queue": namespace,
        "task_always_eager": False,
    }
    for key, value in conf.items():
        setattr(settings, f"CELERY_{key.upper()}", value)
    app.conf.update(conf)
    # Producer pools made before (a task sent at import) would still point at the old broker.
    app._pool = None
    app.amqp._producer_pool = None
    return env


def worker_database_url() -> str:
    """The URL of the test database this process uses (its xdist name, e.g. test_emp_rt_gw0, or the SQLite file)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("a worker process cannot open an in-memory SQLite test database")
        return f"sqlite:///{name}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        # Behind PgBouncer in transaction mode (tests.pgbouncer) the worker needs what this process has.
        query = "?disable_server_side_cursors=true" if db.get("DISABLE_SERVER_SIDE_CURSORS") else ""
        return f"postgres://{user}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}{query}"
    raise NotImplementedError(db["ENGINE"])


def wait_until(check: Callable[[], Any], timeout: float = 20, interval: float = 0.1, what: str = "the condition") -> Any:
    """Poll ``check`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class CeleryWorker:
    """One ``celery -A config worker`` subprocess at a time; ``kill`` it hard and ``start`` another."""

    def __init__(self, env: Mapping[str, str], log_dir: Path, *, pool: str = "prefork", include: tuple[str, ...] = ()) -> None:
        self.env = dict(env)
        self.log_dir = log_dir
        self.pool = pool
        self.include = include
        self.process: subprocess.Popen[bytes] | None = None
        self.logs: list[Path] = []

    @property
    def pid(self) -> int:
        assert self.process is not None, "no worker is running"
        return self.process.pid

    def start(self, timeout: float = READY_TIMEOUT) -> None:
        """Start a worker and return once it consumes from the queue."""
        assert self.process is None or self.process.poll() is not None, "a worker is already running"
        log = self.log_dir / f"worker-{len(self.logs) + 1}.log"
        self.logs.append(log)
        argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO", "--pool", self.pool]
        argv += ["--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        argv += [f"--include={','.join(self.include)}"] if self.include else []
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                argv,
                cwd=settings.BASE_DIR,
                env={**os.environ, **self.env, "PYTHONUNBUFFERED": "1"},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() reaches the pool processes too
            )
        deadline = time.monotonic() + timeout
        while " ready." not in log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"the Celery worker did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.05)

    def pool_pids(self) -> list[int]:
        """The worker's pool processes (with --pool prefork), the ones that run the tasks."""
        return [pid for pid in group_members(self.pid) if pid != self.pid]

    def kill(self) -> None:
        """SIGKILL the worker and its pool at once, as a crashed machine would: nothing is acknowledged."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout: float = 15) -> None:
        """A warm shutdown (SIGTERM); whatever is left after ``timeout`` is killed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def output(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')}" for log in self.logs if log.exists())


@pytest.fixture(scope="session")
def celery_broker_env(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[dict[str, str]]:
    """The broker namespace of this pytest process (see configure_test_broker); its Redis keys go at the end."""
    namespace = f"emp-test-{worker_id}-{uuid.uuid4().hex[:8]}"
    env = configure_test_broker(namespace, tmp_path_factory.mktemp("celery"))
    yield env
    if env.get("CELERY_REDIS_KEY_PREFIX"):
        import redis

        client = redis.Redis.from_url(env["CELERY_BROKER_URL"])
        for key in client.scan_iter(match=f"{env['CELERY_REDIS_KEY_PREFIX']}*"):
            client.delete(key)


@pytest.fixture
def celery_worker_factory(
    transactional_db: None, celery_broker_env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., CeleryWorker]]:
    """celery_worker_factory(env=..., include=..., pool=...) -> a started worker on the test database."""
    workers: list[CeleryWorker] = []

    def make(env: Mapping[str, str] | None = None, include: tuple[str, ...] = (), pool: str = "prefork") -> CeleryWorker:
        worker_env = {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": worker_database_url(),
            "RATE_LIMITS_ENABLED": "false",
            **celery_broker_env,
            **(env or {}),
        }
        worker = CeleryWorker(worker_env, tmp_path, pool=pool, include=include)
        workers.append(worker)
        worker.start()
        return worker

    yield make
    for worker in workers:
        worker.kill()  # the test has its results; a warm shutdown would only cost seconds
        # Captured output: pytest shows it with the report of a failed test only.
        print(worker.output())


@pytest.fixture
def celery_worker(celery_worker_factory: Callable[..., CeleryWorker]) -> CeleryWorker:
    """A real Celery worker (prefork, one process) on the test database and this test process's broker namespace."""
    return celery_worker_factory()
